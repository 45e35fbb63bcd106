//===--- Random.swift -----------------------------------------------------===//
// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) and
// the samplers the models need: uniform, normal (Marsaglia's polar method) and
// uniform on the unit sphere S^{M-1} (a normalized Gaussian vector).
// The same seed gives the same stream on every machine and run.
//===----------------------------------------------------------------------===//
import Libm

/// A seeded generator (see the file's header): the same seed gives the same stream on every machine.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64
  private var spareNormal: Double? = nil

  /// Seeds the four words of state from `seed` with SplitMix64.
  public init(seed: UInt64) {
    var x = seed
    func splitmix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// The complete state (four xoshiro words, then a flag and the bits of a cached normal
  /// deviate), for checkpoints that must resume a run exactly.
  public var state: [UInt64] {
    [s0, s1, s2, s3, spareNormal == nil ? 0 : 1, spareNormal?.bitPattern ?? 0]
  }

  /// A generator restored from `state`; nil when the array is not a saved state.
  public init?(state: [UInt64]) {
    guard state.count == 6, state[0] | state[1] | state[2] | state[3] != 0, state[4] <= 1 else { return nil }
    s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3]
    spareNormal = state[4] == 1 ? Double(bitPattern: state[5]) : nil
  }

  /// A derived, independent generator (for a worker or a sub-experiment).
  public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniformDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }
  /// Uniform in [lo, hi).
  public mutating func uniform(_ lo: Float = 0, _ hi: Float = 1) -> Float {
    lo + (hi - lo) * Float(uniformDouble())
  }
  /// Uniform integer in 0..<n.
  public mutating func int(below n: Int) -> Int { Int(next(upperBound: UInt64(n))) }

  /// Standard normal, by Marsaglia's polar method (pairs; the spare is kept).
  public mutating func normalDouble() -> Double {
    if let s = spareNormal { spareNormal = nil; return s }
    while true {
      let u = 2 * uniformDouble() - 1, v = 2 * uniformDouble() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let f = (-2 * Math.log(s) / s).squareRoot()
        spareNormal = v * f
        return u * f
      }
    }
  }
  /// A draw from N(mean, std^2).
  public mutating func normal(mean: Float = 0, std: Float = 1) -> Float { mean + std * Float(normalDouble()) }

  /// Fisher-Yates shuffle of 0..<n.
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, int(below: i + 1)) } }
    return p
  }
}

extension Tensor {
  /// Elements uniform in [lo, hi).
  public static func uniform(_ shape: [Int], _ lo: Float = 0, _ hi: Float = 1, rng: inout RandomGenerator,
                             requiresGrad: Bool = false) -> Tensor {
    let n = shape.reduce(1, *)
    var d = [Float](repeating: 0, count: n)
    for i in 0..<n { d[i] = rng.uniform(lo, hi) }
    return Tensor(shape: shape, data: d, requiresGrad: requiresGrad)
  }
  /// Elements drawn from N(mean, std^2).
  public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RandomGenerator,
                            requiresGrad: Bool = false) -> Tensor {
    let n = shape.reduce(1, *)
    var d = [Float](repeating: 0, count: n)
    for i in 0..<n { d[i] = rng.normal(mean: mean, std: std) }
    return Tensor(shape: shape, data: d, requiresGrad: requiresGrad)
  }
  /// [n, m] rows drawn uniformly from the unit sphere S^{m-1} (normalized Gaussians).
  public static func uniformOnSphere(_ n: Int, _ m: Int, rng: inout RandomGenerator) -> Tensor {
    var d = [Float](repeating: 0, count: n * m)
    for i in 0..<n {
      var row = [Double](repeating: 0, count: m)
      var norm2 = 0.0
      repeat {
        norm2 = 0
        for j in 0..<m { row[j] = rng.normalDouble(); norm2 += row[j] * row[j] }
      } while norm2 == 0
      let inv = 1 / norm2.squareRoot()
      for j in 0..<m { d[i * m + j] = Float(row[j] * inv) }
    }
    return Tensor(shape: [n, m], data: d)
  }
}
