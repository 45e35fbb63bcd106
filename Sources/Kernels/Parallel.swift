//===--- Parallel.swift ---------------------------------------------------===//
// A deterministic split of work across threads. Every parallel kernel divides its
// output into disjoint contiguous chunks whose boundaries depend only on the sizes
// and the thread count, and each output element is computed by one thread with the
// same sequence of operations as on one thread, so results are bit-identical for
// a given seed whatever the thread count.
//===----------------------------------------------------------------------===//
import Dispatch
import Synchronization

/// Process-wide kernel settings.
public enum KernelConfig {
  private static let threadCount = Atomic<Int>(2)
  /// Number of threads the heavy kernels use (default: 2, this machine's cores). Atomic, so
  /// training runs on concurrent lanes may change it while kernels read it; results do not
  /// depend on it.
  public static var threads: Int {
    get { threadCount.load(ordering: .relaxed) }
    set { threadCount.store(max(1, newValue), ordering: .relaxed) }
  }
}

/// Runs `body(chunk)` for chunk in 0..<count, in parallel when count > 1.
///
/// `body` is not `@Sendable`: the kernels pass closures that write through unsafe pointers into
/// one output buffer. That is free of data races because every chunk writes its own disjoint
/// range of the output and reads only inputs no chunk writes; each caller keeps to this contract,
/// which the compiler cannot check, so the closure is handed to Dispatch as `@Sendable` here.
@inline(__always)
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
  if count <= 1 {
    if count == 1 { body(0) }
    return
  }
  // The persistent workers (WorkerPool.swift), or Dispatch when another job holds them.
  if WorkerPool.shared.run(count, threads: min(count, max(2, KernelConfig.threads)), body) { return }
  withoutActuallyEscaping(body) { body in
    DispatchQueue.concurrentPerform(iterations: count, execute: unsafeBitCast(body, to: (@Sendable (Int) -> Void).self))
  }
}

/// Splits 0..<total into `parts` contiguous ranges whose lengths are multiples of
/// `granule` (except the last) and returns range number `index`.
@inline(__always)
public func chunkRange(_ total: Int, parts: Int, index: Int, granule: Int = 1) -> Range<Int> {
  let units = (total + granule - 1) / granule
  let lo = units * index / parts, hi = units * (index + 1) / parts
  return min(lo * granule, total)..<min(hi * granule, total)
}

/// Elementwise loops shorter than this run on the calling thread: below ~128 Ki floats the
/// hand-off to a second thread costs about what it saves.
public let elementwiseParallelMinimum = 1 << 17

/// The same threshold for elementwise transcendental functions (exp, tanh, sigmoid, log, ...), which
/// cost tens of times a multiply per element, so much shorter loops are worth splitting (the MLP
/// path's [100, 1024] activations, for one).
public let transcendentalParallelMinimum = 1 << 13

/// Runs `body(range)` over 0..<count, split into one contiguous range per thread when `count`
/// is at least `minimum`. For elementwise loops, whose results cannot depend on the split.
@inline(__always)
public func parallelRanges(_ count: Int, threads: Int = KernelConfig.threads, minimum: Int = elementwiseParallelMinimum,
                           _ body: (Range<Int>) -> Void) {
  let t = count >= minimum ? threads : 1
  if t <= 1 { body(0..<count); return }
  parallelFor(t) { part in body(chunkRange(count, parts: t, index: part, granule: 16)) }
}
