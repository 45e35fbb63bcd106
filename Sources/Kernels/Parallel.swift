//===--- Parallel.swift ---------------------------------------------------===//
// A deterministic split of work across threads. Every parallel kernel divides its
// output into disjoint contiguous chunks whose boundaries depend only on the sizes
// and the thread count, and each output element is computed by one thread with the
// same sequence of operations as on one thread, so results are bit-identical for
// a given seed whatever the thread count.
//===----------------------------------------------------------------------===//
import Dispatch

/// Process-wide kernel settings.
public enum KernelConfig {
  /// Number of threads the heavy kernels use (default: 2, this machine's cores).
  nonisolated(unsafe) public static var threads: Int = 2
}

/// Runs `body(chunk)` for chunk in 0..<count, in parallel when count > 1.
@inline(__always)
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
  if count <= 1 {
    if count == 1 { body(0) }
    return
  }
  DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

/// Splits 0..<total into `parts` contiguous ranges whose lengths are multiples of
/// `granule` (except the last) and returns range number `index`.
@inline(__always)
public func chunkRange(_ total: Int, parts: Int, index: Int, granule: Int = 1) -> Range<Int> {
  let units = (total + granule - 1) / granule
  let lo = units * index / parts, hi = units * (index + 1) / parts
  return min(lo * granule, total)..<min(hi * granule, total)
}
