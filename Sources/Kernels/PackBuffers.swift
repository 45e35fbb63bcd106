//===--- PackBuffers.swift ------------------------------------------------===//
// Reusable GEMM packing buffers. Allocating the ~1 MiB panels on every call
// went through mmap/munmap (glibc's large-allocation path), whose page faults
// and cross-core TLB shootdowns cost more than small GEMMs themselves. A small
// lock-protected pool hands each concurrent caller its own set.
//===----------------------------------------------------------------------===//
import Synchronization

/// Scratch space for one serial GEMM: packed A and B panels and an edge tile.
final class PackBuffers: @unchecked Sendable {
  var a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, edge: UnsafeMutablePointer<Float>
  var aCap: Int, bCap: Int
  init() {
    aCap = 0; bCap = 0
    a = .allocate(capacity: 1); b = .allocate(capacity: 1); edge = .allocate(capacity: gemmMR * gemmNR)
  }
  deinit { a.deallocate(); b.deallocate(); edge.deallocate() }
  func reserve(a na: Int, b nb: Int) {
    if na > aCap { a.deallocate(); a = .allocate(capacity: na); aCap = na }
    if nb > bCap { b.deallocate(); b = .allocate(capacity: nb); bCap = nb }
  }
}

enum PackBufferPool {
  static let pool = Mutex<[PackBuffers]>([])
  /// Runs `body` with a buffer set no other thread is using.
  @inline(__always)
  static func with<T>(_ body: (PackBuffers) -> T) -> T {
    let buf = pool.withLock { $0.popLast() } ?? PackBuffers()
    defer { pool.withLock { $0.append(buf) } }
    return body(buf)
  }
}

/// Reusable buffers for zero-padded copies of convolution inputs (same reason as the pack buffers).
enum PaddedImagePool {
  final class Buffer: @unchecked Sendable {
    var p: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var cap = 0
    deinit { p.deallocate() }
  }
  static let pool = Mutex<[Buffer]>([])
  static func with<T>(count: Int, _ body: (UnsafeMutablePointer<Float>) -> T) -> T {
    let buf = pool.withLock { $0.popLast() } ?? Buffer()
    defer { pool.withLock { $0.append(buf) } }
    if buf.cap < count { buf.p.deallocate(); buf.p = .allocate(capacity: count); buf.cap = count }
    return body(buf.p)
  }
}
