//===--- WorkerPool.swift -------------------------------------------------===//
// Persistent worker threads for `parallelFor`. One AGE iteration makes a few
// hundred parallel calls, most of them short; handing each to Dispatch wakes a
// sleeping thread through the kernel every time (perf: about 7% of a width-32
// iteration on two threads went to the scheduler). These workers instead spin on
// a generation counter for a short while after each job, so back-to-back calls
// find them awake, and sleep on a condition variable after that.
//
// Which thread runs which part of a job does not matter: every part writes its own
// disjoint output (parallelFor's contract), so results do not depend on it.
//===----------------------------------------------------------------------===//
import Foundation
import Synchronization

/// One `parallelFor` call: its parts are handed out by `next` and counted down by `unfinished`.
private final class Job: @unchecked Sendable {
  /// Cleared by the caller once every part has finished (no worker can reach it after that).
  var body: ((Int) -> Void)?
  let count: Int
  let next = Atomic<Int>(0)
  let unfinished: Atomic<Int>
  init(_ body: @escaping (Int) -> Void, count: Int) {
    self.body = body; self.count = count; unfinished = Atomic(count)
  }
  /// Runs parts until none are left to take.
  func work() {
    while true {
      let part = next.add(1, ordering: .relaxed).oldValue
      if part >= count { return }
      body!(part)   // set: this part has not finished, so the caller has not cleared it
      unfinished.subtract(1, ordering: .releasing)
    }
  }
}

/// The pool behind `parallelFor`.
final class WorkerPool: @unchecked Sendable {
  static let shared = WorkerPool()

  /// Held while a job runs: one job at a time (another caller, say a concurrent training lane,
  /// goes to Dispatch instead). It also guards `workers`.
  private let busy = Atomic<Bool>(false)
  /// The current job, and a counter bumped once per job that idle workers watch.
  private let current = Mutex<Job?>(nil)
  private let generation = Atomic<Int>(0)
  /// Workers asleep on `wake` (they re-check `generation` under its lock before waiting).
  private let sleepers = Atomic<Int>(0)
  private let wake = NSCondition()
  private nonisolated(unsafe) var workers = 0

  /// Spins of an idle worker before it goes to sleep (some tens of microseconds).
  static let spinLimit = 20_000

  /// Runs body(0..<count) on the calling thread and up to `threads - 1` workers; returns false,
  /// running nothing, when another job holds the pool.
  func run(_ count: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
    guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
    defer { busy.store(false, ordering: .releasing) }
    while workers < threads - 1 {
      workers += 1
      let thread = Thread { [unowned self] in self.workerLoop() }
      thread.name = "kernels-worker"
      thread.start()
    }
    withoutActuallyEscaping(body) { body in
      let job = Job(body, count: count)
      current.withLock { $0 = job }
      generation.add(1, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 { wake.lock(); wake.broadcast(); wake.unlock() }
      job.work()
      while job.unfinished.load(ordering: .acquiring) > 0 {}
      current.withLock { $0 = nil }
      job.body = nil   // workers may still hold the job, never its closure
    }
    return true
  }

  private func workerLoop() {
    var seen = 0
    while true {
      var spins = 0
      while generation.load(ordering: .acquiring) == seen {
        spins += 1
        if spins < WorkerPool.spinLimit { continue }
        wake.lock()
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        wake.unlock()
        spins = 0
      }
      seen = generation.load(ordering: .acquiring)
      current.withLock { $0 }?.work()
    }
  }
}
