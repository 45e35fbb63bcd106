//===--- Evaluation.swift -------------------------------------------------===//
// What the chapter measures on a trained AGE pair, in one batch-norm mode
// (Evaluation/BatchNormModes.swift; the chapter's default is `evaluationMode`):
// - samples g(z), z uniform on the sphere: classifier Inception Score, Frechet distance,
//   KID (mean and std over subsets) and precision/recall (k = 3) against the test images'
//   classifier features;
// - test reconstructions g(e(x)): L1 and MSE per pixel on [-1, 1], the classifier's accuracy;
// - latent reconstruction |z - e(g(z))|^2 (summed over the M dimensions; 2 - 2 cos on the sphere);
// - sharpness: mean absolute difference between neighbouring pixels, relative to real images;
// - the codes of test images: per-dimension mean and variance, and eq. (7) against its minimum.
// Every number a verdict reads gets a 95% percentile-bootstrap interval over the test
// images or samples (Evaluation/Bootstrap.swift).
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Libm
import Models

/// The chapter's batch-norm mode for every score and figure: precise BN, the population
/// statistics of the inputs each network is applied to (real images for e, codes of real images
/// or prior samples for g). The running statistics mix real and generated batches, a state
/// training never normalises with; batch statistics depend on which 64 images share a batch.
/// Both are still scored and shown beside it (`bn_modes` in results.json).
let evaluationMode = BatchNormMode.precise

/// Test images whose reconstructions' spectra are measured (a naive DFT: 32^3 per channel and pass).
let spectrumImages = 1000

/// Real training batches for precise BN: 100 batches of 64 (6,400 images; the 640-image smoke
/// set is cycled), in a fixed shuffled order.
let preciseBatches = 100

/// The measurements of one trained pair in one batch-norm mode.
struct Scores {
  var mode = BatchNormMode.running
  var isSamples: (mean: Double, std: Double) = (0, 0)
  var fdSamples = 0.0
  var kid: (mean: Double, std: Double) = (0, 0)
  var precision = 0.0, recall = 0.0
  var reconL1 = 0.0, reconMSE = 0.0, reconAccuracy = 0.0
  var latentRecon = 0.0
  var sharpness = 0.0
  /// Reconstructions against their test images (Fig. 9's measures): Frechet distance and KID of the
  /// classifier features, and the DFT power above half the Nyquist frequency of the first
  /// `spectrumImages` reconstructions and of their originals (per image).
  var fdRecon = 0.0
  var kidRecon: (mean: Double, std: Double) = (0, 0)
  var reconHF: [Double] = [], originalHF: [Double] = []
  /// Share of the originals' high-frequency energy the reconstructions keep.
  var reconHFRatio: Double { reconHF.reduce(0, +) / max(1e-12, originalHF.reduce(0, +)) }
  var codeMean: [Double] = [], codeVariance: [Double] = []
  var codeKL = 0.0
  /// Per-item values the intervals resample.
  var sampleProbabilities: [Float] = [], sampleSharpness: [Double] = []
  var reconCorrect: [Bool] = [], reconL1PerImage: [Double] = []
  var codes: [Float] = []

  var json: [String: Any] {
    ["bn_mode": mode.rawValue, "is_samples": ["mean": isSamples.mean, "std": isSamples.std], "fd_samples": fdSamples,
     "kid": ["mean": kid.mean, "std": kid.std], "precision": precision, "recall": recall,
     "recon_l1": reconL1, "recon_mse": reconMSE, "recon_accuracy": reconAccuracy, "latent_recon": latentRecon,
     "sharpness": sharpness, "code_kl": codeKL,
     "fd_recon": fdRecon, "kid_recon": ["mean": kidRecon.mean, "std": kidRecon.std], "recon_hf_ratio": reconHFRatio,
     "code_variance_times_m": codeVariance.reduce(0, +),
     "code_mean_abs_max": codeMean.map(abs).max() ?? 0]
  }
}

/// The pair set up in `mode`; precise BN estimates on `train` (call `finish()` afterwards).
func pairInMode(_ t: AGETrainer, _ mode: BatchNormMode, train: ImageDataset, seed: UInt64) -> PairInMode {
  var rng = RandomGenerator(seed: seed)
  let order = rng.permutation(train.count)
  var priorRNG = RandomGenerator(seed: seed &+ 1)
  return PairInMode(e: t.e, g: t.g, mode: mode, batchSize: 64, preciseBatches: preciseBatches,
                    realBatch: { k in train.batch((0..<64).map { order[(k * 64 + $0) % order.count] }) },
                    prior: { t.sampleZ($0, rng: &priorRNG) })
}

/// `count` samples g(z) from a fixed seed, `batch` at a time.
func generate(_ p: PairInMode, _ t: AGETrainer, count: Int, seed: UInt64, batch: Int = 1000) -> Tensor {
  var rng = RandomGenerator(seed: seed)
  var data: [Float] = []
  var shape: [Int] = []
  var i = 0
  while i < count {
    let b = min(batch, count - i)
    let x = p.sample(t.sampleZ(b, rng: &rng))
    data += x.data; shape = x.shape
    i += b
  }
  shape[0] = count
  return Tensor(shape: shape, data: data)
}

/// Mean absolute neighbour difference of each image [N, C, H, W] (sharpness per item).
func neighbourDifferencePerImage(_ x: Tensor) -> [Double] {
  (0..<x.shape[0]).map { meanNeighbourDifference(x.rows([$0])) }
}

/// Scores of the pair in `pair`'s mode.
func evaluate(_ pair: PairInMode, _ t: AGETrainer, reference r: RealReference, seed: UInt64) -> Scores {
  var sc = Scores()
  sc.mode = pair.mode
  let net = r.classifier.network
  let n = r.evalCount
  let samples = generate(pair, t, count: n, seed: seed)
  let out = net.evaluate(n) { s, c in samples.rows(Array(s..<(s + c))) }
  sc.sampleProbabilities = out.probabilities
  sc.isSamples = inceptionScore(probabilities: out.probabilities, classes: net.classes)
  sc.fdSamples = frechetDistance(out.features, r.testOutputs.features, dimension: net.featureCount)
  sc.kid = kernelInceptionDistance(out.features, r.testOutputs.features, dimension: net.featureCount, seed: seed)
  (sc.precision, sc.recall) = precisionRecall(real: r.testOutputs.features, generated: out.features,
                                              dimension: net.featureCount)
  sc.sampleSharpness = neighbourDifferencePerImage(samples).map { $0 / r.sharpness }
  sc.sharpness = meanNeighbourDifference(samples) / r.sharpness

  // Reconstructions of the test images, and their codes.
  let x = r.test.batch(Array(0..<n))
  let z = pair.encode(x)
  let xr = pair.decode(z)
  let per = x.count / n
  var l1 = 0.0, l2 = 0.0
  sc.reconL1PerImage = (0..<n).map { i in
    var s = 0.0
    for k in (i * per)..<((i + 1) * per) { let d = Double(xr.data[k] - x.data[k]); s += abs(d); l2 += d * d }
    l1 += s
    return s / Double(per)
  }
  sc.reconL1 = l1 / Double(n * per); sc.reconMSE = l2 / Double(n * per)
  let labels = Array(r.test.labels.prefix(n))
  let reconOut = net.evaluate(n) { s, c in xr.rows(Array(s..<(s + c))) }
  sc.reconAccuracy = reconOut.accuracy(labels)
  sc.fdRecon = frechetDistance(reconOut.features, r.testOutputs.features, dimension: net.featureCount)
  sc.kidRecon = kernelInceptionDistance(reconOut.features, r.testOutputs.features, dimension: net.featureCount, seed: seed)
  let ns = min(n, spectrumImages)
  sc.reconHF = highFrequencyEnergy(xr.rows(Array(0..<ns)))
  sc.originalHF = highFrequencyEnergy(x.rows(Array(0..<ns)))
  sc.reconCorrect = zip(reconOut.predictions, labels).map { $0 == $1 }
  let m = t.nz
  sc.codes = z.data
  let (mean, cov) = meanAndCovariance(z.data, dimension: m)
  sc.codeMean = mean
  sc.codeVariance = (0..<m).map { cov[$0 * m + $0] * Double(n - 1) / Double(n) }
  sc.codeKL = Double(gaussianFitKL(z, variant: .paper).item)

  // Latent reconstruction |z - e(g(z))|^2.
  var rng = RandomGenerator(seed: seed &+ 1)
  var lz = 0.0
  let zb = t.sampleZ(min(n, 1000), rng: &rng)
  let ez = pair.encode(pair.sample(zb))
  for k in 0..<zb.count { let d = Double(zb.data[k] - ez.data[k]); lz += d * d }
  sc.latentRecon = lz / Double(zb.shape[0])
  return sc
}

/// Scores in `evaluationMode`; `figures` draws with the pair in that mode before it is released.
func evaluate(_ t: AGETrainer, reference r: RealReference, seed: UInt64,
              figures: (PairInMode) throws -> Void = { _ in }) rethrows -> Scores {
  let pair = pairInMode(t, evaluationMode, train: r.train, seed: seed &+ 17)
  defer { pair.finish() }
  let sc = evaluate(pair, t, reference: r, seed: seed)
  try figures(pair)
  return sc
}

/// The main runs' scores in every batch-norm mode; `figures` as above.
func evaluateAllModes(_ t: AGETrainer, reference r: RealReference, seed: UInt64,
                      figures: (PairInMode) throws -> Void) rethrows -> [BatchNormMode: Scores] {
  var all: [BatchNormMode: Scores] = [evaluationMode: try evaluate(t, reference: r, seed: seed, figures: figures)]
  for mode in BatchNormMode.allCases where mode != evaluationMode {
    let pair = pairInMode(t, mode, train: r.train, seed: seed &+ 17)
    all[mode] = evaluate(pair, t, reference: r, seed: seed)
    pair.finish()
  }
  return all
}

// MARK: - Intervals of the numbers the verdicts read (95%, 200 bootstrap resamples)

/// IS of samples over IS of real test images, both sets resampled.
func isRatioInterval(_ sc: Scores, _ r: RealReference) -> Interval {
  let k = r.classifier.network.classes
  return bootstrap(counts: [sc.sampleProbabilities.count / k, r.testOutputs.count], seed: 1) { idx in
    inceptionScore(probabilities: sc.sampleProbabilities, classes: k, rows: idx[0])
      / inceptionScore(probabilities: r.testOutputs.probabilities, classes: k, rows: idx[1])
  }
}

/// log IS of samples over log IS of real test images (IS is exp of a mutual information).
func logISRatioInterval(_ sc: Scores, _ r: RealReference) -> Interval {
  let k = r.classifier.network.classes
  return bootstrap(counts: [sc.sampleProbabilities.count / k, r.testOutputs.count], seed: 2) { idx in
    Math.log(inceptionScore(probabilities: sc.sampleProbabilities, classes: k, rows: idx[0]))
      / Math.log(inceptionScore(probabilities: r.testOutputs.probabilities, classes: k, rows: idx[1]))
  }
}

/// IS of one sample set over another's (ablations against the baseline).
func isRatioInterval(_ a: Scores, over b: Scores, classes k: Int) -> Interval {
  bootstrap(counts: [a.sampleProbabilities.count / k, b.sampleProbabilities.count / k], seed: 3) { idx in
    inceptionScore(probabilities: a.sampleProbabilities, classes: k, rows: idx[0]) / inceptionScore(probabilities: b.sampleProbabilities, classes: k, rows: idx[1])
  }
}

/// Classifier accuracy on reconstructions over its accuracy on the same (resampled) test images.
func reconAccuracyRatioInterval(_ sc: Scores, _ r: RealReference) -> Interval {
  let real = zip(r.testOutputs.predictions, r.test.labels.prefix(sc.reconCorrect.count)).map { $0 == $1 }
  return bootstrap(counts: [sc.reconCorrect.count], seed: 4) { idx in
    Double(idx[0].filter { sc.reconCorrect[$0] }.count) / Double(max(1, idx[0].filter { real[$0] }.count))
  }
}

/// eq. (7) of the test codes relative to its minimum on the sphere, minus 1.
func codeExcessInterval(_ sc: Scores, nz m: Int) -> Interval {
  let floor = gaussianFitKLSphereMinimum(m)
  return bootstrap(counts: [sc.codes.count / m], seed: 5) { idx in
    var c = [Float](); c.reserveCapacity(idx[0].count * m)
    for i in idx[0] { c += sc.codes[(i * m)..<((i + 1) * m)] }
    return Double(gaussianFitKL(Tensor(shape: [idx[0].count, m], data: c), variant: .paper).item) / floor - 1
  }
}

/// Sharpness of one sample set over another's.
func sharpnessRatioInterval(_ a: Scores, over b: Scores) -> Interval {
  bootstrap(counts: [a.sampleSharpness.count, b.sampleSharpness.count], seed: 6) { idx in
    (idx[0].reduce(0.0) { $0 + a.sampleSharpness[$1] } / Double(idx[0].count))
      / (idx[1].reduce(0.0) { $0 + b.sampleSharpness[$1] } / Double(idx[1].count))
  }
}

/// The reconstructions' kept share of high-frequency energy, variant over baseline (the same test
/// images resampled for both): below 1 means blurrier reconstructions than the baseline's.
func reconHFRatioInterval(_ a: Scores, over b: Scores) -> Interval {
  bootstrap(counts: [a.reconHF.count], seed: 8) { idx in
    func ratio(_ s: Scores) -> Double {
      idx[0].reduce(0.0) { $0 + s.reconHF[$1] } / max(1e-12, idx[0].reduce(0.0) { $0 + s.originalHF[$1] })
    }
    return ratio(a) / ratio(b)
  }
}
