//===--- Arithmetic.swift -------------------------------------------------===//
// Elementwise + - * / with broadcasting, and with scalars, each with its VJP:
//   d(a+b) = (g, g)   d(a-b) = (g, -g)   d(a*b) = (g*b, g*a)   d(a/b) = (g/b, -g*a/b^2)
// (each summed back to its operand's shape when it was broadcast).
//===----------------------------------------------------------------------===//
import Kernels

/// Applies `f` elementwise to the broadcast of a and b; returns the data and shape.
@inline(__always)
func zipBroadcast(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> ([Float], [Int]) {
  if a.shape == b.shape {
    var out = uninitializedFloats(a.count)
    a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in
      out.withUnsafeMutableBufferPointer { po in
        let (sa, sb, d) = (pa.baseAddress!, pb.baseAddress!, po.baseAddress!)
        parallelRanges(po.count) { r in for i in r { d[i] = f(sa[i], sb[i]) } }
      }
    } }
    return (out, a.shape)
  }
  let shape = broadcastShape(a.shape, b.shape)
  let n = shape.reduce(1, *)
  var out = [Float](repeating: 0, count: n)
  if b.count == 1 && a.count == n {
    let s = b.data[0]
    a.data.withUnsafeBufferPointer { pa in out.withUnsafeMutableBufferPointer { po in
      for i in 0..<n { po[i] = f(pa[i], s) } } }
  } else if a.count == 1 && b.count == n {
    let s = a.data[0]
    b.data.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
      for i in 0..<n { po[i] = f(s, pb[i]) } } }
  } else {
    let ma = a.count == n ? nil : broadcastMap(from: a.shape, to: shape)
    let mb = b.count == n ? nil : broadcastMap(from: b.shape, to: shape)
    for i in 0..<n { out[i] = f(a.data[ma?[i] ?? i], b.data[mb?[i] ?? i]) }
  }
  return (out, shape)
}

/// Expands `x` (of shape `from`) to the broadcast shape `to`.
func expand(_ x: [Float], from: [Int], to: [Int]) -> [Float] {
  if from == to { return x }
  let n = to.reduce(1, *)
  if x.count == 1 { return [Float](repeating: x[0], count: n) }
  let m = broadcastMap(from: from, to: to)
  return m.map { x[$0] }
}

extension Tensor {
  /// a + b elementwise, broadcasting as NumPy does.
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    let (d, s) = zipBroadcast(a, b, +)
    let (sa, sb) = (a.shape, b.shape)
    return Tensor(shape: s, data: d, inputs: [a, b]) { g, need in
      [need[0] ? sumToShape(g, from: s, to: sa) : nil, need[1] ? sumToShape(g, from: s, to: sb) : nil]
    }
  }
  /// a - b elementwise, broadcasting.
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    let (d, s) = zipBroadcast(a, b, -)
    let (sa, sb) = (a.shape, b.shape)
    return Tensor(shape: s, data: d, inputs: [a, b]) { g, need in
      [need[0] ? sumToShape(g, from: s, to: sa) : nil,
       need[1] ? sumToShape(g.map { -$0 }, from: s, to: sb) : nil]
    }
  }
  /// a * b elementwise, broadcasting.
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    let (d, s) = zipBroadcast(a, b, *)
    return Tensor(shape: s, data: d, inputs: [a, b]) { g, need in
      let ea = expand(a.data, from: a.shape, to: s), eb = expand(b.data, from: b.shape, to: s)
      return [need[0] ? sumToShape(zip(g, eb).map(*), from: s, to: a.shape) : nil,
              need[1] ? sumToShape(zip(g, ea).map(*), from: s, to: b.shape) : nil]
    }
  }
  /// a / b elementwise, broadcasting.
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    let (d, s) = zipBroadcast(a, b, /)
    return Tensor(shape: s, data: d, inputs: [a, b]) { g, need in
      let ea = expand(a.data, from: a.shape, to: s), eb = expand(b.data, from: b.shape, to: s)
      var ga: [Float]? = nil, gb: [Float]? = nil
      if need[0] { ga = sumToShape((0..<g.count).map { g[$0] / eb[$0] }, from: s, to: a.shape) }
      if need[1] { gb = sumToShape((0..<g.count).map { -g[$0] * ea[$0] / (eb[$0] * eb[$0]) }, from: s, to: b.shape) }
      return [ga, gb]
    }
  }
  public static prefix func - (a: Tensor) -> Tensor { a * -1 }

  // Scalars.
  /// a + s for every element.
  public static func + (a: Tensor, s: Float) -> Tensor {
    Tensor(shape: a.shape, data: a.data.map { $0 + s }, inputs: [a]) { g, _ in [g] }
  }
  /// s + a for every element.
  public static func + (s: Float, a: Tensor) -> Tensor { a + s }
  /// a - s for every element.
  public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
  /// s - a for every element.
  public static func - (s: Float, a: Tensor) -> Tensor { (a * -1) + s }
  /// a * s for every element.
  public static func * (a: Tensor, s: Float) -> Tensor {
    Tensor(shape: a.shape, data: a.data.map { $0 * s }, inputs: [a]) { g, _ in [g.map { $0 * s }] }
  }
  /// s * a for every element.
  public static func * (s: Float, a: Tensor) -> Tensor { a * s }
  /// a / s for every element.
  public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
}
