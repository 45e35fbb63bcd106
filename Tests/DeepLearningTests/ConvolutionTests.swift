import DeepLearning
import Kernels
import TestSupport
import Testing

/// The im2col + GEMM convolutions against the direct seven-loop references,
/// on odd shapes: sizes 1 and primes, stride 1 and 2, padding 0, 1 and 2.
@Suite("Convolutions against direct references")
struct ConvolutionTests {
  static let cases: [(n: Int, c: Int, o: Int, h: Int, w: Int, k: Int, s: Int, p: Int)] = [
    (1, 1, 1, 1, 1, 1, 1, 0), (1, 1, 1, 3, 3, 3, 1, 1), (2, 3, 5, 7, 5, 3, 1, 0), (2, 3, 5, 7, 5, 3, 2, 1),
    (3, 2, 7, 11, 13, 4, 2, 1), (1, 5, 3, 13, 7, 4, 2, 2), (2, 7, 11, 5, 5, 5, 1, 2), (1, 3, 2, 8, 8, 4, 1, 0),
    (2, 1, 17, 9, 9, 1, 2, 0), (1, 13, 3, 4, 4, 4, 1, 0), (2, 2, 3, 6, 9, 2, 2, 2),
  ]

  @Test("conv2d forward, input gradient and weight gradient", arguments: cases)
  func conv(_ t: (n: Int, c: Int, o: Int, h: Int, w: Int, k: Int, s: Int, p: Int)) throws {
    let geo = ConvGeometry(n: t.n, c: t.c, h: t.h, w: t.w, k: t.k, stride: t.s, padding: t.p)
    try #require(geo.oh > 0 && geo.ow > 0)
    let x = fixture([t.n, t.c, t.h, t.w], seed: 1), w = fixture([t.o, t.c, t.k, t.k], seed: 2)
    let y = conv2d(x, weight: w, stride: t.s, padding: t.p)
    var ref = [Float](repeating: 0, count: y.count)
    x.data.withUnsafeBufferPointer { px in w.data.withUnsafeBufferPointer { pw in ref.withUnsafeMutableBufferPointer {
      conv2dReference(geo, outChannels: t.o, x: px.baseAddress!, w: pw.baseAddress!, y: $0.baseAddress!)
    } } }
    #expect(y.shape == [t.n, t.o, geo.oh, geo.ow])
    #expect(closeness(y.data, ref, atol: 1e-5, rtol: 1e-4) <= 1, "forward \(t)")

    let dy = fixture(y.shape, seed: 3, requiresGrad: false)
    y.backward(seed: dy.data)
    var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count)
    dy.data.withUnsafeBufferPointer { pdy in
      w.data.withUnsafeBufferPointer { pw in dx.withUnsafeMutableBufferPointer {
        conv2dTransposeReference(geo, outChannels: t.o, y: pdy.baseAddress!, w: pw.baseAddress!, x: $0.baseAddress!)
      } }
      x.data.withUnsafeBufferPointer { px in dw.withUnsafeMutableBufferPointer {
        conv2dWeightGradReference(geo, outChannels: t.o, x: px.baseAddress!, dy: pdy.baseAddress!, dw: $0.baseAddress!)
      } }
    }
    #expect(closeness(x.grad!, dx, atol: 1e-5, rtol: 1e-4) <= 1, "input gradient \(t)")
    #expect(closeness(w.grad!, dw, atol: 1e-5, rtol: 1e-4) <= 1, "weight gradient \(t)")
  }

  @Test("conv_transpose2d forward is the adjoint of conv2d", arguments: cases)
  func transposed(_ t: (n: Int, c: Int, o: Int, h: Int, w: Int, k: Int, s: Int, p: Int)) throws {
    // conv_transpose2d maps conv2d's output shape back to its input shape.
    let geo = ConvGeometry(n: t.n, c: t.c, h: t.h, w: t.w, k: t.k, stride: t.s, padding: t.p)
    try #require(geo.oh > 0 && geo.ow > 0)
    // output_padding selects the exact size when (h + 2p - k) is not divisible by s (square: h == w only).
    let op = (t.h + 2 * t.p - t.k) % t.s
    guard op == (t.w + 2 * t.p - t.k) % t.s else { return }
    let xT = fixture([t.n, t.o, geo.oh, geo.ow], seed: 4), w = fixture([t.o, t.c, t.k, t.k], seed: 5)
    let y = convTranspose2d(xT, weight: w, stride: t.s, padding: t.p, outputPadding: op)
    var ref = [Float](repeating: 0, count: t.n * t.c * t.h * t.w)
    xT.data.withUnsafeBufferPointer { px in w.data.withUnsafeBufferPointer { pw in ref.withUnsafeMutableBufferPointer {
      conv2dTransposeReference(geo, outChannels: t.o, y: px.baseAddress!, w: pw.baseAddress!, x: $0.baseAddress!)
    } } }
    #expect(y.shape == [t.n, t.c, t.h, t.w])
    #expect(closeness(y.data, ref, atol: 1e-5, rtol: 1e-4) <= 1, "forward \(t)")
  }
}
