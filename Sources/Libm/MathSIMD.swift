//===--- MathSIMD.swift ---------------------------------------------------===//
// exp, tanh and sigmoid on eight Doubles at once, for the elementwise tensor ops.
// Every lane follows exactly the operations of the scalar functions in Math.swift
// (the same range reduction, Taylor polynomial, scaling and branches, chosen per
// lane with masks), so each lane's result is bit-identical to the scalar one: the
// speed-up changes no number. The tests check this on edge cases and random values.
//===----------------------------------------------------------------------===//

extension Math {
  /// Eight Doubles, the lanes of the vector functions.
  public typealias Double8 = SIMD8<Double>

  /// e^x per lane; bit-identical to `exp(_: Double)`.
  @inlinable public static func exp(_ x: Double8) -> Double8 {
    let n = roundedHalfAway(x * log2eSIMD)
    let r = (x - n * ln2HiSIMD) - n * ln2LoSIMD
    var p = expTaylor(r)
    // scale(p, n): at most one pre-multiplication by 2^1023 or 2^-1022, then 2^n from its bits.
    let big = n .> 1023, small = n .< -1022
    p.replace(with: p * 0x1p1023, where: big)
    p.replace(with: p * 0x1p-1022, where: small)
    var m = n
    m.replace(with: n - 1023, where: big)
    m.replace(with: n + 1022, where: small)
    // 2^m from its bits: m + 1023 + 2^52 holds m + 1023 in its low mantissa bits (exact for integral m;
    // the clamp keeps lanes that are overwritten below in range).
    let biased = m.clamped(lowerBound: Double8(repeating: -1022), upperBound: Double8(repeating: 1023)) + (1023 + 0x1p52)
    let twoN = unsafeBitCast((unsafeBitCast(biased, to: SIMD8<UInt64>.self) & 0x7ff) &<< 52, to: Double8.self)
    var y = p * twoN
    y.replace(with: Double.infinity, where: x .> 709.782712893384)
    y.replace(with: 0, where: x .< -745.1332191019412)
    y.replace(with: x, where: x .!= x)   // NaN
    return y
  }

  /// tanh x per lane; bit-identical to `tanh(_: Double)`.
  @inlinable public static func tanh(_ x: Double8) -> Double8 {
    let a = magnitude(x)
    let e = exp(-2 * a)
    var t = (1 - e) / (1 + e)
    t.replace(with: -t, where: x .< 0)
    t.replace(with: x - x * x * x / 3, where: a .< 1e-5)
    t.replace(with: x, where: x .!= x)
    return t
  }

  /// 1 / (1 + e^-x) per lane; bit-identical to `sigmoid(_: Double)`.
  @inlinable public static func sigmoid(_ x: Double8) -> Double8 {
    let e = exp(-magnitude(x))           // e^-x for x >= 0, e^x below
    var s = e / (1 + e)
    s.replace(with: 1 / (1 + e), where: x .>= 0)
    s.replace(with: x, where: x .!= x)
    return s
  }

  /// `v.rounded()` per lane (to nearest, ties away from zero) for |v| < 2^51, without a generic conversion:
  /// adding and subtracting 1.5 * 2^52 rounds to nearest even, then exact ties move away from zero.
  @inlinable static func roundedHalfAway(_ v: Double8) -> Double8 {
    var n = (v + 0x1.8p52) - 0x1.8p52
    let d = v - n
    n.replace(with: n + 1, where: (d .== 0.5) .& (v .> 0))
    n.replace(with: n - 1, where: (d .== -0.5) .& (v .< 0))
    return n
  }

  /// |x| per lane (the sign bit cleared, as `abs` on a Double).
  @inlinable static func magnitude(_ x: Double8) -> Double8 {
    unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: Double8.self)
  }

  @usableFromInline static let log2eSIMD = Double8(repeating: log2e)
  @usableFromInline static let ln2HiSIMD = Double8(repeating: ln2Hi)
  @usableFromInline static let ln2LoSIMD = Double8(repeating: ln2Lo)

  /// `out[i] = Float(f(Double(input[i])))` for `count` elements: eight lanes at a time through `simd`,
  /// the tail through `scalar` (which must give the same values).
  @inlinable public static func map(_ input: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
                                    simd: (Double8) -> Double8, scalar: (Float) -> Float) {
    var i = 0
    while i + 8 <= count {
      let v = UnsafeRawPointer(input + i).loadUnaligned(as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(out + i).storeBytes(of: SIMD8<Float>(simd(Double8(v))), as: SIMD8<Float>.self)
      i += 8
    }
    while i < count { out[i] = scalar(input[i]); i += 1 }
  }
}
