//===--- ImplicitIm2Col.swift ---------------------------------------------===//
// Packing GEMM micro-panels straight from an NCHW image, as if from its im2col
// matrix, so convolutions never materialize the column matrix (for the AGE
// encoder that matrix is 16 MiB per layer call, written and read back once).
//
// With col[C*k*k, N*OH*OW] as in Im2Col.swift, the GEMM's B operand is either
//   col      (conv2d forward, conv_transpose2d input gradient), or
//   col^T    (both layers' weight gradients).
//===----------------------------------------------------------------------===//

/// The B operand of a GEMM: an ordinary strided matrix, or the (transposed) im2col of an image.
public enum GEMMOperandB {
  case matrix(MatrixView)
  /// B = im2col(x) ([C k k, N OH OW]) or, when `transposed`, its transpose.
  case im2col(ConvGeometry, UnsafePointer<Float>, transposed: Bool)

  /// The operand starting at column `j0` (for splitting columns across threads).
  func offsetColumns(_ j0: Int) -> (GEMMOperandB, Int) {
    switch self {
    case .matrix(let m): return (.matrix(MatrixView(m.base + j0 * m.colStride, rowStride: m.rowStride, colStride: m.colStride)), 0)
    case .im2col: return (self, j0)
    }
  }
}

/// Packs B[pc..<pc+kc, j0..<j0+nc] of an im2col operand into NR-wide micro-panels, zero-padded.
///
/// The image has no padding (`sgemm` reads a zero-padded copy of a padded convolution's input), so
/// every tap of every output position reads inside it; only the columns past the last of a partial
/// panel are zeros.
func packBIm2col(_ g: ConvGeometry, _ x: UnsafePointer<Float>, transposed: Bool,
                 pc: Int, kc: Int, j0: Int, nc: Int, _ out: UnsafeMutablePointer<Float>) {
  precondition(g.padding == 0, "packBIm2col: pad the image first (sgemm does)")
  let oh = g.oh, ow = g.ow, s = g.stride, hw = g.h * g.w, chw = g.c * hw, k = g.k, kk = k * k
  let base = UnsafeMutablePointer<Int>.allocate(capacity: gemmNR)
  defer { base.deallocate() }
  var dst = out
  var jb = 0
  while jb < nc {
    let w = min(gemmNR, nc - jb)
    if !transposed {
      // Columns t are output positions (n, oy, ox); rows p are taps (c, kh, kw).
      for t in 0..<w {
        let j = j0 + jb + t
        let ox = j % ow, oy = (j / ow) % oh, n = j / (ow * oh)
        base[t] = n * chw + oy * s * g.w + ox * s
      }
      let whole = w == gemmNR
      // Panels of NR positions on one output row: B rows are x[base0 + off + t s].
      var sameRow = whole
      if sameRow { for t in 1..<gemmNR where base[t] != base[0] + t * s { sameRow = false; break } }
      // Panels made of whole output rows of 16, 8 or 4 positions (the 16x16, 8x8 and 4x4 maps of DCGAN's
      // layers): B rows are NR / ow runs x[base[r ow] + off + t s], copied as SIMD loads.
      let run = ow
      let runs = !sameRow && whole && (run == 16 || run == 8 || run == 4) && gemmNR % run == 0 && (s == 1 || s == 2)
        && (j0 + jb) % run == 0
      // The strided loads below read 2 NR (or 2 run) floats from the first one: only inside the image.
      let total = g.n * chw
      var kw = pc % k, kh = (pc / k) % k, c = pc / kk
      for _ in 0..<kc {
        let off = c * hw + kh * g.w + kw
        let src = base[0] &+ off
        if sameRow && s == 1 {
          UnsafeMutableRawPointer(dst).copyMemory(from: x + src, byteCount: gemmNR * 4)
        } else if sameRow && s == 2 && src + 2 * gemmNR <= total {
          for h in 0..<(gemmNR / 16) {
            let v = UnsafeRawPointer(x + src + 32 * h).loadUnaligned(as: SIMD32<Float>.self)
            UnsafeMutableRawPointer(dst + 16 * h).storeBytes(of: v.evenHalf, as: SIMD16<Float>.self)
          }
        } else if runs && s == 1 {
          let d = UnsafeMutableRawPointer(dst)
          for r in 0..<(gemmNR / run) {
            let from = UnsafeRawPointer(x + (base[run * r] &+ off))
            switch run {
            case 16: d.storeBytes(of: from.loadUnaligned(as: SIMD16<Float>.self), toByteOffset: 64 * r, as: SIMD16<Float>.self)
            case 8: d.storeBytes(of: from.loadUnaligned(as: SIMD8<Float>.self), toByteOffset: 32 * r, as: SIMD8<Float>.self)
            default: d.storeBytes(of: from.loadUnaligned(as: SIMD4<Float>.self), toByteOffset: 16 * r, as: SIMD4<Float>.self)
            }
          }
        } else if runs && base[gemmNR - run] &+ off + 2 * run <= total {   // s == 2
          let d = UnsafeMutableRawPointer(dst)
          for r in 0..<(gemmNR / run) {
            let from = UnsafeRawPointer(x + (base[run * r] &+ off))
            switch run {
            case 16: d.storeBytes(of: from.loadUnaligned(as: SIMD32<Float>.self).evenHalf, toByteOffset: 64 * r, as: SIMD16<Float>.self)
            case 8: d.storeBytes(of: from.loadUnaligned(as: SIMD16<Float>.self).evenHalf, toByteOffset: 32 * r, as: SIMD8<Float>.self)
            default: d.storeBytes(of: from.loadUnaligned(as: SIMD8<Float>.self).evenHalf, toByteOffset: 16 * r, as: SIMD4<Float>.self)
            }
          }
        } else {
          for t in 0..<w { dst[t] = x[base[t] &+ off] }
          for t in w..<gemmNR { dst[t] = 0 }
        }
        dst += gemmNR
        kw += 1
        if kw == k { kw = 0; kh += 1; if kh == k { kh = 0; c += 1 } }
      }
    } else {
      // Columns t are taps (c, kh, kw); rows p are output positions (n, oy, ox).
      for t in 0..<w {
        let j = j0 + jb + t
        let kw = j % k, kh = (j / k) % k, c = j / kk
        base[t] = c * hw + kh * g.w + kw
      }
      // 4x4 kernels with the panel starting on a kernel row: the 16 taps are four runs of four
      // contiguous pixels (kw = 0..3), copied as SIMD4 loads.
      let runs4 = k == 4 && w == gemmNR && (j0 + jb) % 4 == 0
      var ox = pc % ow, oy = (pc / ow) % oh, n = pc / (ow * oh)
      for _ in 0..<kc {
        let b0 = n * chw + oy * s * g.w + ox * s
        if runs4 {
          let d = UnsafeMutableRawPointer(dst)
          for r in 0..<(gemmNR / 4) {
            let v = UnsafeRawPointer(x + (b0 &+ base[4 * r])).loadUnaligned(as: SIMD4<Float>.self)
            d.storeBytes(of: v, toByteOffset: 16 * r, as: SIMD4<Float>.self)
          }
        } else {
          for t in 0..<w { dst[t] = x[b0 &+ base[t]] }
          for t in w..<gemmNR { dst[t] = 0 }
        }
        dst += gemmNR
        ox += 1
        if ox == ow { ox = 0; oy += 1; if oy == oh { oy = 0; n += 1 } }
      }
    }
    jb += gemmNR
  }
}
