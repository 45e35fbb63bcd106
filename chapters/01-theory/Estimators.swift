//===--- Estimators.swift -------------------------------------------------===//
// Divergence estimators and samplers for the theory checks, in Double:
//   gaussianFit(x)   eq. (7) on an [N, M] sample (the library's loss, in Double)
//   knnKLToSphere    Kozachenko-Leonenko KL(p || uniform on S^{M-1}) from a sample
//   vonMisesFisher   samples on the sphere with concentration kappa (Wood 1994)
//===----------------------------------------------------------------------===//
import DeepLearning
import Libm

/// A sample of N points in R^M, row-major.
struct Sample {
  var n: Int, m: Int
  var x: [Double]
}

/// Eq. (7), averaged over dimensions: (1/M) sum_j ((s_j^2 + m_j^2)/2 - log s_j) - 1/2.
func gaussianFit(_ s: Sample) -> Double {
  var total = 0.0
  for j in 0..<s.m {
    var mean = 0.0
    for i in 0..<s.n { mean += s.x[i * s.m + j] }
    mean /= Double(s.n)
    var v = 0.0
    for i in 0..<s.n { let d = s.x[i * s.m + j] - mean; v += d * d }
    v /= Double(s.n)
    total += (v + mean * mean) / 2 - 0.5 * Math.log(v)
  }
  return total / Double(s.m) - 0.5
}

/// The closed form of eq. (7) for the uniform distribution on S^{M-1} (m_j = 0, s_j^2 = 1/M).
func sphereMinimum(_ m: Int) -> Double { gaussianFitKLSphereMinimum(m) }

/// digamma(n) for a positive integer n: H_{n-1} - Euler's gamma.
func digamma(_ n: Int) -> Double {
  var h = 0.0
  if n > 1 { for k in 1..<n { h += 1 / Double(k) } }
  return h - 0.5772156649015329
}

/// Distance from each point of `a` to its k-th nearest neighbour in `b` (excluding itself when a == b).
func knnDistances(_ a: Sample, _ b: Sample, k: Int, same: Bool) -> [Double] {
  var out = [Double](repeating: 0, count: a.n)
  var best = [Double](repeating: .infinity, count: k)
  for i in 0..<a.n {
    for t in 0..<k { best[t] = .infinity }
    for j in 0..<b.n where !(same && i == j) {
      var d = 0.0
      for c in 0..<a.m { let e = a.x[i * a.m + c] - b.x[j * b.m + c]; d += e * e }
      if d < best[k - 1] {
        var p = k - 1
        while p > 0 && best[p - 1] > d { best[p] = best[p - 1]; p -= 1 }
        best[p] = d
      }
    }
    out[i] = best[k - 1].squareRoot()
  }
  return out
}

/// KL(p || uniform on S^{M-1}) = log |S^{M-1}| - H(p), with the Kozachenko-Leonenko entropy in the
/// sphere's intrinsic dimension d = M - 1 (chordal distances approximate geodesic ones locally).
func knnKLToSphere(_ s: Sample, k: Int = 1) -> Double {
  let d = Double(s.m - 1)
  let eps = knnDistances(s, s, k: k, same: true)
  var meanLog = 0.0
  for e in eps { meanLog += Math.log(max(e, 1e-300)) }
  meanLog /= Double(s.n)
  let logBall = (d / 2) * Math.log(Double.pi) - Math.lgamma(d / 2 + 1)
  let entropy = digamma(s.n) - digamma(k) + logBall + d * meanLog
  let logArea = Math.log(2) + (Double(s.m) / 2) * Math.log(Double.pi) - Math.lgamma(Double(s.m) / 2)
  return logArea - entropy
}

extension RandomGenerator {
  /// Gamma(a, 1) by Marsaglia and Tsang (with the a < 1 boost).
  mutating func gamma(_ a: Double) -> Double {
    if a < 1 { return gamma(a + 1) * Math.pow(uniformDouble(), 1 / a) }
    let d = a - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
    while true {
      var x = 0.0, v = 0.0
      repeat { x = normalDouble(); v = 1 + c * x } while v <= 0
      v = v * v * v
      let u = uniformDouble()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)) { return d * v }
    }
  }
  /// A point uniform on S^{m-1}.
  mutating func onSphere(_ m: Int) -> [Double] {
    while true {
      let v = (0..<m).map { _ in normalDouble() }
      let r = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if r > 0 { return v.map { $0 / r } }
    }
  }
}

/// n samples of the von Mises-Fisher distribution on S^{m-1} with mean direction e_axis (or -e_axis
/// when `negative`), concentration kappa (0 = uniform), by Wood's (1994) rejection sampler.
func vonMisesFisher(n: Int, m: Int, kappa: Double, axis: Int = 0, rng: inout RandomGenerator,
                    mixtureOfAxes: Bool = false) -> Sample {
  var x = [Double](repeating: 0, count: n * m)
  let dm1 = Double(m - 1)
  for i in 0..<n {
    var w: Double
    if kappa == 0 {
      let p = rng.onSphere(m)
      for j in 0..<m { x[i * m + j] = p[j] }
      continue
    }
    let b = (-2 * kappa + (4 * kappa * kappa + dm1 * dm1).squareRoot()) / dm1
    let x0 = (1 - b) / (1 + b)
    let c = kappa * x0 + dm1 * Math.log(1 - x0 * x0)
    while true {
      let ga = rng.gamma(dm1 / 2), gb = rng.gamma(dm1 / 2)
      let z = ga / (ga + gb)
      w = (1 - (1 + b) * z) / (1 - (1 - b) * z)
      if kappa * w + dm1 * Math.log(1 - x0 * w) - c >= Math.log(rng.uniformDouble()) { break }
    }
    let v = rng.onSphere(m - 1)
    let r = max(0, 1 - w * w).squareRoot()
    // Mean direction: a fixed axis, or (mixture) one of the 2M directions +-e_j at random.
    let a = mixtureOfAxes ? rng.int(below: m) : axis
    let sign: Double = mixtureOfAxes && rng.int(below: 2) == 1 ? -1 : 1
    var p = [Double](repeating: 0, count: m)
    p[a] = sign * w
    var k = 0
    for j in 0..<m where j != a { p[j] = r * v[k]; k += 1 }
    for j in 0..<m { x[i * m + j] = p[j] }
  }
  return Sample(n: n, m: m, x: x)
}
