//===--- ConvReference.swift ----------------------------------------------===//
// Direct seven-loop convolutions in Double: the oracles for the im2col + GEMM
// paths (forward, input gradient and weight gradient of Conv2d; ConvTranspose2d
// is the adjoint of Conv2d with respect to its input, so the same loops serve).
//===----------------------------------------------------------------------===//

/// y[N, O, OH, OW] = conv2d(x[N, C, H, W], w[O, C, k, k]) (no bias), directly.
public func conv2dReference(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>,
                            w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
  let oh = g.oh, ow = g.ow
  for n in 0..<g.n { for oc in 0..<o { for yo in 0..<oh { for xo in 0..<ow {
    var s = 0.0
    for c in 0..<g.c { for kh in 0..<g.k { for kw in 0..<g.k {
      let iy = yo * g.stride - g.padding + kh, ix = xo * g.stride - g.padding + kw
      if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
        s += Double(x[((n * g.c + c) * g.h + iy) * g.w + ix]) * Double(w[((oc * g.c + c) * g.k + kh) * g.k + kw])
      }
    } } }
    y[((n * o + oc) * oh + yo) * ow + xo] = Float(s)
  } } } }
}

/// x[N, C, H, W] = conv2d's adjoint applied to y[N, O, OH, OW] with w[O, C, k, k]:
/// the input gradient of conv2d, which is also conv_transpose2d's forward pass
/// (with the roles of C and O exchanged: w is [Cin_T = O, Cout_T = C, k, k]).
public func conv2dTransposeReference(_ g: ConvGeometry, outChannels o: Int, y: UnsafePointer<Float>,
                                     w: UnsafePointer<Float>, x: UnsafeMutablePointer<Float>) {
  let oh = g.oh, ow = g.ow
  var acc = [Double](repeating: 0, count: g.n * g.c * g.h * g.w)
  for n in 0..<g.n { for oc in 0..<o { for yo in 0..<oh { for xo in 0..<ow {
    let dy = Double(y[((n * o + oc) * oh + yo) * ow + xo])
    for c in 0..<g.c { for kh in 0..<g.k { for kw in 0..<g.k {
      let iy = yo * g.stride - g.padding + kh, ix = xo * g.stride - g.padding + kw
      if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
        acc[((n * g.c + c) * g.h + iy) * g.w + ix] += dy * Double(w[((oc * g.c + c) * g.k + kh) * g.k + kw])
      }
    } } }
  } } } }
  for i in 0..<acc.count { x[i] = Float(acc[i]) }
}

/// dw[O, C, k, k] = gradient of sum(dy * conv2d(x, w)) with respect to w.
public func conv2dWeightGradReference(_ g: ConvGeometry, outChannels o: Int, x: UnsafePointer<Float>,
                                      dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>) {
  let oh = g.oh, ow = g.ow
  for oc in 0..<o { for c in 0..<g.c { for kh in 0..<g.k { for kw in 0..<g.k {
    var s = 0.0
    for n in 0..<g.n { for yo in 0..<oh { for xo in 0..<ow {
      let iy = yo * g.stride - g.padding + kh, ix = xo * g.stride - g.padding + kw
      if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
        s += Double(x[((n * g.c + c) * g.h + iy) * g.w + ix]) * Double(dy[((n * o + oc) * oh + yo) * ow + xo])
      }
    } } }
    dw[((oc * g.c + c) * g.k + kh) * g.k + kw] = Float(s)
  } } } }
}
