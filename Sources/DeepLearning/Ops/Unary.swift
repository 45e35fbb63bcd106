//===--- Unary.swift ------------------------------------------------------===//
// Elementwise functions and activations, each with its derivative:
//   relu' = [x > 0]; leaky_relu' = 1 or slope; tanh' = 1 - y^2; sigmoid' = y(1 - y);
//   softplus' = sigmoid(x); exp' = y; log' = 1/x; sqrt' = 1/(2y); |x|' = sign(x);
//   (x^p)' = p x^(p-1).
//===----------------------------------------------------------------------===//
import Kernels
import Libm

extension Tensor {
  /// y = f(x) elementwise, with dy/dx = df(x, y). `simd`, when given, computes f on eight lanes at
  /// once (in Double, as the scalar f does) and must agree with it bit for bit. The forward loop is
  /// split across threads from `minimum` elements on (lower for transcendental functions).
  @inline(__always)
  func unary(_ f: (Float) -> Float, simd: ((Math.Double8) -> Math.Double8)? = nil,
             minimum: Int = transcendentalParallelMinimum, _ df: @escaping (Float, Float) -> Float) -> Tensor {
    var y = uninitializedFloats(count)
    data.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
      let (s, d) = (px.baseAddress!, py.baseAddress!)
      if let simd {
        parallelRanges(px.count, minimum: minimum) { r in
          Math.map(s + r.lowerBound, d + r.lowerBound, count: r.count, simd: simd, scalar: f)
        }
      } else {
        parallelRanges(px.count, minimum: minimum) { r in for i in r { d[i] = f(s[i]) } }
      } } }
    let x = data
    return Tensor(shape: shape, data: y, inputs: [self]) { [y] g, _ in
      var gx = uninitializedFloats(g.count)
      x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in g.withUnsafeBufferPointer { pg in
        gx.withUnsafeMutableBufferPointer { po in
          let (xs, ys, gs, os) = (px.baseAddress!, py.baseAddress!, pg.baseAddress!, po.baseAddress!)
          parallelRanges(po.count) { r in for i in r { os[i] = gs[i] * df(xs[i], ys[i]) } }
        } } } }
      return [gx]
    }
  }

  /// max(x, 0).
  public func relu() -> Tensor { leakyRelu(0) }
  /// max(x, slope * x) for slope in [0, 1) (PyTorch's LeakyReLU, default slope 0.01).
  /// A dedicated loop: these run on every hidden layer, so they avoid the closure-based path.
  public func leakyRelu(_ slope: Float = 0.01) -> Tensor {
    var y = uninitializedFloats(count)
    data.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
      let (s, d) = (px.baseAddress!, py.baseAddress!)
      parallelRanges(px.count) { r in for i in r { let v = s[i]; d[i] = v > 0 ? v : slope * v } } } }
    let x = data
    return Tensor(shape: shape, data: y, inputs: [self]) { g, _ in
      var gx = uninitializedFloats(g.count)
      x.withUnsafeBufferPointer { px in g.withUnsafeBufferPointer { pg in gx.withUnsafeMutableBufferPointer { po in
        let (xs, gs, os) = (px.baseAddress!, pg.baseAddress!, po.baseAddress!)
        parallelRanges(po.count) { r in for i in r { os[i] = xs[i] > 0 ? gs[i] : slope * gs[i] } } } } }
      return [gx]
    }
  }
  /// tanh x (computed in Double, eight lanes at a time).
  public func tanh() -> Tensor { unary({ Math.tanh($0) }, simd: { Math.tanh($0) }, { _, y in 1 - y * y }) }
  /// 1 / (1 + e^-x).
  public func sigmoid() -> Tensor { unary({ Math.sigmoid($0) }, simd: { Math.sigmoid($0) }, { _, y in y * (1 - y) }) }
  /// log(1 + e^x), stable for large |x|.
  public func softplus() -> Tensor { unary({ Math.softplus($0) }, { x, _ in Math.sigmoid(x) }) }
  /// e^x.
  public func exp() -> Tensor { unary({ Math.exp($0) }, simd: { Math.exp($0) }, { _, y in y }) }
  /// Natural logarithm.
  public func log() -> Tensor { unary({ Math.log($0) }, { x, _ in 1 / x }) }
  /// Square root.
  public func sqrt() -> Tensor { unary({ $0.squareRoot() }, minimum: elementwiseParallelMinimum, { _, y in 0.5 / y }) }
  /// |x|; the gradient is 0 at 0.
  public func abs() -> Tensor { unary({ Swift.abs($0) }, minimum: elementwiseParallelMinimum, { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
  /// x^2.
  public func square() -> Tensor { unary({ $0 * $0 }, minimum: elementwiseParallelMinimum, { x, _ in 2 * x }) }
  /// x^p.
  public func pow(_ p: Float) -> Tensor {
    if p == 2 { return square() }
    return unary({ Math.pow($0, p) }, { x, _ in p * Math.pow(x, p - 1) })
  }
  /// Clamps to [lo, hi]; the gradient passes only strictly inside.
  public func clamp(_ lo: Float, _ hi: Float) -> Tensor {
    unary({ Swift.min(Swift.max($0, lo), hi) }, minimum: elementwiseParallelMinimum, { x, _ in x > lo && x < hi ? 1 : 0 })
  }
}
