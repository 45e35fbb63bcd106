//===--- Lanes.swift ------------------------------------------------------===//
// Independent training runs side by side. At the narrow widths a CPU budget
// allows, one run splits its small layers over two cores poorly (measured on
// this machine at width 32: 2 threads gave 1.0-1.3x the images/s of 1 thread,
// while two 1-thread runs side by side gave 2x in total). So a chapter with
// several runs hands them to `lanes` threads, each running its tasks with
// threads / lanes kernel threads; when a lane runs out of tasks the others get
// its cores. The kernels give the same results whatever their thread count, so
// a run's numbers do not depend on the lane it ran in.
//===----------------------------------------------------------------------===//
import Foundation
import Kernels
import Synchronization

/// Runs `tasks` on `lanes` concurrent threads, taking them in order (put the longest first);
/// the kernels get `threads / busy lanes` threads (at least 1). Waits for all, then rethrows
/// the first error (no new task starts after an error). With one lane, runs them in order here.
///
/// Tasks share nothing mutable unless they synchronize it themselves (see `Shared`).
public func runInLanes(_ tasks: [() throws -> Void], lanes: Int, threads: Int) throws {
  let lanes = max(1, min(lanes, tasks.count))
  if lanes == 1 {
    KernelConfig.threads = threads
    for t in tasks { try t() }
    return
  }
  let state = LaneState(tasks: tasks, lanes: lanes, threads: threads)
  let done = DispatchSemaphore(value: 0)
  for _ in 0..<lanes {
    // Foundation threads rather than GCD: a kernel's parallel loop inside a GCD worker counts
    // as nested and would run serially once the lane is alone.
    let thread = Thread { state.work(); done.signal() }
    thread.stackSize = 16 << 20
    thread.start()
  }
  for _ in 0..<lanes { done.wait() }
  KernelConfig.threads = threads
  if let error = state.firstError.withLock({ $0 }) { throw error }
}

/// The task queue of `runInLanes`.
private final class LaneState: @unchecked Sendable {
  let tasks: [() throws -> Void]
  let threads: Int
  let next = Mutex<Int>(0)
  let busy: Mutex<Int>
  let firstError = Mutex<(any Error)?>(nil)

  init(tasks: [() throws -> Void], lanes: Int, threads: Int) {
    self.tasks = tasks; self.threads = threads; busy = Mutex(lanes)
    KernelConfig.threads = max(1, threads / lanes)
  }

  func work() {
    while true {
      let i: Int? = next.withLock { n in
        guard n < tasks.count, firstError.withLock({ $0 == nil }) else { return nil }
        n += 1
        return n - 1
      }
      guard let i else { break }
      do { try tasks[i]() } catch { firstError.withLock { if $0 == nil { $0 = error } } }
    }
    busy.withLock { b in
      b -= 1
      KernelConfig.threads = max(1, threads / max(b, 1))
    }
  }
}

/// A value several lanes write to, behind a lock.
public final class Shared<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value
  /// Wraps `value` for use from the lanes' threads.
  public init(_ value: Value) { self.value = value }
  /// Reads or changes the value under the lock.
  public func with<T>(_ body: (inout Value) throws -> T) rethrows -> T {
    lock.lock(); defer { lock.unlock() }
    return try body(&value)
  }
}
