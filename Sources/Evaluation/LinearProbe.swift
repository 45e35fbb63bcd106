//===--- LinearProbe.swift ------------------------------------------------===//
// Feature learning measured as ALI measures it (Dumoulin et al. 2017, Section 4.3;
// github.com/IshmaelBelghazi/ALI, `experiments/semi_supervised_svhn.py`): a linear
// classifier on frozen features, trained on a class-balanced labelled set of 100
// examples per class, its test error averaged over several random label draws,
// the regularization chosen on held-out labelled data. ALI uses a linear SVM; this
// is multinomial logistic regression with an L2 penalty (softmax regression), fitted
// by full-batch Adam on standardized features.
//===----------------------------------------------------------------------===//
import DeepLearning

/// A fitted softmax regression: logits = standardize(f) W + b.
public struct LinearProbe {
  public let weight: Tensor, bias: Tensor
  let mean: [Float], scale: [Float]
  public let classes: Int

  /// Fits on features [n, F] with labels, penalty `l2` |W|^2, `steps` Adam steps at `lr`.
  public init(features: [Float], labels: [Int], dimension f: Int, classes k: Int, l2: Float,
              standardization: (mean: [Float], scale: [Float]), steps: Int = 300, lr: Float = 0.02) {
    classes = k; mean = standardization.mean; scale = standardization.scale
    let n = labels.count
    let x = Tensor(shape: [n, f], data: LinearProbe.standardize(features, mean, scale, f))
    weight = Tensor(zeros: [f, k], requiresGrad: true)
    bias = Tensor(zeros: [1, k], requiresGrad: true)
    let opt = Adam([weight, bias], lr: lr)
    for _ in 0..<steps {
      opt.zeroGrad()
      let loss = crossEntropy(x.matmul(weight) + bias, labels: labels) + weight.square().sum() * l2
      loss.backward()
      opt.step()
    }
  }

  static func standardize(_ x: [Float], _ mean: [Float], _ scale: [Float], _ f: Int) -> [Float] {
    var y = x
    for i in 0..<(x.count / f) { for j in 0..<f { y[i * f + j] = (x[i * f + j] - mean[j]) * scale[j] } }
    return y
  }

  /// Column means and inverse standard deviations of features [n, F] (scale 1 for constant columns).
  public static func standardization(_ x: [Float], dimension f: Int) -> (mean: [Float], scale: [Float]) {
    let n = x.count / f
    var mean = [Double](repeating: 0, count: f), sq = [Double](repeating: 0, count: f)
    for i in 0..<n { for j in 0..<f { let v = Double(x[i * f + j]); mean[j] += v; sq[j] += v * v } }
    var m = [Float](repeating: 0, count: f), s = [Float](repeating: 1, count: f)
    for j in 0..<f {
      let mu = mean[j] / Double(n), v = sq[j] / Double(n) - mu * mu
      m[j] = Float(mu)
      if v > 1e-12 { s[j] = Float(1 / v.squareRoot()) }
    }
    return (m, s)
  }

  /// Predicted classes for features [n, F].
  public func predict(_ features: [Float]) -> [Int] {
    let f = mean.count, n = features.count / f
    let logits = withNoGrad {
      Tensor(shape: [n, f], data: LinearProbe.standardize(features, mean, scale, f)).matmul(weight) + bias
    }
    return (0..<n).map { i in
      let row = logits.data[(i * classes)..<((i + 1) * classes)]
      return row.indices.max { row[$0] < row[$1] }! - i * classes
    }
  }

  /// The fraction of misclassified examples.
  public func error(_ features: [Float], labels: [Int]) -> Double {
    let p = predict(features)
    return Double(zip(p, labels).filter { $0 != $1 }.count) / Double(labels.count)
  }
}

/// Features and labels of one split.
public struct LabelledFeatures {
  public var features: [Float], labels: [Int], dimension: Int
  /// Features [N, dimension] (row-major) with one label per row.
  public init(features: [Float], labels: [Int], dimension: Int) {
    self.features = features; self.labels = labels; self.dimension = dimension
  }
  public var count: Int { labels.count }
  func rows(_ idx: [Int]) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(idx.count * dimension)
    for i in idx { out += features[(i * dimension)..<((i + 1) * dimension)] }
    return out
  }
}

/// The result of the probe protocol.
public struct ProbeResult: Sendable {
  /// Test error per label draw.
  public var errors: [Double]
  /// The L2 weight chosen on the validation split.
  public var l2: Float
  public var mean: Double { errors.reduce(0, +) / Double(errors.count) }
  public var std: Double {
    let m = mean
    return (errors.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(errors.count - 1, 1))).squareRoot()
  }
}

/// ALI's protocol: `draws` class-balanced labelled sets of `perClass` examples from `pool`; the L2 weight
/// picked from `grid` by validation error on the first draw; the test error of each draw's probe.
public func probeError(pool: LabelledFeatures, validation: LabelledFeatures, test: LabelledFeatures, classes k: Int,
                       perClass: Int = 100, draws: Int = 10, grid: [Float] = [1e-4, 1e-3, 1e-2, 1e-1],
                       seed: UInt64) -> ProbeResult {
  let f = pool.dimension
  let standard = LinearProbe.standardization(pool.features, dimension: f)
  var rng = RandomGenerator(seed: seed)
  var byClass = [[Int]](repeating: [], count: k)
  for (i, y) in pool.labels.enumerated() { byClass[y].append(i) }
  precondition(byClass.allSatisfy { $0.count >= perClass }, "probeError: a class has fewer than \(perClass) examples")
  func draw() -> [Int] {
    byClass.flatMap { idx in rng.permutation(idx.count).prefix(perClass).map { idx[$0] } }
  }
  let first = draw()
  func fit(_ idx: [Int], _ l2: Float) -> LinearProbe {
    LinearProbe(features: pool.rows(idx), labels: idx.map { pool.labels[$0] }, dimension: f, classes: k, l2: l2,
                standardization: standard)
  }
  var best = grid[0], bestError = Double.infinity
  for l2 in grid {
    let e = fit(first, l2).error(validation.features, labels: validation.labels)
    if e < bestError { bestError = e; best = l2 }
  }
  var errors: [Double] = []
  for dIndex in 0..<draws {
    let idx = dIndex == 0 ? first : draw()
    errors.append(fit(idx, best).error(test.features, labels: test.labels))
  }
  return ProbeResult(errors: errors, l2: best)
}
