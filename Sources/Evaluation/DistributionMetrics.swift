//===--- DistributionMetrics.swift ----------------------------------------===//
// Sample-set metrics in a feature space, beside the Frechet distance:
// - Kernel Inception Distance (Binkowski et al. 2018, arXiv:1801.01401): the unbiased
//   estimate of MMD^2 with the cubic polynomial kernel k(a, b) = (a.b / d + 1)^3, on
//   random subsets of equal size, reported as mean and standard deviation over subsets;
// - improved precision and recall (Kynkaanniemi et al. 2019, arXiv:1904.06991): each set's
//   manifold is the union of balls around its points reaching their k-th nearest
//   neighbour; precision is the share of generated points inside the real manifold,
//   recall the share of real points inside the generated one.
// Features are rows of [n, d] Float arrays; inner products run through the GEMM,
// sums in Double.
//===----------------------------------------------------------------------===//
import DeepLearning
import Kernels

/// A B^T for row-major a [n, d] and b [m, d]: [n, m].
func innerProducts(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>, dimension d: Int) -> [Float] {
  let n = a.count / d, m = b.count / d
  var c = [Float](repeating: 0, count: n * m)
  if n == 0 || m == 0 { return c }
  a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
    sgemm(m: n, n: m, k: d, a: .rowMajor(pa.baseAddress!, ld: d), b: .transposed(pb.baseAddress!, ld: d),
          c: pc.baseAddress!, ldc: m)
  } } }
  return c
}

/// The unbiased MMD^2 estimate with the cubic kernel between x [m, d] and y [m, d].
public func kernelDistanceUnbiased(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>, dimension d: Int) -> Double {
  let m = x.count / d
  precondition(m >= 2 && y.count / d == m, "kernelDistanceUnbiased: needs two sets of equal size >= 2")
  func kernelSum(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>, skipDiagonal: Bool) -> Double {
    let g = innerProducts(a, b, dimension: d)
    var s = 0.0
    for i in 0..<m { for j in 0..<m where !(skipDiagonal && i == j) {
      let t = Double(g[i * m + j]) / Double(d) + 1
      s += t * t * t
    } }
    return s
  }
  let mm = Double(m)
  return kernelSum(x, x, skipDiagonal: true) / (mm * (mm - 1)) + kernelSum(y, y, skipDiagonal: true) / (mm * (mm - 1))
    - 2 * kernelSum(x, y, skipDiagonal: false) / (mm * mm)
}

/// KID between feature sets a [n, d] and b [n', d]: mean and standard deviation of the unbiased
/// MMD^2 over `subsets` pairs of random subsets of `subsetSize` rows each (drawn without
/// replacement within a subset, from a generator seeded with `seed`).
public func kernelInceptionDistance(_ a: [Float], _ b: [Float], dimension d: Int, subsets: Int = 20,
                                    subsetSize: Int = 1000, seed: UInt64 = 0) -> (mean: Double, std: Double) {
  let na = a.count / d, nb = b.count / d
  let size = min(subsetSize, na, nb)
  precondition(size >= 2 && subsets >= 1, "kernelInceptionDistance: \(na) and \(nb) rows for subsets of \(subsetSize)")
  var rng = RandomGenerator(seed: seed)
  func subset(_ x: [Float], _ n: Int) -> ArraySlice<Float> {
    let rows = rng.permutation(n).prefix(size)
    var out: [Float] = []; out.reserveCapacity(size * d)
    for r in rows { out += x[(r * d)..<((r + 1) * d)] }
    return out[...]
  }
  var values: [Double] = []
  for _ in 0..<subsets { values.append(kernelDistanceUnbiased(subset(a, na), subset(b, nb), dimension: d)) }
  let mean = values.reduce(0, +) / Double(values.count)
  let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, values.count - 1))
  return (mean, variance.squareRoot())
}

/// Squared distances from each row of `a` [n, d] to its k-th nearest other row (the row itself
/// excluded by position, duplicates counted), in blocks of rows.
func kthNeighbourRadii(_ a: [Float], dimension d: Int, k: Int) -> [Float] {
  let n = a.count / d
  precondition(n > k, "kthNeighbourRadii: \(n) rows for k = \(k)")
  let norms = (0..<n).map { i in a[(i * d)..<((i + 1) * d)].reduce(Float(0)) { $0 + $1 * $1 } }
  var radii = [Float](repeating: 0, count: n)
  let block = 512
  for lo in stride(from: 0, to: n, by: block) {
    let hi = min(n, lo + block)
    let g = innerProducts(a[(lo * d)..<(hi * d)], a[...], dimension: d)
    for i in lo..<hi {
      var best = [Float](repeating: .infinity, count: k)   // ascending
      for j in 0..<n where j != i {
        let dist = max(0, norms[i] + norms[j] - 2 * g[(i - lo) * n + j])
        if dist < best[k - 1] {
          var p = k - 1
          while p > 0 && best[p - 1] > dist { best[p] = best[p - 1]; p -= 1 }
          best[p] = dist
        }
      }
      radii[i] = best[k - 1]
    }
  }
  return radii
}

/// The share of rows of `query` [q, d] within the k-NN ball of at least one row of `support` [n, d].
func coverage(_ query: [Float], of support: [Float], radii: [Float], dimension d: Int) -> Double {
  let q = query.count / d, n = support.count / d
  let sNorms = (0..<n).map { i in support[(i * d)..<((i + 1) * d)].reduce(Float(0)) { $0 + $1 * $1 } }
  var inside = 0
  let block = 512
  for lo in stride(from: 0, to: q, by: block) {
    let hi = min(q, lo + block)
    let g = innerProducts(query[(lo * d)..<(hi * d)], support[...], dimension: d)
    for i in lo..<hi {
      let qn = query[(i * d)..<((i + 1) * d)].reduce(Float(0)) { $0 + $1 * $1 }
      for j in 0..<n where max(0, qn + sNorms[j] - 2 * g[(i - lo) * n + j]) <= radii[j] { inside += 1; break }
    }
  }
  return Double(inside) / Double(max(q, 1))
}

/// Improved precision and recall of `generated` [n', d] against `real` [n, d], k-th neighbour balls.
public func precisionRecall(real: [Float], generated: [Float], dimension d: Int, k: Int = 3)
  -> (precision: Double, recall: Double) {
  let realRadii = kthNeighbourRadii(real, dimension: d, k: k)
  let fakeRadii = kthNeighbourRadii(generated, dimension: d, k: k)
  return (coverage(generated, of: real, radii: realRadii, dimension: d),
          coverage(real, of: generated, radii: fakeRadii, dimension: d))
}
