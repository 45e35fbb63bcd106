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

/// The output columns xo whose input column xo * s - p + kw lies inside [0, w).
@inline(__always)
func validRange(_ kw: Int, w: Int, ow: Int, s: Int, p: Int) -> Range<Int> {
  // xo >= ceil((p - kw) / s) and xo <= floor((w - 1 + p - kw) / s), for possibly negative numerators.
  func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
  let lo = max(0, -floorDiv(kw - p, s)), hi = min(ow, floorDiv(w - 1 + p - kw, s) + 1)
  return lo..<max(lo, hi)
}

/// col[C*k*k, N*OH*OW] := im2col(x[N, C, H, W]). Rows are split across threads.
public func im2col(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>,
                   threads: Int = KernelConfig.threads) {
  let oh = g.oh, ow = g.ow, ncols = g.colCols, s = g.stride, p = g.padding
  let rows = g.colRows
  let t = rows * ncols >= 1 << 16 ? threads : 1
  parallelFor(t) { part in
    for row in chunkRange(rows, parts: t, index: part) {
      let kw = row % g.k, kh = (row / g.k) % g.k, c = row / (g.k * g.k)
      let xr = validRange(kw, w: g.w, ow: ow, s: s, p: p)
      let yr = validRange(kh, w: g.h, ow: oh, s: s, p: p)
      var dst = col + row * ncols
      for n in 0..<g.n {
        let plane = x + (n * g.c + c) * g.h * g.w
        for y in 0..<oh {
          if !yr.contains(y) { dst.update(repeating: 0, count: ow); dst += ow; continue }
          let src = plane + (y * s - p + kh) * g.w + (kw - p)   // src[xo * s] is the input for column xo
          if xr.lowerBound > 0 { dst.update(repeating: 0, count: xr.lowerBound) }
          if s == 1 {
            (dst + xr.lowerBound).update(from: src + xr.lowerBound, count: xr.count)
          } else {
            for xo in xr { dst[xo] = src[xo &* s] }
          }
          if xr.upperBound < ow { (dst + xr.upperBound).update(repeating: 0, count: ow - xr.upperBound) }
          dst += ow
        }
      }
    }
  }
}

/// x[N, C, H, W] (+)= col2im(col[C*k*k, N*OH*OW]). Overwrites x when `accumulate` is false.
/// The N*C output planes are split across threads; each plane gathers only its own column entries,
/// in a fixed tap order, so results do not depend on the thread count.
public func col2im(_ g: ConvGeometry, _ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>,
                   accumulate: Bool = false, threads: Int = KernelConfig.threads) {
  let oh = g.oh, ow = g.ow, ncols = g.colCols, kk = g.k * g.k, s = g.stride, p = g.padding
  let planes = g.n * g.c
  let t = g.colRows * ncols >= 1 << 16 ? min(threads, planes) : 1
  parallelFor(t) { part in
    for plane in chunkRange(planes, parts: t, index: part) {
      let n = plane / g.c, c = plane % g.c
      let out = x + plane * g.h * g.w
      if !accumulate { out.update(repeating: 0, count: g.h * g.w) }
      for kh in 0..<g.k {
        let yr = validRange(kh, w: g.h, ow: oh, s: s, p: p)
        for kw in 0..<g.k {
          let xr = validRange(kw, w: g.w, ow: ow, s: s, p: p)
          let src = col + (c * kk + kh * g.k + kw) * ncols + n * oh * ow
          for y in yr {
            let dst = out + (y * s - p + kh) * g.w + (kw - p)
            let srow = src + y * ow
            if s == 1 {
              for xo in xr { dst[xo] += srow[xo] }
            } else {
              for xo in xr { dst[xo &* s] += srow[xo] }
            }
          }
        }
      }
    }
  }
}
