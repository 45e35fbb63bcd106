//===--- Math.swift -------------------------------------------------------===//
// Elementary functions in pure Swift (no libm): exp, log, sin, cos, tanh,
// sigmoid, softplus, log1p, lgamma. Each reduces its argument to a small range
// and evaluates a polynomial in Double, which is accurate to a few ulp in Double
// and correctly rounded-or-nearly in Float. Tests compare them with Foundation.
//===----------------------------------------------------------------------===//

/// A Double or eight of them: what the polynomials shared by the scalar and vector functions need.
public protocol PolynomialArgument {
  static func * (a: Self, b: Self) -> Self
  static func + (a: Self, b: Double) -> Self
  /// `c` in every lane.
  static func constant(_ c: Double) -> Self
}

extension Double: PolynomialArgument {
  @inlinable public static func constant(_ c: Double) -> Double { c }
}

extension SIMD8: PolynomialArgument where Scalar == Double {
  @inlinable public static func constant(_ c: Double) -> SIMD8<Double> { SIMD8(repeating: c) }
}

/// Elementary functions in pure Swift (see the file's header).
public enum Math {
  @usableFromInline static let ln2Hi = 6.93147180369123816490e-01
  @usableFromInline static let ln2Lo = 1.90821492927058770002e-10
  @usableFromInline static let log2e = 1.44269504088896338700e+00

  /// e^x. Overflows to +inf above 709.78, underflows to 0 below -745.
  @inlinable public static func exp(_ x: Double) -> Double { _exp(x) }
  @usableFromInline static func _exp(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x > 709.782712893384 { return .infinity }
    if x < -745.1332191019412 { return 0 }
    let n = (x * log2e).rounded()
    let r = (x - n * ln2Hi) - n * ln2Lo  // |r| <= ln2 / 2
    return scale(expTaylor(r), Int(n))
  }

  /// e^r for |r| <= ln2 / 2: its Taylor series to degree 13 by Horner's rule (error < 1e-17). The
  /// scalar and the eight-lane exp share it, so every lane performs the scalar operations exactly.
  @inlinable @inline(__always)
  static func expTaylor<T: PolynomialArgument>(_ r: T) -> T {
    var p = T.constant(1.0 / 6227020800.0)
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p
  }

  /// p * 2^n for n in the range exp produces, going through subnormals safely.
  @usableFromInline static func scale(_ p: Double, _ n: Int) -> Double {
    var p = p, n = n
    if n > 1023 { p *= Double(sign: .plus, exponent: 1023, significand: 1); n -= 1023 }
    if n < -1022 { p *= Double(sign: .plus, exponent: -1022, significand: 1); n += 1022 }
    return p * Double(sign: .plus, exponent: n, significand: 1)
  }

  /// Natural logarithm; -inf at 0, NaN below 0.
  @inlinable public static func log(_ x: Double) -> Double { _log(x) }
  @usableFromInline static func _log(_ x: Double) -> Double {
    if x.isNaN || x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x.isInfinite { return x }
    // x = m * 2^e with m in [sqrt(1/2), sqrt(2)).
    var e = Int(x.exponent)
    var m = x.significand  // [1, 2)
    if m > 1.4142135623730951 { m *= 0.5; e += 1 }
    // log m = 2 atanh(f), f = (m - 1) / (m + 1), |f| <= 0.1716.
    let f = (m - 1) / (m + 1), f2 = f * f
    var s = 1.0 / 23.0
    for d in stride(from: 21.0, through: 3.0, by: -2.0) { s = s * f2 + 1.0 / d }
    s = s * f2 + 1.0
    return 2 * f * s + Double(e) * ln2Hi + Double(e) * ln2Lo
  }

  /// log(1 + x), accurate for small x.
  public static func log1p(_ x: Double) -> Double {
    if abs(x) < 1e-4 { return x - x * x / 2 + x * x * x / 3 - x * x * x * x / 4 }
    let u = 1 + x
    // Correct for the rounding of 1 + x (Goldberg's trick).
    return log(u) * (x / (u - 1))
  }

  /// arctan x: atan(x) = pi/2 - atan(1/x) for |x| > 1, then two half-angle steps
  /// atan(x) = 2 atan(x / (1 + sqrt(1 + x^2))) bring |x| below 0.21, where the series converges fast.
  public static func atan(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x < 0 { return -atan(-x) }
    if x > 1 { return Double.pi / 2 - atan(1 / x) }
    var y = x
    for _ in 0..<2 { y = y / (1 + (1 + y * y).squareRoot()) }
    let y2 = y * y
    var s = 0.0
    for k in stride(from: 29, through: 1, by: -2) { s = s * -y2 + 1 / Double(k) }  // s = 1 - y^2/3 + y^4/5 - ...
    return 4 * y * s
  }

  /// arccos x for x in [-1, 1]: 2 atan( sqrt((1 - x) / (1 + x)) ).
  public static func acos(_ x: Double) -> Double {
    if x.isNaN || x < -1 || x > 1 { return .nan }
    if x == -1 { return Double.pi }
    return 2 * atan(((1 - x) / (1 + x)).squareRoot())
  }

  /// sin x, with argument reduction by multiples of pi/2.
  public static func sin(_ x: Double) -> Double { sincos(x).sin }
  /// cos x, with argument reduction by multiples of pi/2.
  public static func cos(_ x: Double) -> Double { sincos(x).cos }

  /// sin x and cos x together, with one argument reduction.
  public static func sincos(_ x: Double) -> (sin: Double, cos: Double) {
    if !x.isFinite { return (.nan, .nan) }
    let q = (x * (2 / Double.pi)).rounded()
    // Reduce with pi/2 split into three parts (Cody-Waite).
    let r = ((x - q * 1.5707963267341256) - q * 6.077100506506192e-11) - q * 2.0222662487959506e-21
    let r2 = r * r
    var s = -1.0 / 1307674368000.0
    s = s * r2 + 1.0 / 6227020800.0
    s = s * r2 - 1.0 / 39916800.0
    s = s * r2 + 1.0 / 362880.0
    s = s * r2 - 1.0 / 5040.0
    s = s * r2 + 1.0 / 120.0
    s = s * r2 - 1.0 / 6.0
    s = r + r * r2 * s
    var c = 1.0 / 20922789888000.0
    c = c * r2 - 1.0 / 87178291200.0
    c = c * r2 + 1.0 / 479001600.0
    c = c * r2 - 1.0 / 3628800.0
    c = c * r2 + 1.0 / 40320.0
    c = c * r2 - 1.0 / 720.0
    c = c * r2 + 1.0 / 24.0
    c = c * r2 - 0.5
    c = 1 + r2 * c
    switch Int(q.truncatingRemainder(dividingBy: 4) + 4) % 4 {
    case 0: return (s, c)
    case 1: return (c, -s)
    case 2: return (-s, -c)
    default: return (-c, s)
    }
  }

  /// tanh x = (1 - e^-2|x|) / (1 + e^-2|x|) with the sign of x.
  public static func tanh(_ x: Double) -> Double {
    if x.isNaN { return x }
    let a = abs(x)
    if a < 1e-5 { return x - x * x * x / 3 }
    let e = exp(-2 * a)
    let t = (1 - e) / (1 + e)
    return x < 0 ? -t : t
  }

  /// 1 / (1 + e^-x), without overflow for large |x|.
  public static func sigmoid(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
  }

  /// log(1 + e^x), without overflow for large x.
  public static func softplus(_ x: Double) -> Double {
    x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
  }

  /// x^p for x > 0 (and integer p for x <= 0).
  public static func pow(_ x: Double, _ p: Double) -> Double {
    if p == 0 { return 1 }
    if x > 0 { return exp(p * log(x)) }
    if x == 0 { return p > 0 ? 0 : .infinity }
    if p == p.rounded() {
      let v = exp(p * log(-x))
      return Int(p) % 2 == 0 ? v : -v
    }
    return .nan
  }

  /// log Gamma(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~1e-15 relative).
  public static func lgamma(_ x: Double) -> Double {
    if x < 0.5 {
      // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
      return log(Double.pi / abs(sin(Double.pi * x))) - lgamma(1 - x)
    }
    let g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
             -176.61502916214059, 12.507343278686905, -0.13857109526572012,
             9.9843695780195716e-6, 1.5056327351493116e-7]
    let y = x - 1
    var a = g[0]
    let t = y + 7.5
    for i in 1..<9 { a += g[i] / (y + Double(i)) }
    return 0.5 * log(2 * Double.pi) + (y + 0.5) * log(t) - t + log(a)
  }

  // Float conveniences: computed in Double and rounded once.
  /// e^x in Float, computed in Double.
  @inlinable public static func exp(_ x: Float) -> Float { Float(exp(Double(x))) }
  /// log x in Float, computed in Double.
  @inlinable public static func log(_ x: Float) -> Float { Float(log(Double(x))) }
  /// tanh x in Float, computed in Double.
  @inlinable public static func tanh(_ x: Float) -> Float { Float(tanh(Double(x))) }
  /// 1 / (1 + e^-x) in Float, computed in Double.
  @inlinable public static func sigmoid(_ x: Float) -> Float { Float(sigmoid(Double(x))) }
  /// log(1 + e^x) in Float, computed in Double.
  @inlinable public static func softplus(_ x: Float) -> Float { Float(softplus(Double(x))) }
  /// x^p in Float, computed in Double.
  @inlinable public static func pow(_ x: Float, _ p: Float) -> Float { Float(pow(Double(x), Double(p))) }
}
