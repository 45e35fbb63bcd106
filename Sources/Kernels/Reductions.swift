//===--- Reductions.swift -------------------------------------------------===//
// Vectorized sums for normalization layers: eight-lane Float partial sums over
// a contiguous run (each lane sums n/8 values, so the rounding error stays near
// that of a Double loop over runs of a few thousand), combined in Double.
//===----------------------------------------------------------------------===//

/// sum_k p[k] for k in 0..<n.
@inline(__always)
public func sumContiguous(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
  typealias V = SIMD8<Float>
  var acc0 = V(), acc1 = V()
  var k = 0
  let raw = UnsafeRawPointer(p)
  while k + 16 <= n {
    acc0 += (raw + 4 * k).loadUnaligned(as: V.self)
    acc1 += (raw + 4 * k + 32).loadUnaligned(as: V.self)
    k += 16
  }
  var s = 0.0
  for l in 0..<8 { s += Double(acc0[l]) + Double(acc1[l]) }
  while k < n { s += Double(p[k]); k += 1 }
  return s
}

/// (sum_k (p[k] - c)^2, sum_k a[k] b[k]) helpers for batch norm.
@inline(__always)
public func sumSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from c: Float) -> Double {
  typealias V = SIMD8<Float>
  var acc0 = V(), acc1 = V()
  let cv = V(repeating: c)
  var k = 0
  let raw = UnsafeRawPointer(p)
  while k + 16 <= n {
    let d0 = (raw + 4 * k).loadUnaligned(as: V.self) - cv, d1 = (raw + 4 * k + 32).loadUnaligned(as: V.self) - cv
    acc0 = acc0.addingProduct(d0, d0); acc1 = acc1.addingProduct(d1, d1)
    k += 16
  }
  var s = 0.0
  for l in 0..<8 { s += Double(acc0[l]) + Double(acc1[l]) }
  while k < n { let d = Double(p[k]) - Double(c); s += d * d; k += 1 }
  return s
}

/// sum_k a[k] * b[k].
@inline(__always)
public func dotContiguous(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
  typealias V = SIMD8<Float>
  var acc0 = V(), acc1 = V()
  var k = 0
  let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
  while k + 16 <= n {
    acc0 = acc0.addingProduct((ra + 4 * k).loadUnaligned(as: V.self), (rb + 4 * k).loadUnaligned(as: V.self))
    acc1 = acc1.addingProduct((ra + 4 * k + 32).loadUnaligned(as: V.self), (rb + 4 * k + 32).loadUnaligned(as: V.self))
    k += 16
  }
  var s = 0.0
  for l in 0..<8 { s += Double(acc0[l]) + Double(acc1[l]) }
  while k < n { s += Double(a[k]) * Double(b[k]); k += 1 }
  return s
}
