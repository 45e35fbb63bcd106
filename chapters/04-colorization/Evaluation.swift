//===--- Evaluation.swift -------------------------------------------------===//
// What the chapter measures on held-out images, for each system, in one batch-norm
// mode (Evaluation/BatchNormModes.swift; the chapter's default is `evaluationMode`), with
// `samplesPerInput` colorizations (codes z_1..z_32) per grayscale input:
//   diversity      per input, the standard deviation over the first 8 colorizations,
//                  averaged over pixels and a, b (ab units)
//   best-of-N      per input, the smallest mean |ab - ab_true| (ab units) among the first N
//                  colorizations, N = 1..32 (the curve), N = 8 (the verdict)
//   PSNR           of the best-of-8 colorization in RGB on [0, 1] (dB)
//   colorfulness   Hasler and Suesstrunk (2003) on RGB in [0, 255], over the first 8
//   classifier     per input, the share of the first 8 colorizations chapter 2's CIFAR-10
//                  classifier labels correctly
// Per-input values are kept so that every verdict's number gets a bootstrap interval
// over test inputs (Evaluation/Bootstrap.swift). Transfer.swift measures colour transfer.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Libm
import Models

/// The chapter's batch-norm mode for every verdict and figure: precise BN (running statistics
/// re-estimated on real training batches for e, on prior codes with real L for g's samples, on
/// codes of real images for g's reconstructions). The other two modes are scored beside it.
let evaluationMode = BatchNormMode.precise

/// Training batches for precise BN (the 1,600 "cars" images are cycled).
let preciseBatches = 50

/// Colorizations per grayscale input (the best-of-N curve runs to this N).
let samplesPerInput = 32
/// Colorizations the diversity, colourfulness, classifier and best-of-8 numbers read.
let verdictSamples = 8

let abUnits = Double(LabImages.abScale)

/// A run's networks in `mode`: AGE's e(x | L) and g(z | L), or pix2pix's U-Net (with an empty
/// encoder). Call `finish()` afterwards to restore the trained statistics.
func netsInMode(_ run: ColorRun, _ mode: BatchNormMode, train: LabImages, seed: UInt64) -> PairInMode {
  var rng = RandomGenerator(seed: seed)
  let order = rng.permutation(train.count)
  var priorRNG = RandomGenerator(seed: seed &+ 1)
  let s = train.height
  func batch(_ k: Int) -> (l: Tensor, ab: Tensor) {
    train.batch((0..<batchSize).map { order[(k * batchSize + $0) % order.count] })
  }
  func withCodes(_ l: Tensor, _ z: Tensor) -> Tensor { Tensor.concat([l, z.tileSpatial(s, s)], axis: 1) }
  let prior = { (n: Int) -> Tensor in
    let l = train.batch((0..<n).map { _ in priorRNG.int(below: train.count) }).l
    return withCodes(l, run.sampleCodes(n, rng: &priorRNG))
  }
  return PairInMode(
    e: run.age?.e ?? Sequential([]), g: run.generator, mode: mode, batchSize: batchSize, preciseBatches: preciseBatches,
    realBatch: { k in let b = batch(k); return Tensor.concat([b.l, b.ab], axis: 1) }, prior: prior,
    codeInput: { codes, k in run.age == nil ? prior(batchSize) : withCodes(batch(k).l, codes) })
}

/// g(z | L) for every row of l [N,1,S,S] and z [N,M] through `nets` (sampling statistics), in chunks.
func colorizations(_ nets: PairInMode, l: Tensor, z: Tensor) -> Tensor {
  let s = l.shape[2]
  return chunked(l.shape[0]) { r in
    nets.sample(Tensor.concat([l.rows(Array(r)), z.rows(Array(r)).tileSpatial(s, s)], axis: 1))
  }
}

/// Applies `f` to row ranges of at most 128 (two training batches) and concatenates the results.
func chunked(_ n: Int, _ f: (Range<Int>) -> Tensor) -> Tensor {
  let parts = stride(from: 0, to: n, by: 2 * batchSize).map { f($0..<min($0 + 2 * batchSize, n)) }
  return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
}

/// The `samplesPerInput` colorizations' codes: code k of input i is row i of the k-th draw from `seed`.
func codes(_ run: ColorRun, inputs n: Int, seed: UInt64) -> [Tensor] {
  var rng = RandomGenerator(seed: seed)
  return (0..<samplesPerInput).map { _ in run.sampleCodes(n, rng: &rng) }
}

struct ColorScores {
  var mode = BatchNormMode.running
  var diversityPerInput: [Double] = []
  /// Mean over inputs of the best-of-N ab L1, N = 1...samplesPerInput.
  var bestOfN: [Double] = []
  var bestOf8PerInput: [Double] = []
  var meanL1 = 0.0, psnr = 0.0, colorfulness = 0.0
  /// Per input, the share of its 8 colorizations the classifier labels correctly (nil: no classifier).
  var correctPerInput: [Double]?

  var diversity: Double { mean(diversityPerInput) }
  var bestOf8L1: Double { mean(bestOf8PerInput) }
  var classifierAccuracy: Double? { correctPerInput.map(mean) }

  var json: [String: Any] {
    var j: [String: Any] = ["bn_mode": mode.rawValue, "diversity": diversity, "best_of_8_ab_l1": bestOf8L1,
                            "best_of_n_ab_l1": bestOfN, "mean_ab_l1": meanL1, "psnr": psnr, "colorfulness": colorfulness]
    j["classifier_accuracy"] = classifierAccuracy ?? "not measured"
    return j
  }
}

func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }

/// The references: the test images themselves and their grayscale versions (ab = 0), per input.
struct ColorReference {
  var realColorfulness = 0.0, grayPSNR = 0.0
  var grayL1PerInput: [Double] = []
  var originalCorrect: [Double]?, grayCorrect: [Double]?
  var grayL1: Double { mean(grayL1PerInput) }
}

func psnr(_ a: Tensor, _ b: Tensor, image i: Int) -> Double {
  let per = a.count / a.shape[0]
  var s = 0.0
  for k in (i * per)..<((i + 1) * per) { let d = Double(a.data[k] - b.data[k]) / 2; s += d * d }   // [-1,1] -> [0,1]
  let mse = max(s / Double(per), 1e-10)
  return -10 * Math.log(mse) / Math.log(10)
}

/// Hasler-Suesstrunk colorfulness of each RGB image in [-1, 1], averaged.
func colorfulness(_ rgb: Tensor) -> Double {
  let (n, p) = (rgb.shape[0], rgb.shape[2] * rgb.shape[3])
  var total = 0.0
  for i in 0..<n {
    var srg = 0.0, srg2 = 0.0, syb = 0.0, syb2 = 0.0
    for k in 0..<p {
      func c(_ ch: Int) -> Double { (Double(rgb.data[(i * 3 + ch) * p + k]) + 1) * 127.5 }
      let rg = c(0) - c(1), yb = 0.5 * (c(0) + c(1)) - c(2)
      srg += rg; srg2 += rg * rg; syb += yb; syb2 += yb * yb
    }
    let mrg = srg / Double(p), myb = syb / Double(p)
    let vrg = max(srg2 / Double(p) - mrg * mrg, 0), vyb = max(syb2 / Double(p) - myb * myb, 0)
    total += (vrg + vyb).squareRoot() + 0.3 * (mrg * mrg + myb * myb).squareRoot()
  }
  return total / Double(n)
}

/// 1 where the classifier labels an RGB image [N,3,32,32] correctly, else 0 (nil: no classifier or not 32x32).
func correct(_ clf: EvaluationClassifier?, _ rgb: Tensor, labels: [Int]) -> [Double]? {
  guard let clf, rgb.shape[2] == 32 else { return nil }
  let p = clf.network.evaluate(rgb.shape[0]) { s, c in rgb.rows(Array(s..<(s + c))) }.predictions
  return zip(p, labels).map { $0 == $1 ? 1 : 0 }
}

/// Mean |ab - ab_true| of each image (ab units).
func l1PerImage(_ out: Tensor, _ ab: Tensor) -> [Double] {
  let per = ab.count / ab.shape[0]
  return (0..<ab.shape[0]).map { i in
    var e = 0.0
    for k in (i * per)..<((i + 1) * per) { e += Double(Swift.abs(out.data[k] - ab.data[k])) }
    return e / Double(per) * abUnits
  }
}

/// Scores of one system on the test inputs (l, ab) with their labels, in `nets`' mode.
func evaluate(_ run: ColorRun, nets: PairInMode, l: Tensor, ab: Tensor, labels: [Int], classifier: EvaluationClassifier?,
              seed: UInt64) -> ColorScores {
  let n = l.shape[0], per = ab.count / n
  var s = ColorScores()
  s.mode = nets.mode
  var sum = [Double](repeating: 0, count: ab.count), sum2 = sum
  var best = [Double](repeating: .infinity, count: n)
  var bestOutput = [Float](repeating: 0, count: ab.count)
  var meanL1 = 0.0, colourful = 0.0
  var correctSum: [Double]? = classifier == nil ? nil : [Double](repeating: 0, count: n)
  for (k, z) in codes(run, inputs: n, seed: seed).enumerated() {
    let out = colorizations(nets, l: l, z: z)
    let errs = l1PerImage(out, ab)
    if k < verdictSamples {
      for q in 0..<ab.count { let v = Double(out.data[q]); sum[q] += v; sum2[q] += v * v }
      meanL1 += mean(errs) / Double(verdictSamples)
      let rgb = LabImages.rgb(l: l, ab: out)
      colourful += colorfulness(rgb) / Double(verdictSamples)
      if let c = correct(classifier, rgb, labels: labels) { correctSum = zip(correctSum!, c).map { $0 + $1 } }
    }
    for i in 0..<n where errs[i] < best[i] {
      best[i] = errs[i]
      if k < verdictSamples { for q in (i * per)..<((i + 1) * per) { bestOutput[q] = out.data[q] } }
    }
    s.bestOfN.append(mean(best))
    if k == verdictSamples - 1 { s.bestOf8PerInput = best }
  }
  let m = Double(verdictSamples)
  s.diversityPerInput = (0..<n).map { i in
    var d = 0.0
    for q in (i * per)..<((i + 1) * per) {
      let mu = sum[q] / m
      d += max(sum2[q] / m - mu * mu, 0).squareRoot()
    }
    return d / Double(per) * abUnits
  }
  let rgbTrue = LabImages.rgb(l: l, ab: ab), rgbBest = LabImages.rgb(l: l, ab: Tensor(shape: ab.shape, data: bestOutput))
  s.psnr = mean((0..<n).map { psnr(rgbBest, rgbTrue, image: $0) })
  s.meanL1 = meanL1
  s.colorfulness = colourful
  s.correctPerInput = correctSum?.map { $0 / m }
  return s
}

func reference(l: Tensor, ab: Tensor, labels: [Int], classifier: EvaluationClassifier?) -> ColorReference {
  var r = ColorReference()
  let rgbTrue = LabImages.rgb(l: l, ab: ab)
  let gray = LabImages.rgb(l: l, ab: Tensor(zeros: ab.shape))
  r.realColorfulness = colorfulness(rgbTrue)
  r.grayPSNR = mean((0..<l.shape[0]).map { psnr(gray, rgbTrue, image: $0) })
  r.grayL1PerInput = l1PerImage(Tensor(zeros: ab.shape), ab)
  r.originalCorrect = correct(classifier, rgbTrue, labels: labels)
  r.grayCorrect = correct(classifier, gray, labels: labels)
  return r
}
