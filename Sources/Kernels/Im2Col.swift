//===--- Im2Col.swift -----------------------------------------------------===//
// im2col / col2im for a whole batch, so a convolution becomes one large GEMM.
//
// Geometry: input [N, C, H, W] (NCHW), square kernel k, stride s, padding p,
// output spatial size OH = (H + 2p - k) / s + 1 (and OW likewise).
// The column matrix is [C*k*k, N*OH*OW], row (c, kh, kw), column (n, oh, ow):
//   col[(c*k + kh)*k + kw][(n*OH + oh)*OW + ow] = x[n, c, oh*s - p + kh, ow*s - p + kw]
// (zero outside the image). col2im is its adjoint: it adds every column entry back
// into the input position it was read from.
//===----------------------------------------------------------------------===//

/// The shape of a 2-D convolution over a batch.
public struct ConvGeometry: Equatable, Sendable {
  public var n, c, h, w, k, stride, padding: Int
  public init(n: Int, c: Int, h: Int, w: Int, k: Int, stride: Int, padding: Int) {
    self.n = n; self.c = c; self.h = h; self.w = w; self.k = k; self.stride = stride; self.padding = padding
  }
  public var oh: Int { (h + 2 * padding - k) / stride + 1 }
  public var ow: Int { (w + 2 * padding - k) / stride + 1 }
  /// Rows of the column matrix: C*k*k.
  public var colRows: Int { c * k * k }
  /// Columns of the column matrix: N*OH*OW.
  public var colCols: Int { n * oh * ow }
}

/// col[C*k*k, N*OH*OW] := im2col(x[N, C, H, W]). Rows are split across threads.
public func im2col(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>,
                   threads: Int = KernelConfig.threads) {
  let oh = g.oh, ow = g.ow, ncols = g.colCols
  let rows = g.colRows
  let t = rows * ncols >= 1 << 16 ? threads : 1
  parallelFor(t) { part in
    for row in chunkRange(rows, parts: t, index: part) {
      let kw = row % g.k, kh = (row / g.k) % g.k, c = row / (g.k * g.k)
      var dst = col + row * ncols
      for n in 0..<g.n {
        let plane = x + (n * g.c + c) * g.h * g.w
        for y in 0..<oh {
          let iy = y * g.stride - g.padding + kh
          if iy < 0 || iy >= g.h {
            dst.update(repeating: 0, count: ow); dst += ow; continue
          }
          let src = plane + iy * g.w
          if g.stride == 1 {
            // Contiguous run: ix = xo - p + kw, valid for xo in [lo, hi).
            let lo = max(0, g.padding - kw), hi = min(ow, g.w + g.padding - kw)
            for xo in 0..<min(lo, ow) { dst[xo] = 0 }
            if hi > lo { (dst + lo).update(from: src + (lo - g.padding + kw), count: hi - lo) }
            for xo in max(hi, 0)..<ow where xo >= lo { dst[xo] = 0 }
          } else {
            for xo in 0..<ow {
              let ix = xo * g.stride - g.padding + kw
              dst[xo] = (ix >= 0 && ix < g.w) ? src[ix] : 0
            }
          }
          dst += ow
        }
      }
    }
  }
}

/// x[N, C, H, W] (+)= col2im(col[C*k*k, N*OH*OW]). Overwrites x when `accumulate` is false.
/// Channels are split across threads, so each thread writes disjoint planes of x.
public func col2im(_ g: ConvGeometry, _ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>,
                   accumulate: Bool = false, threads: Int = KernelConfig.threads) {
  let oh = g.oh, ow = g.ow, ncols = g.colCols, kk = g.k * g.k
  let t = g.colRows * ncols >= 1 << 16 ? min(threads, g.c) : 1
  parallelFor(t) { part in
    for c in chunkRange(g.c, parts: t, index: part) {
      if !accumulate {
        for n in 0..<g.n { (x + (n * g.c + c) * g.h * g.w).update(repeating: 0, count: g.h * g.w) }
      }
      for kh in 0..<g.k {
        for kw in 0..<g.k {
          var src = col + (c * kk + kh * g.k + kw) * ncols
          for n in 0..<g.n {
            let plane = x + (n * g.c + c) * g.h * g.w
            for y in 0..<oh {
              let iy = y * g.stride - g.padding + kh
              if iy < 0 || iy >= g.h { src += ow; continue }
              let dst = plane + iy * g.w
              if g.stride == 1 {
                let lo = max(0, g.padding - kw), hi = min(ow, g.w + g.padding - kw)
                if hi > lo {
                  let d = dst + (lo - g.padding + kw)
                  for xo in 0..<(hi - lo) { d[xo] += src[lo + xo] }
                }
              } else {
                for xo in 0..<ow {
                  let ix = xo * g.stride - g.padding + kw
                  if ix >= 0 && ix < g.w { dst[ix] += src[xo] }
                }
              }
              src += ow
            }
          }
        }
      }
    }
  }
}
