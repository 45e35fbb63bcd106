//===--- SampleQuality.swift ----------------------------------------------===//
// Sample-quality scores computed from a classifier's outputs:
// - Inception Score (Salimans et al. 2016): IS = exp( E_x KL(p(y|x) || p(y)) ), computed on
//   `splits` equal parts and reported as mean and standard deviation over the parts;
// - Frechet distance between Gaussians fitted to two feature sets (Heusel et al. 2017):
//   FD = |m1 - m2|^2 + tr(S1) + tr(S2) - 2 tr( (S1^{1/2} S2 S1^{1/2})^{1/2} ).
// All accumulation in Double.
//===----------------------------------------------------------------------===//
import Libm

/// Mean and standard deviation of the Inception Score over `splits` parts of `probs` [N, K].
/// The Inception Score of the probability rows `rows` of `p` [N * K] (rows may repeat: a bootstrap resample).
public func inceptionScore(probabilities p: [Float], classes k: Int, rows: [Int]) -> Double {
  var q = [Float](); q.reserveCapacity(rows.count * k)
  for i in rows { q += p[(i * k)..<((i + 1) * k)] }
  return inceptionScore(probabilities: q, classes: k).mean
}

/// The Inception Score of class probabilities [N * K], mean and std over `splits` splits (Salimans et al. 2016).
public func inceptionScore(probabilities p: [Float], classes k: Int, splits: Int = 10) -> (mean: Double, std: Double) {
  let n = p.count / k
  precondition(n >= splits && splits > 0, "inceptionScore: \(n) images for \(splits) splits")
  var scores: [Double] = []
  for s in 0..<splits {
    let lo = s * n / splits, hi = (s + 1) * n / splits
    var marginal = [Double](repeating: 0, count: k)
    for i in lo..<hi { for j in 0..<k { marginal[j] += Double(p[i * k + j]) } }
    for j in 0..<k { marginal[j] /= Double(hi - lo) }
    var kl = 0.0
    for i in lo..<hi {
      for j in 0..<k where p[i * k + j] > 0 {
        let pij = Double(p[i * k + j])
        kl += pij * (Math.log(pij) - Math.log(marginal[j]))
      }
    }
    scores.append(Math.exp(kl / Double(hi - lo)))
  }
  let mean = scores.reduce(0, +) / Double(splits)
  let variance = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(splits)
  return (mean, variance.squareRoot())
}

/// Mean [d] and covariance [d * d] (divided by n - 1) of `x` [n, d].
public func meanAndCovariance(_ x: [Float], dimension d: Int) -> (mean: [Double], covariance: [Double]) {
  let n = x.count / d
  precondition(n >= 2, "meanAndCovariance: needs at least 2 rows, got \(n)")
  var m = [Double](repeating: 0, count: d)
  for i in 0..<n { for j in 0..<d { m[j] += Double(x[i * d + j]) } }
  for j in 0..<d { m[j] /= Double(n) }
  var c = [Double](repeating: 0, count: d * d)
  var row = [Double](repeating: 0, count: d)
  for i in 0..<n {
    for j in 0..<d { row[j] = Double(x[i * d + j]) - m[j] }
    for a in 0..<d where row[a] != 0 {
      let ra = row[a]
      for b in a..<d { c[a * d + b] += ra * row[b] }
    }
  }
  for a in 0..<d { for b in a..<d { c[a * d + b] /= Double(n - 1); c[b * d + a] = c[a * d + b] } }
  return (m, c)
}

/// The Frechet distance between Gaussians fitted to feature sets `a` [n, d] and `b` [m, d].
public func frechetDistance(_ a: [Float], _ b: [Float], dimension d: Int) -> Double {
  let (m1, s1) = meanAndCovariance(a, dimension: d)
  let (m2, s2) = meanAndCovariance(b, dimension: d)
  return frechetDistance(mean1: m1, covariance1: s1, mean2: m2, covariance2: s2)
}

/// The Frechet distance between N(m1, S1) and N(m2, S2), covariances [d * d] symmetric.
public func frechetDistance(mean1 m1: [Double], covariance1 s1: [Double], mean2 m2: [Double],
                            covariance2 s2: [Double]) -> Double {
  let d = m1.count
  var dist = 0.0
  for j in 0..<d { dist += (m1[j] - m2[j]) * (m1[j] - m2[j]) }
  for j in 0..<d { dist += s1[j * d + j] + s2[j * d + j] }
  // S1^{1/2} from the eigen-decomposition S1 = V diag(l) V^T.
  let (l1, v1) = symmetricEigen(s1, dimension: d)
  var root = [Double](repeating: 0, count: d * d)
  for a in 0..<d { for b in 0..<d {
    var s = 0.0
    for k in 0..<d { s += v1[a * d + k] * Swift.max(l1[k], 0).squareRoot() * v1[b * d + k] }
    root[a * d + b] = s
  } }
  // tr sqrt(R S2 R) = sum of square roots of its (non-negative) eigenvalues.
  let c = matmul(matmul(root, s2, d), root, d)
  var sym = c
  for a in 0..<d { for b in 0..<d { sym[a * d + b] = (c[a * d + b] + c[b * d + a]) / 2 } }
  let (l, _) = symmetricEigen(sym, dimension: d)
  dist -= 2 * l.reduce(0) { $0 + Swift.max($1, 0).squareRoot() }
  return dist
}

func matmul(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
  var c = [Double](repeating: 0, count: d * d)
  for i in 0..<d { for k in 0..<d {
    let aik = a[i * d + k]
    if aik == 0 { continue }
    for j in 0..<d { c[i * d + j] += aik * b[k * d + j] }
  } }
  return c
}

/// Eigenvalues and eigenvectors (columns of V, [d * d] row-major) of a symmetric matrix,
/// by cyclic Jacobi rotations: A = V diag(values) V^T.
public func symmetricEigen(_ matrix: [Double], dimension d: Int, sweeps: Int = 60) -> (values: [Double], vectors: [Double]) {
  var a = matrix
  var v = [Double](repeating: 0, count: d * d)
  for i in 0..<d { v[i * d + i] = 1 }
  for _ in 0..<sweeps {
    var off = 0.0, total = 0.0
    for p in 0..<d { for q in 0..<d { let x = a[p * d + q] * a[p * d + q]; total += x; if p != q { off += x } } }
    if off <= 1e-22 * Swift.max(total, 1e-300) { break }
    for p in 0..<(d - 1) {
      for q in (p + 1)..<d {
        let apq = a[p * d + q]
        if Swift.abs(apq) < 1e-300 { continue }
        let theta = (a[q * d + q] - a[p * d + p]) / (2 * apq)
        let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<d {  // A <- A J (columns p, q)
          let akp = a[k * d + p], akq = a[k * d + q]
          a[k * d + p] = c * akp - s * akq; a[k * d + q] = s * akp + c * akq
        }
        for k in 0..<d {  // A <- J^T A (rows p, q)
          let apk = a[p * d + k], aqk = a[q * d + k]
          a[p * d + k] = c * apk - s * aqk; a[q * d + k] = s * apk + c * aqk
        }
        for k in 0..<d {
          let vkp = v[k * d + p], vkq = v[k * d + q]
          v[k * d + p] = c * vkp - s * vkq; v[k * d + q] = s * vkp + c * vkq
        }
      }
    }
  }
  return ((0..<d).map { a[$0 * d + $0] }, v)
}
