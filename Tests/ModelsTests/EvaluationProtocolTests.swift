import DeepLearning
import Evaluation
import Models
import Testing

/// Direct references for the metrics: every pair, no GEMM, Double throughout.
private func naiveMMD(_ x: [Float], _ y: [Float], _ d: Int) -> Double {
  let m = x.count / d
  func k(_ a: [Float], _ i: Int, _ b: [Float], _ j: Int) -> Double {
    var s = 0.0
    for t in 0..<d { s += Double(a[i * d + t]) * Double(b[j * d + t]) }
    return (s / Double(d) + 1) * (s / Double(d) + 1) * (s / Double(d) + 1)
  }
  var xx = 0.0, yy = 0.0, xy = 0.0
  for i in 0..<m { for j in 0..<m {
    if i != j { xx += k(x, i, x, j); yy += k(y, i, y, j) }
    xy += k(x, i, y, j)
  } }
  let mm = Double(m)
  return xx / (mm * (mm - 1)) + yy / (mm * (mm - 1)) - 2 * xy / (mm * mm)
}

private func naivePrecisionRecall(_ real: [Float], _ fake: [Float], _ d: Int, k: Int) -> (Double, Double) {
  func dist(_ a: [Float], _ i: Int, _ b: [Float], _ j: Int) -> Double {
    (0..<d).reduce(0.0) { $0 + Double(a[i * d + $1] - b[j * d + $1]) * Double(a[i * d + $1] - b[j * d + $1]) }
  }
  func radii(_ a: [Float]) -> [Double] {
    let n = a.count / d
    return (0..<n).map { i in (0..<n).filter { $0 != i }.map { dist(a, i, a, $0) }.sorted()[k - 1] }
  }
  func cover(_ q: [Float], _ s: [Float], _ r: [Double]) -> Double {
    let nq = q.count / d, ns = s.count / d
    return Double((0..<nq).filter { i in (0..<ns).contains { dist(q, i, s, $0) <= r[$0] } }.count) / Double(nq)
  }
  return (cover(fake, real, radii(real)), cover(real, fake, radii(fake)))
}

private func gaussian(_ n: Int, _ d: Int, shift: Float = 0, seed: UInt64) -> [Float] {
  var rng = RandomGenerator(seed: seed)
  return (0..<(n * d)).map { _ in rng.normal() + shift }
}

@Suite("Evaluation protocol: KID, precision/recall, bootstrap intervals, batch-norm modes")
struct EvaluationProtocolTests {
  @Test func kernelDistanceMatchesDirectSum() {
    for (m, d) in [(7, 3), (33, 17), (20, 64)] {
      let x = gaussian(m, d, seed: 1), y = gaussian(m, d, shift: 0.3, seed: 2)
      let fast = kernelDistanceUnbiased(x[...], y[...], dimension: d), slow = naiveMMD(x, y, d)
      #expect(abs(fast - slow) <= 1e-4 * max(1, abs(slow)), "m \(m) d \(d): \(fast) vs \(slow)")
    }
  }

  /// Two samples of one distribution: the unbiased estimate averages to 0 (within 3 standard
  /// errors over 60 pairs) and is negative about half the time; a shift gives clearly more.
  @Test func kernelDistanceIsUnbiasedNearZero() {
    let d = 8, m = 40
    var values: [Double] = []
    for s in 0..<60 { values.append(kernelDistanceUnbiased(gaussian(m, d, seed: 100 + UInt64(s))[...],
                                                           gaussian(m, d, seed: 500 + UInt64(s))[...], dimension: d)) }
    let mean = values.reduce(0, +) / 60
    let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 59).squareRoot()
    #expect(abs(mean) < 3 * sd / 60.0.squareRoot(), "mean \(mean), sd \(sd)")
    #expect(values.contains { $0 < 0 })
    let shifted = kernelInceptionDistance(gaussian(400, d, seed: 7), gaussian(400, d, shift: 1, seed: 8), dimension: d,
                                          subsets: 5, subsetSize: 200, seed: 1)
    #expect(shifted.mean > 3 * shifted.std && shifted.mean > 3 * sd, "\(shifted), sd of the unshifted \(sd)")
    let same = kernelInceptionDistance(gaussian(400, d, seed: 7), gaussian(400, d, seed: 9), dimension: d,
                                       subsets: 5, subsetSize: 200, seed: 1)
    #expect(abs(same.mean) < shifted.mean / 10)
  }

  @Test func precisionRecallMatchDirectSearch() {
    for (n, nf, d) in [(30, 25, 3), (70, 90, 5), (600, 550, 4)] {  // 600 rows cross a 512-row block
      let real = gaussian(n, d, seed: 11), fake = gaussian(nf, d, shift: 0.4, seed: 12)
      let fast = precisionRecall(real: real, generated: fake, dimension: d, k: 3)
      let slow = naivePrecisionRecall(real, fake, d, k: 3)
      #expect(abs(fast.precision - slow.0) < 1e-9 && abs(fast.recall - slow.1) < 1e-9, "\(fast) vs \(slow)")
    }
  }

  @Test func precisionRecallEdgeCases() {
    let a = gaussian(50, 4, seed: 3)
    let same = precisionRecall(real: a, generated: a, dimension: 4)
    #expect(same.precision == 1 && same.recall == 1)
    let far = precisionRecall(real: a, generated: gaussian(50, 4, shift: 100, seed: 4), dimension: 4)
    #expect(far.precision == 0 && far.recall == 0)
    // A generator covering one half of the data: high precision, recall about a half.
    let left = (0..<50).filter { a[$0 * 4] < 0 }.flatMap { Array(a[($0 * 4)..<($0 * 4 + 4)]) }
    let pr = precisionRecall(real: a, generated: left, dimension: 4)
    #expect(pr.precision == 1 && pr.recall < 0.9)
  }

  @Test func bootstrapIntervals() {
    let constant = bootstrapMean([Double](repeating: 2.5, count: 40))
    #expect(constant == Interval(value: 2.5, low: 2.5, high: 2.5))
    var rng = RandomGenerator(seed: 5)
    let x = (0..<400).map { _ in rng.normalDouble() }
    let i = bootstrapMean(x, resamples: 400, seed: 1)
    let mean = x.reduce(0, +) / 400
    #expect(i.value == mean && i.low < mean && mean < i.high)
    // The 95% interval of a mean spans about 2 x 1.96 standard errors (sd 1, n 400: 0.196).
    #expect(abs((i.high - i.low) - 0.196) < 0.05, "\(i)")
    #expect(bootstrapMean(x, resamples: 400, seed: 1) == i)   // reproducible
    // Two independent sets: a ratio of means.
    let r = bootstrap(counts: [400, 100], seed: 2) { idx in
      idx[0].reduce(0.0) { $0 + x[$1] + 10 } / Double(idx[0].count) / (idx[1].reduce(0.0) { $0 + x[$1] + 10 } / Double(idx[1].count))
    }
    #expect(r.low < r.value && r.value < r.high)
  }

  /// Batch statistics leave the running statistics and modes as they were; precise BN's running
  /// statistics are the average of the batches' means and unbiased variances.
  @Test func batchNormModes() {
    var rng = RandomGenerator(seed: 9)
    let bn = BatchNorm2d(3)
    let net = Sequential([Conv2d(2, 3, kernelSize: 3, padding: 1, rng: &rng), bn])
    net.eval()
    bn.runningMean.data = [0.5, -1, 2]; bn.runningVar.data = [2, 3, 4]
    let x = Tensor.normal([6, 2, 5, 5], rng: &rng)
    let y = withBatchStatistics([net]) { net(x) }
    #expect(bn.runningMean.data == [0.5, -1, 2] && bn.runningVar.data == [2, 3, 4])
    #expect(!bn.isTraining && !net.isTraining)
    // Batch statistics: every channel of the output has mean 0 (weight 1, bias 0).
    for c in 0..<3 {
      var s = 0.0
      for i in 0..<6 { for k in 0..<25 { s += Double(y.data[(i * 3 + c) * 25 + k]) } }
      #expect(abs(s / 150) < 1e-5)
    }
    let batches = (0..<4).map { _ in Tensor.normal([5, 2, 5, 5], mean: 0.3, std: 2, rng: &rng) }
    estimatePreciseStatistics([net], batches: 4) { k in _ = net(batches[k]) }
    #expect(!bn.isTraining && bn.momentum == 0.1)
    let conv = net.children[0].1
    for c in 0..<3 {
      var means: [Double] = [], vars: [Double] = []
      for b in batches {
        let h = withNoGrad { conv(b) }
        let v = (0..<5).flatMap { i in (0..<25).map { Double(h.data[(i * 3 + c) * 25 + $0]) } }
        let m = v.reduce(0, +) / 125
        means.append(m); vars.append(v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 124)
      }
      #expect(abs(Double(bn.runningMean.data[c]) - means.reduce(0, +) / 4) < 1e-4)
      #expect(abs(Double(bn.runningVar.data[c]) - vars.reduce(0, +) / 4) < 1e-3 * vars.reduce(0, +))
    }
  }

  /// Batch mode cuts a call into batches of the training size, the last one overlapping its
  /// predecessor: each output row equals the row computed inside its own full batch.
  @Test func pairInBatchMode() {
    var rng = RandomGenerator(seed: 12)
    let e = Sequential([Linear(4, 3, rng: &rng), BatchNorm1d(3)]), g = Sequential([Linear(3, 4, rng: &rng), BatchNorm1d(4)])
    let x = Tensor.normal([10, 4], rng: &rng)
    let pair = PairInMode(e: e, g: g, mode: .batch, batchSize: 4, realBatch: { _ in x }, prior: { Tensor.normal([$0, 3], rng: &rng) })
    let z = pair.encode(x)
    pair.finish()
    let first = withBatchStatistics([e]) { e(x.rows([0, 1, 2, 3])) }
    let middle = withBatchStatistics([e]) { e(x.rows([4, 5, 6, 7])) }
    let last = withBatchStatistics([e]) { e(x.rows([6, 7, 8, 9])) }
    for k in 0..<12 { #expect(abs(z.data[k] - first.data[k]) < 1e-6) }         // rows 0-3
    for k in 0..<12 { #expect(abs(z.data[12 + k] - middle.data[k]) < 1e-6) }   // rows 4-7
    for k in 0..<6 { #expect(abs(z.data[24 + k] - last.data[6 + k]) < 1e-6) }  // rows 8-9 of batch 6-9
    #expect(e.isTraining && g.isTraining)   // finish() restores training mode
  }
}
