//===--- Layout.swift -----------------------------------------------------===//
// Moves between NCHW and the channel-major [C, N, H*W] layout a batched
// convolution GEMM produces and consumes: swapping the two outer axes of an
// [A, B, inner] array, copying `inner` contiguous floats at a time.
//===----------------------------------------------------------------------===//

/// dst[b, a, :] = src[a, b, :] for an [A, B, inner] source (dst is [B, A, inner]).
public func swapOuterAxes(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                          a: Int, b: Int, inner: Int, threads: Int = KernelConfig.threads) {
  let t = a * b * inner >= 1 << 16 ? threads : 1
  parallelFor(t) { part in
    for j in chunkRange(b, parts: t, index: part) {
      for i in 0..<a {
        (dst + (j * a + i) * inner).update(from: src + (i * b + j) * inner, count: inner)
      }
    }
  }
}
