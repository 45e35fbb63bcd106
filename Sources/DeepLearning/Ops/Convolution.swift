//===--- Convolution.swift ------------------------------------------------===//
// conv2d and conv_transpose2d as batched im2col + one GEMM (oneDNN's gemm
// convolution), with PyTorch's weight layouts and semantics. The column matrix
// is never stored: the GEMM packs its panels straight from the image
// (Kernels/ImplicitIm2Col.swift).
//
// conv2d, x [N, C, H, W], w [O, C, k, k]:
//   col = im2col(x)                 [C k k, N OH OW]
//   Y   = W col                     [O, N OH OW]  -> y [N, O, OH, OW]
//   dW  = dY col^T,  dcol = W^T dY, dx = col2im(dcol)
// conv_transpose2d, x [N, Cin, H, W], w [Cin, Cout, k, k], is conv2d's input
// gradient used as a forward pass (OH = (H - 1) s - 2p + k):
//   col = W^T X                     [Cout k k, N H W], X = x as [Cin, N H W]
//   y   = col2im(col)
//   dX  = W im2col(dy),  dW = X im2col(dy)^T
//===----------------------------------------------------------------------===//
import Kernels

/// NCHW [N, C, HW] -> channel-major [C, N, HW] (or back, with n and c exchanged).
func swapNC(_ x: [Float], n: Int, c: Int, hw: Int) -> [Float] {
  var out = uninitializedFloats(x.count)
  x.withUnsafeBufferPointer { px in out.withUnsafeMutableBufferPointer { po in
    swapOuterAxes(px.baseAddress!, po.baseAddress!, a: n, b: c, inner: hw)
  } }
  return out
}

/// C = op(A) * im2col(image) (or * im2col(image)^T), with A an [m, k] row-major buffer (or [k, m] when transA).
func gemmIm2col(_ a: [Float], m: Int, transA: Bool = false, _ g: ConvGeometry, _ image: [Float],
                transposed: Bool) -> [Float] {
  let k = transposed ? g.colCols : g.colRows, n = transposed ? g.colRows : g.colCols
  var c = uninitializedFloats(m * n)
  a.withUnsafeBufferPointer { pa in image.withUnsafeBufferPointer { px in c.withUnsafeMutableBufferPointer { pc in
    let av = transA ? MatrixView.transposed(pa.baseAddress!, ld: m) : .rowMajor(pa.baseAddress!, ld: k)
    sgemm(m: m, n: n, k: k, a: av, b: .im2col(g, px.baseAddress!, transposed: transposed), c: pc.baseAddress!, ldc: n)
  } } }
  return c
}

/// col2im(W^T B) for W [kInner, C k k] row-major (a weight whose first axis is summed over) and
/// B [kInner, N OH OW] -> [N, C, H, W].
func col2imOfProduct(_ g: ConvGeometry, weight w: [Float], _ b: [Float], kInner: Int) -> [Float] {
  let col = gemm(w, b, m: g.colRows, n: g.colCols, k: kInner, transA: true)   // [C k k, N OH OW]
  var x = uninitializedFloats(g.n * g.c * g.h * g.w)  // col2im writes every element
  col.withUnsafeBufferPointer { pc in x.withUnsafeMutableBufferPointer { px in
    Kernels.col2im(g, pc.baseAddress!, px.baseAddress!)
  } }
  return x
}

/// Adds bias[c] to every element of channel c of an [N, C, HW] array.
func addChannelBias(_ y: inout [Float], _ b: [Float], n: Int, c: Int, hw: Int) {
  y.withUnsafeMutableBufferPointer { py in
    for i in 0..<n { for j in 0..<c {
      let v = b[j], p = py.baseAddress! + (i * c + j) * hw
      for k in 0..<hw { p[k] += v }
    } }
  }
}

/// sum over N and HW of an [N, C, HW] gradient: the bias gradient.
func channelSums(_ g: [Float], n: Int, c: Int, hw: Int) -> [Float] {
  var s = [Float](repeating: 0, count: c)
  g.withUnsafeBufferPointer { pg in
    for i in 0..<n { for j in 0..<c {
      var acc: Float = 0
      let p = pg.baseAddress! + (i * c + j) * hw
      for k in 0..<hw { acc += p[k] }
      s[j] += acc
    } }
  }
  return s
}

/// 2-D convolution (torch.nn.functional.conv2d): x [N, C, H, W], weight [O, C, k, k],
/// bias [O] -> [N, O, OH, OW] with OH = (H + 2 padding - k) / stride + 1.
public func conv2d(_ x: Tensor, weight w: Tensor, bias b: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
  precondition(x.rank == 4 && w.rank == 4 && x.shape[1] == w.shape[1] && w.shape[2] == w.shape[3],
               "conv2d: input \(x.shape) with weight \(w.shape)")
  let geo = ConvGeometry(n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3], k: w.shape[2],
                         stride: stride, padding: padding)
  precondition(geo.oh > 0 && geo.ow > 0, "conv2d: input \(x.shape) too small for kernel \(geo.k)")
  let o = w.shape[0], n = geo.n, ohw = geo.oh * geo.ow
  let xd = x.data
  let yc = gemmIm2col(w.data, m: o, geo, xd, transposed: false)   // W col: [O, N OH OW]
  var y = swapNC(yc, n: o, c: n, hw: ohw)          // [N, O, OH OW]
  if let b { addChannelBias(&y, b.data, n: n, c: o, hw: ohw) }
  let inputs = b.map { [x, w, $0] } ?? [x, w]
  return Tensor(shape: [n, o, geo.oh, geo.ow], data: y, inputs: inputs) { g, need in
    let dY = swapNC(g, n: n, c: o, hw: ohw)        // [O, N OH OW]
    var r: [[Float]?] = [nil, nil]
    if need[0] { r[0] = col2imOfProduct(geo, weight: w.data, dY, kInner: o) }   // col2im(W^T dY)
    if need[1] { r[1] = gemmIm2col(dY, m: o, geo, xd, transposed: true) }   // dY col^T
    if b != nil { r.append(need[2] ? channelSums(g, n: n, c: o, hw: ohw) : nil) }
    return r
  }
}

/// Transposed 2-D convolution (torch.nn.functional.conv_transpose2d): x [N, Cin, H, W],
/// weight [Cin, Cout, k, k], bias [Cout] -> [N, Cout, OH, OW],
/// OH = (H - 1) stride - 2 padding + k + outputPadding (outputPadding < stride picks among the
/// output sizes that a strided conv2d maps to the same input size).
public func convTranspose2d(_ x: Tensor, weight w: Tensor, bias b: Tensor? = nil, stride: Int = 1,
                            padding: Int = 0, outputPadding: Int = 0) -> Tensor {
  precondition(x.rank == 4 && w.rank == 4 && x.shape[1] == w.shape[0] && w.shape[2] == w.shape[3],
               "convTranspose2d: input \(x.shape) with weight \(w.shape)")
  let n = x.shape[0], cin = x.shape[1], h = x.shape[2], wd = x.shape[3]
  let cout = w.shape[1], k = w.shape[2]
  precondition(outputPadding >= 0 && outputPadding < stride, "convTranspose2d: outputPadding must be in [0, stride)")
  let oh = (h - 1) * stride - 2 * padding + k + outputPadding
  let ow = (wd - 1) * stride - 2 * padding + k + outputPadding
  precondition(oh > 0 && ow > 0, "convTranspose2d: empty output for input \(x.shape)")
  // The conv2d whose input gradient this is: input [N, Cout, OH, OW] -> output [N, Cin, H, W].
  let geo = ConvGeometry(n: n, c: cout, h: oh, w: ow, k: k, stride: stride, padding: padding)
  precondition(geo.oh == h && geo.ow == wd, "convTranspose2d: inconsistent geometry for \(x.shape)")
  let hw = h * wd
  let X = swapNC(x.data, n: n, c: cin, hw: hw)     // [Cin, N H W]
  var y = col2imOfProduct(geo, weight: w.data, X, kInner: cin)   // col2im(W^T X), W^T X [Cout k k, N H W]
  if let b { addChannelBias(&y, b.data, n: n, c: cout, hw: oh * ow) }
  let inputs = b.map { [x, w, $0] } ?? [x, w]
  return Tensor(shape: [n, cout, oh, ow], data: y, inputs: inputs) { g, need in
    var r: [[Float]?] = [nil, nil]
    // dcol = im2col(dy) [Cout k k, N H W], packed on the fly.
    if need[0] { r[0] = swapNC(gemmIm2col(w.data, m: cin, geo, g, transposed: false), n: cin, c: n, hw: hw) }
    if need[1] { r[1] = gemmIm2col(X, m: cin, geo, g, transposed: true) }
    if b != nil { r.append(need[2] ? channelSums(g, n: n, c: cout, hw: oh * ow) : nil) }
    return r
  }
}
