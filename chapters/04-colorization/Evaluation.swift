//===--- Evaluation.swift -------------------------------------------------===//
// What the chapter measures on held-out images, for each system, with 8
// colorizations (8 codes z) per grayscale input:
//   diversity      mean over pixels and a, b of the standard deviation over the 8 (ab units)
//   best-of-8 L1   min over the 8 of the mean |ab - ab_true| (ab units), and the mean over the 8
//   PSNR           of the best-of-8 colorization in RGB on [0, 1] (dB)
//   colorfulness   Hasler and Suesstrunk (2003) on RGB in [0, 255]
//   classifier     the chapter-2 CIFAR-10 classifier's accuracy on the colorizations
// and, for AGE, color transfer: z1 = e(x1 | L1) colorizes L2; the mean ab of the result is
// correlated with the mean ab of the source x1 and of the target's true colours x2.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Kernels
import Models

struct ColorScores {
  var diversity = 0.0, bestOf8L1 = 0.0, meanL1 = 0.0, psnr = 0.0, colorfulness = 0.0
  var classifierAccuracy: Double?
  var json: [String: Any] {
    var j: [String: Any] = ["diversity": diversity, "best_of_8_ab_l1": bestOf8L1, "mean_ab_l1": meanL1, "psnr": psnr,
                            "colorfulness": colorfulness]
    j["classifier_accuracy"] = classifierAccuracy ?? "not measured"
    return j
  }
}

/// The references: the test images themselves and their grayscale versions (ab = 0).
struct ColorReference {
  var realColorfulness = 0.0, grayPSNR = 0.0, grayL1 = 0.0
  var originalAccuracy: Double?, grayAccuracy: Double?
}

/// Color transfer and reconstruction (AGE only).
struct TransferScores {
  var sources = 0
  var rSource = 0.0, rTarget = 0.0
  var reconL1 = 0.0
}

let samplesPerInput = 8
let abUnits = Double(LabImages.abScale)

/// The 8 colorizations of each of `l` [N,1,S,S]: [8][N,2,S,S], code k of input i drawn from `seed`.
func colorizations(_ run: ColorRun, l: Tensor, seed: UInt64) -> [Tensor] {
  run.generator.eval()
  var rng = RandomGenerator(seed: seed)
  let n = l.shape[0]
  return (0..<samplesPerInput).map { _ in
    let z = run.sampleCodes(n, rng: &rng)
    return withNoGrad { chunked(n) { r in colorize(run.generator, l: l.rows(Array(r)), z: z.rows(Array(r))) } }
  }
}

/// Applies `f` to row ranges of at most 128 and concatenates the results along axis 0.
func chunked(_ n: Int, _ f: (Range<Int>) -> Tensor) -> Tensor {
  let parts = stride(from: 0, to: n, by: 128).map { f($0..<min($0 + 128, n)) }
  return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
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

func accuracy(_ clf: EvaluationClassifier?, _ rgb: Tensor, labels: [Int]) -> Double? {
  guard let clf, rgb.shape[2] == 32 else { return nil }
  return clf.network.evaluate(rgb.shape[0]) { s, c in rgb.rows(Array(s..<(s + c))) }.accuracy(labels)
}

/// Scores of one system on the test inputs (l, ab) with their labels.
func evaluate(_ run: ColorRun, l: Tensor, ab: Tensor, labels: [Int], classifier: EvaluationClassifier?, seed: UInt64)
  -> ColorScores {
  let outs = colorizations(run, l: l, seed: seed)
  let (n, per) = (l.shape[0], ab.count / l.shape[0])
  var s = ColorScores()
  // Diversity: per-element std over the samples.
  var div = 0.0
  for k in 0..<ab.count {
    var m = 0.0, m2 = 0.0
    for o in outs { let v = Double(o.data[k]); m += v; m2 += v * v }
    m /= Double(samplesPerInput)
    div += max(m2 / Double(samplesPerInput) - m * m, 0).squareRoot()
  }
  s.diversity = div / Double(ab.count) * abUnits
  let rgbTrue = LabImages.rgb(l: l, ab: ab)
  let rgbs = outs.map { LabImages.rgb(l: l, ab: $0) }
  var best = 0.0, mean = 0.0, p = 0.0
  for i in 0..<n {
    let errs = outs.map { o -> Double in
      var e = 0.0
      for k in (i * per)..<((i + 1) * per) { e += Double(Swift.abs(o.data[k] - ab.data[k])) }
      return e / Double(per) * abUnits
    }
    let b = errs.indices.min { errs[$0] < errs[$1] }!
    best += errs[b]; mean += errs.reduce(0, +) / Double(errs.count)
    p += psnr(rgbs[b], rgbTrue, image: i)
  }
  s.bestOf8L1 = best / Double(n); s.meanL1 = mean / Double(n); s.psnr = p / Double(n)
  s.colorfulness = rgbs.map(colorfulness).reduce(0, +) / Double(rgbs.count)
  if classifier != nil {
    s.classifierAccuracy = rgbs.compactMap { accuracy(classifier, $0, labels: labels) }.reduce(0, +) / Double(rgbs.count)
  }
  return s
}

func reference(l: Tensor, ab: Tensor, labels: [Int], classifier: EvaluationClassifier?) -> ColorReference {
  var r = ColorReference()
  let rgbTrue = LabImages.rgb(l: l, ab: ab)
  let gray = LabImages.rgb(l: l, ab: Tensor(zeros: ab.shape))
  r.realColorfulness = colorfulness(rgbTrue)
  r.grayPSNR = (0..<l.shape[0]).map { psnr(gray, rgbTrue, image: $0) }.reduce(0, +) / Double(l.shape[0])
  r.grayL1 = ab.data.reduce(0.0) { $0 + Double(Swift.abs($1)) } / Double(ab.count) * abUnits
  r.originalAccuracy = accuracy(classifier, rgbTrue, labels: labels)
  r.grayAccuracy = accuracy(classifier, gray, labels: labels)
  return r
}

/// Mean a and b of each image of [N, 2, S, S] (ab units).
func meanAB(_ ab: Tensor) -> [(Double, Double)] {
  let (n, p) = (ab.shape[0], ab.shape[2] * ab.shape[3])
  return (0..<n).map { i in
    var a = 0.0, b = 0.0
    for k in 0..<p { a += Double(ab.data[i * 2 * p + k]); b += Double(ab.data[i * 2 * p + p + k]) }
    return (a / Double(p) * abUnits, b / Double(p) * abUnits)
  }
}

func pearson(_ x: [Double], _ y: [Double]) -> Double {
  let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
  var sxy = 0.0, sxx = 0.0, syy = 0.0
  for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
  return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

/// The K x K transfer matrix out[i][j] = g(e(x_i | L_i) | L_j) (each [1,2,S,S] row of one tensor
/// [K*K, 2, S, S], row i*K + j), and its correlations.
func transfer(_ t: ConditionalAGETrainer, l: Tensor, ab: Tensor) -> (Tensor, TransferScores) {
  t.e.eval(); t.g.eval()
  let k = l.shape[0]
  let codes = withNoGrad { encodeLab(t.e, l: l, ab: ab) }
  let src = (0..<(k * k)).map { $0 / k }, dst = (0..<(k * k)).map { $0 % k }
  let out = withNoGrad { chunked(k * k) { r in colorize(t.g, l: l.rows(dst[r].map { $0 }), z: codes.rows(src[r].map { $0 })) } }
  let m = meanAB(out), truth = meanAB(ab)
  var s = TransferScores()
  s.sources = k
  let o = m.flatMap { [$0.0, $0.1] }
  s.rSource = pearson(o, src.flatMap { [truth[$0].0, truth[$0].1] })
  s.rTarget = pearson(o, dst.flatMap { [truth[$0].0, truth[$0].1] })
  let diag = out.rows((0..<k).map { $0 * k + $0 })
  s.reconL1 = zip(diag.data, ab.data).reduce(0.0) { $0 + Double(Swift.abs($1.0 - $1.1)) } / Double(ab.count) * abUnits
  return (out, s)
}
