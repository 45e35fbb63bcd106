//===--- PPCA.swift -------------------------------------------------------===//
// Probabilistic PCA (Tipping and Bishop 1999): x = W z + c + s eps with z ~ N(0, I_q),
// the linear-Gaussian decoder whose log-likelihood is exact. Its maximum-likelihood
// fit: c the data mean; with l_1 >= ... >= l_q the top eigenvalues of the data
// covariance and U their eigenvectors, s^2 = (trace - sum l_i) / (D - q) and
// W = U diag(sqrt(l_i - s^2)). The top eigenvectors come from subspace iteration
// (the covariance is never formed: S Q = X_c^T (X_c Q) / n), so D = 784 is cheap.
// Chapter 3 validates its AIS on this model of real images.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Probabilistic PCA fitted in closed form (see the file's header): the exact log-likelihood AIS is checked against.
public struct PPCA: Sendable {
  /// Decoder weight [D, q] row-major (Linear's layout), mean [D], observation variance s^2.
  public var weight: [Float], mean: [Float], sigma2: Double
  public var q: Int { weight.count / mean.count }

  /// Fits q components to rows of x [n * D] by `iterations` of subspace iteration.
  public init(fit x: [Float], dimension d: Int, components q: Int, iterations: Int = 40, seed: UInt64 = 1) {
    let n = x.count / d
    var c = [Double](repeating: 0, count: d)
    for i in 0..<n { for j in 0..<d { c[j] += Double(x[i * d + j]) } }
    for j in 0..<d { c[j] /= Double(n) }
    let xc = Tensor(shape: [n, d], data: (0..<(n * d)).map { x[$0] - Float(c[$0 % d]) })
    var trace = 0.0
    for v in xc.data { trace += Double(v) * Double(v) }
    trace /= Double(n)
    var rng = RandomGenerator(seed: seed)
    var qm = orthonormalColumns((0..<(d * q)).map { _ in Double(rng.normal()) }, d, q)
    func covTimes(_ m: [Double]) -> [Double] {           // S m = X_c^T (X_c m) / n, [D, q]
      let mt = Tensor(shape: [d, q], data: m.map(Float.init))
      let y = withNoGrad { xc.T.matmul(xc.matmul(mt)) }
      return y.data.map { Double($0) / Double(n) }
    }
    for _ in 0..<iterations { qm = orthonormalColumns(covTimes(qm), d, q) }
    // Rayleigh-Ritz: eigen-decompose Q^T S Q (q x q) and rotate Q.
    let sq = covTimes(qm)
    var small = [Double](repeating: 0, count: q * q)
    for a in 0..<q { for b in 0..<q {
      var s = 0.0
      for r in 0..<d { s += qm[r * q + a] * sq[r * q + b] }
      small[a * q + b] = s
    } }
    let (values, vectors) = symmetricEigen(small, dimension: q)
    let order = (0..<q).sorted { values[$0] > values[$1] }
    let s2 = max((trace - values.reduce(0, +)) / Double(d - q), 1e-8)
    var w = [Float](repeating: 0, count: d * q)
    for (k, idx) in order.enumerated() {
      let scale = max(values[idx] - s2, 0).squareRoot()
      for r in 0..<d {
        var u = 0.0
        for a in 0..<q { u += qm[r * q + a] * vectors[a * q + idx] }
        w[r * q + k] = Float(u * scale)
      }
    }
    weight = w; mean = c.map(Float.init); sigma2 = s2
  }

  /// Exact log p(x) of images [N * D].
  public func logLikelihood(_ images: [Float]) -> [Double] {
    linearGaussianLogLikelihood(images: images, weight: weight, bias: mean, nz: q, sigma2: sigma2)
  }

  /// The decoder mean W z + c: [B, q] -> [B, D], differentiable in z.
  public func decode(_ z: Tensor) -> Tensor {
    linear(z, weight: Tensor(shape: [mean.count, q], data: weight), bias: Tensor(shape: [mean.count], data: mean))
  }
}

/// Gram-Schmidt on the columns of a [d, q] matrix.
func orthonormalColumns(_ m: [Double], _ d: Int, _ q: Int) -> [Double] {
  var a = m
  for j in 0..<q {
    for k in 0..<j {
      var dot = 0.0
      for r in 0..<d { dot += a[r * q + j] * a[r * q + k] }
      for r in 0..<d { a[r * q + j] -= dot * a[r * q + k] }
    }
    var norm = 0.0
    for r in 0..<d { norm += a[r * q + j] * a[r * q + j] }
    norm = max(norm.squareRoot(), 1e-300)
    for r in 0..<d { a[r * q + j] /= norm }
  }
  return a
}
