//===--- Evaluation.swift -------------------------------------------------===//
// What the chapter measures on every trained system, in each batch-norm mode
// (BatchNormEvaluation.swift; the verdicts read precise BN), with chapter 2's
// classifier-based scores:
// - classifier Inception Score, Frechet distance, KID and precision/recall (k = 3) of
//   samples g(z), z from the prior, against the test images' classifier features;
// - test reconstruction error |x - g(e(x))| (L1 and MSE per pixel on [-1, 1], and L1 per
//   image for paired intervals) and the classifier's accuracy on the reconstructions;
// - linear probes on the encoder's features (ALI's semi-supervised protocol), beside two
//   baselines: raw pixels (2x2 average-pooled) and the same encoder untrained;
// - collapse flags: samples whose mean pairwise distance is under a third of real test
//   images', and reconstructions no closer to their images than the mean training image.
// The per-epoch quality curves (`curveProbe`) use the running statistics: they are
// measured during training, where re-estimating would cost more than the point.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Models

/// The measurements of one system in one batch-norm mode.
struct SystemScores {
  var mode = evaluationMode
  var isSamples: (mean: Double, std: Double) = (0, 0)
  var fdSamples = 0.0
  var kid: (mean: Double, std: Double) = (0, 0)
  var precision = 0.0, recall = 0.0
  var reconL1: Double?, reconMSE: Double?, reconAccuracy: Double?
  var probe: ProbeResult?
  /// Mean pairwise L2 distance of 100 samples relative to that of 100 real test images.
  var sampleSpread = 0.0
  /// Reconstruction L1 relative to the mean training image's L1 on the same test images (nil without an encoder).
  var reconOverMeanImage: Double?
  /// Per-item values behind the verdicts' intervals (not written to results.json): the classifier's
  /// probabilities [N * K] and features [N * F] of the samples, and each test image's reconstruction L1.
  var sampleProbabilities: [Float] = [], sampleFeatures: [Float] = [], reconL1PerImage: [Double] = []
  /// The same scores in the other batch-norm modes.
  var otherModes: [BatchNormMode: SystemScores] = [:]
  /// Why the system counts as collapsed (nil: it does not).
  var collapse: String? {
    var why: [String] = []
    if sampleSpread < 1.0 / 3 { why.append(String(format: "samples nearly one image (spread %.2f of real)", sampleSpread)) }
    if let r = reconOverMeanImage, r >= 1 { why.append(String(format: "reconstructions no better than the mean image (L1 %.2fx)", r)) }
    return why.isEmpty ? nil : why.joined(separator: "; ")
  }
  /// The numbers a batch-norm mode changes.
  var modeJSON: [String: Any] {
    var j: [String: Any] = ["is_samples": ["mean": isSamples.mean, "std": isSamples.std], "fd_samples": fdSamples,
                            "kid": ["mean": kid.mean, "std": kid.std], "precision": precision, "recall": recall,
                            "sample_spread": sampleSpread, "collapsed": collapse ?? false]
    j["recon_over_mean_image"] = reconOverMeanImage ?? "no encoder"
    if let reconL1, let reconMSE, let reconAccuracy {
      j["recon_l1"] = reconL1; j["recon_mse"] = reconMSE; j["recon_accuracy"] = reconAccuracy
    }
    return j
  }
  var json: [String: Any] {
    var j = modeJSON
    j["bn_mode"] = mode.rawValue
    j["bn_modes"] = Dictionary(uniqueKeysWithValues: otherModes.map { ($0.key.rawValue, $0.value.modeJSON) })
    if let p = probe {
      j["probe_error"] = ["mean": p.mean, "std": p.std, "draws": p.errors.count, "l2": Double(p.l2)]
    }
    return j
  }
}

/// Runs `f` on consecutive batches of `n` items, concatenating the rows of the results.
func batched(_ n: Int, batch: Int = 250, _ f: (Range<Int>) -> Tensor) -> Tensor {
  var data: [Float] = []
  var shape: [Int] = []
  var i = 0
  while i < n {
    let r = i..<min(n, i + batch)
    let t = f(r)
    data += t.data; shape = t.shape
    i = r.upperBound
  }
  shape[0] = n
  return Tensor(shape: shape, data: data)
}

/// `n` samples g(z), z from the system's prior with a fixed seed (no graph).
func samples(_ m: SystemInMode, _ n: Int, seed: UInt64) -> Tensor {
  var rng = RandomGenerator(seed: seed)
  return withNoGrad { batched(n) { r in m.sample(m.system.samplePrior(r.count, rng: &rng)) } }
}

/// g(e(x)) for the first `n` test images (nil without an encoder).
func reconstructions(_ m: SystemInMode, _ test: ImageDataset, _ n: Int) -> Tensor? {
  guard m.hasEncoder else { return nil }
  return withNoGrad { batched(n) { r in m.reconstruct(test.batch(Array(r)))! } }
}

/// The running-statistics view of a system during training (the per-epoch curve points).
func samples(_ s: GenerativeSystem, _ n: Int, seed: UInt64) -> Tensor {
  var rng = RandomGenerator(seed: seed)
  return withNoGrad { batched(n) { r in s.decode(s.samplePrior(r.count, rng: &rng)) } }
}
func reconstructions(_ s: GenerativeSystem, _ test: ImageDataset, _ n: Int) -> Tensor? {
  withNoGrad {
    var noEncoder = false
    let x = batched(n) { r in
      guard let z = s.encode(test.batch(Array(r))) else { noEncoder = true; return Tensor(zeros: [r.count, 1]) }
      return s.decode(z)
    }
    return noEncoder ? nil : x
  }
}

/// Mean |a - b| and (a - b)^2 per element.
func errors(_ a: Tensor, _ b: Tensor) -> (l1: Double, mse: Double) {
  var l1 = 0.0, l2 = 0.0
  for k in 0..<a.count { let d = Double(a.data[k] - b.data[k]); l1 += abs(d); l2 += d * d }
  return (l1 / Double(a.count), l2 / Double(a.count))
}

/// The quick per-epoch point: L1 on the first `n` test images, FD of `n` samples against the test features.
func curveProbe(reference r: RealReference, n: Int, seed: UInt64) -> CurveProbe {
  let net = r.classifier.network
  let count = min(n, r.evalCount)
  let testFeatures = Array(r.testOutputs.features.prefix(count * net.featureCount))
  return CurveProbe { s in
    let x = samples(s, count, seed: seed)
    let out = net.evaluate(count) { a, c in x.rows(Array(a..<(a + c))) }
    let fd = frechetDistance(out.features, testFeatures, dimension: net.featureCount)
    let l1 = reconstructions(s, r.test, count).map { errors($0, r.test.batch(Array(0..<count))).l1 }
    return (l1, fd)
  }
}

/// Final scores of a system in `m`'s batch-norm mode (probes separately: they need the training split).
func evaluate(_ m: SystemInMode, reference r: RealReference, seed: UInt64) -> SystemScores {
  var sc = SystemScores()
  sc.mode = m.mode
  let net = r.classifier.network
  let n = r.evalCount
  let x = samples(m, n, seed: seed)
  let out = net.evaluate(n) { a, c in x.rows(Array(a..<(a + c))) }
  sc.sampleProbabilities = out.probabilities; sc.sampleFeatures = out.features
  sc.isSamples = inceptionScore(probabilities: out.probabilities, classes: net.classes)
  sc.fdSamples = frechetDistance(out.features, r.testOutputs.features, dimension: net.featureCount)
  sc.kid = kernelInceptionDistance(out.features, r.testOutputs.features, dimension: net.featureCount, seed: seed)
  (sc.precision, sc.recall) = precisionRecall(real: r.testOutputs.features, generated: out.features, dimension: net.featureCount)
  if let rec = reconstructions(m, r.test, n) {
    let test = r.test.batch(Array(0..<n))
    let per = test.count / n
    sc.reconL1PerImage = (0..<n).map { i in
      var s = 0.0
      for q in (i * per)..<((i + 1) * per) { s += Double(Swift.abs(rec.data[q] - test.data[q])) }
      return s / Double(per)
    }
    let e = errors(rec, test)
    sc.reconL1 = e.l1; sc.reconMSE = e.mse
    sc.reconAccuracy = net.evaluate(n) { a, c in rec.rows(Array(a..<(a + c))) }.accuracy(Array(r.test.labels.prefix(n)))
    let meanImage = r.train.meanImage
    var base = 0.0
    for k in 0..<test.count { base += Double(Swift.abs(test.data[k] - meanImage[k % meanImage.count])) }
    sc.reconOverMeanImage = e.l1 / (base / Double(test.count))
  }
  let k = min(100, n)
  sc.sampleSpread = meanPairwiseDistance(x.rows(Array(0..<k))) / max(meanPairwiseDistance(r.test.batch(Array(0..<k))), 1e-12)
  return sc
}

/// Mean L2 distance between the rows of [N, ...].
func meanPairwiseDistance(_ t: Tensor) -> Double {
  let n = t.shape[0], per = t.count / n
  var total = 0.0
  for i in 0..<n { for j in (i + 1)..<n {
    var s = 0.0
    for q in 0..<per { let d = Double(t.data[i * per + q] - t.data[j * per + q]); s += d * d }
    total += s.squareRoot()
  } }
  return total / Double(n * (n - 1) / 2)
}

extension ImageDataset {
  /// The mean image, [C * H * W].
  var meanImage: [Float] {
    var m = [Double](repeating: 0, count: imageSize)
    for i in 0..<count { for q in 0..<imageSize { m[q] += Double(pixels[i * imageSize + q]) } }
    return m.map { Float($0 / Double(count)) }
  }
}

/// The splits of the probe protocol: a labelled pool and a validation set from the training split,
/// and test images.
struct ProbeData {
  let pool: ImageDataset, validation: ImageDataset, test: ImageDataset
  /// The pool is the first `poolLimit` training images (enough for the label draws), the validation set
  /// the last `validation`.
  init(train: ImageDataset, test: ImageDataset, validation v: Int, testImages: Int, poolLimit: Int) {
    let n = train.count
    pool = train.subset(Array(0..<min(n - v, poolLimit)))
    validation = train.subset(Array((n - v)..<n))
    self.test = test.prefix(testImages)
  }
}

/// ALI's protocol on the system's features in `m`'s batch-norm mode.
func probe(_ m: SystemInMode, _ data: ProbeData, budget: Budget, seed: UInt64) -> ProbeResult {
  probe(features: { m.features($0) }, data, budget: budget, seed: seed)
}

/// The probe protocol on any feature map of images [N, C, H, W] -> [N, F].
func probe(features f: (Tensor) -> Tensor, _ data: ProbeData, budget: Budget, seed: UInt64) -> ProbeResult {
  func labelled(_ d: ImageDataset) -> LabelledFeatures {
    let t = withNoGrad { batched(d.count) { r in f(d.batch(Array(r))) } }
    return LabelledFeatures(features: t.data, labels: d.labels, dimension: t.shape[1])
  }
  return probeError(pool: labelled(data.pool), validation: labelled(data.validation), test: labelled(data.test),
                    classes: data.pool.classNames.count, perClass: budget.probePerClass, draws: budget.probeDraws, seed: seed)
}
