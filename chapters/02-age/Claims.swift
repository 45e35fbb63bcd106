//===--- Claims.swift -----------------------------------------------------===//
// The chapter's verdicts (thresholds stated with each claim) and the markdown
// tables the report shows (generated here because they list whichever datasets
// were available).
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Kernels
import Models

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }


/// The paper's CIFAR-10 score on the log scale: log 5.90 / log 11.24. IS is the exponential of a
/// mutual information, so the ratio of the logs is the ratio of the informations and does not
/// depend on where a classifier's scale starts (1 for any classifier); the linear ratio does.
let paperCIFARLogRatio = Math.log(5.90) / Math.log(11.24)

/// Verdicts read intervals (95% percentile bootstrap over samples and test images, Evaluation.swift)
/// against the bars stated in each claim; a bar inside the interval gives "inconclusive".
func claims(_ s: ChapterState) -> [Claim] {
  var out: [Claim] = []
  if let (run, sc, ref) = s.main[.fashionMNIST] {
    let r = isRatioInterval(sc, ref), lr = logISRatioInterval(sc, ref)
    out.append(Claim(
      id: "fashion-sample-quality",
      claim: "AGE samples are realistic and diverse (Fig. 5d, 7b); our bar: classifier IS of samples >= 70% of real test images' (partly: >= 50%)",
      paper: "qualitative (samples); IS on CIFAR-10 only",
      ours: "Fashion-MNIST, epochs: \(run.epochsDone), BN \(sc.mode.rawValue): IS \(f(sc.isSamples.mean)) vs real \(f(ref.isReal.mean)), ratio \(r.text(3)) (log scale \(lr.text(3))); FD \(f(sc.fdSamples)) vs train-test \(f(ref.fdRealTrain)); KID \(f(sc.kid.mean, 4)) ± \(f(sc.kid.std, 4)) vs train-test \(f(ref.kidRealTrain.mean, 4)); precision \(f(sc.precision)) / recall \(f(sc.recall))",
      verdict: verdict(r, holdsAt: 0.7, partlyAt: 0.5)))
    let acc = reconAccuracyRatioInterval(sc, ref)
    out.append(Claim(
      id: "reconstruction",
      claim: "The encoder inverts the generator: test reconstructions g(e(x)) are faithful (Fig. 2c, 6); bar: the classifier keeps >= 80% of its accuracy on them (partly: >= 50%)",
      paper: "qualitative (reconstructions)",
      ours: "Fashion-MNIST, BN \(sc.mode.rawValue): L1 \(f(sc.reconL1, 3)) per pixel on [-1, 1]; classifier accuracy \(f(100 * sc.reconAccuracy, 1))% on reconstructions vs \(f(100 * ref.classifier.testAccuracy, 1))% on real: kept \(acc.text(3))",
      verdict: verdict(acc, holdsAt: 0.8, partlyAt: 0.5)))
    let m = run.spec.net.nz
    let excess = codeExcessInterval(sc, nz: m)
    out.append(Claim(
      id: "code-alignment",
      claim: "The encoder aligns the data with the uniform prior on the sphere: eq. (7) of test codes within 5% of its minimum on S^{M-1} (partly: within 25%)",
      paper: "Theorem 1 (alignment at the game's equilibrium)",
      ours: "Fashion-MNIST, BN \(sc.mode.rawValue): Delta(e(X_test)) = \(f(sc.codeKL, 3)) vs minimum \(f(gaussianFitKLSphereMinimum(m), 3)): excess \(excess.text(3)); M x mean variance \(f(sc.codeVariance.reduce(0, +), 2)) (prior 1)",
      verdict: verdict(excess, holdsAt: 0.05, partlyAt: 0.25, higherIsBetter: false)))
  }
  if let (run, sc, ref) = s.main[.cifar10] {
    let lr = logISRatioInterval(sc, ref)
    out.append(Claim(
      id: "cifar-inception-score",
      claim: "CIFAR-10 Inception Score 5.90 ± 0.04; compared on the log scale: log IS of samples / log IS of real data >= log 5.90 / log 11.24 = \(f(paperCIFARLogRatio, 3)) (partly: >= 80% of it)",
      paper: "5.90 (Inception-v3; ALI 5.34; real data 11.24)",
      ours: "BN \(sc.mode.rawValue): classifier IS \(f(sc.isSamples.mean)) ± \(f(sc.isSamples.std)) vs real \(f(ref.isReal.mean)): log ratio \(lr.text(3)) after epochs: \(run.epochsDone) on \(run.spec.trainImages) images; KID \(f(sc.kid.mean, 4)) vs train-test \(f(ref.kidRealTrain.mean, 4)); not comparable in absolute terms",
      verdict: verdict(lr, holdsAt: paperCIFARLogRatio, partlyAt: 0.8 * paperCIFARLogRatio)))
  } else {
    out.append(Claim(id: "cifar-inception-score", claim: "CIFAR-10 Inception Score 5.90 ± 0.04",
                     paper: "5.90 (Inception-v3)", ours: "CIFAR-10 not available to this run", verdict: .notRun))
  }
  let ran = [DatasetName.fashionMNIST, .mnist, .cifar10].compactMap { d in s.main[d].map { (d, $0.run) } }
  let stopped = ran.filter { $0.1.stopped != nil }
  out.append(Claim(
    id: "training-stability",
    claim: "The recipe (mu = 10, lambda = 1000, two generator steps, Adam 2e-4) trains every dataset without collapse",
    paper: "all datasets trained with the same recipe (Section 3.1)",
    ours: stopped.isEmpty ? "completed on " + ran.map { $0.0.rawValue }.joined(separator: ", ")
      : stopped.map { "\($0.0.rawValue) \($0.1.stopped!)" }.joined(separator: "; ")
        + " (completed: " + ran.filter { $0.1.stopped == nil }.map { $0.0.rawValue }.joined(separator: ", ") + ")",
    verdict: stopped.isEmpty ? .holds : (stopped.count < ran.count ? .partly : .fails)))
  if let ab = s.ablations, let base = ab["baseline"] {
    if let al = ab["alignment-only"] {
      let r = isRatioInterval(al.scores, over: base.scores, classes: ab.classes)
      out.append(Claim(
        id: "alignment-only",
        claim: "Distribution alignment alone (no reconstruction terms) already trains a generator (Fig. 5c); bar: IS >= 80% of full AGE's at the same budget (partly: >= 50%)",
        paper: "qualitative: samples comparable to DCGAN's",
        ours: "IS \(f(al.scores.isSamples.mean)) vs AGE \(f(base.scores.isSamples.mean)) at the same budget (\(al.spec.maxIterations ?? 0) iterations): ratio \(r.text(3)); FD \(f(al.scores.fdSamples)) vs \(f(base.scores.fdSamples)); recon L1 \(f(al.scores.reconL1, 3)) vs \(f(base.scores.reconL1, 3))\(al.status == "completed" ? "" : "; " + al.status)",
        verdict: al.status != "completed" ? .fails : verdict(r, holdsAt: 0.8, partlyAt: 0.5)))
    }
    if let lx = ab["generator-lx"] {
      let sharp = sharpnessRatioInterval(lx.scores, over: base.scores)
      let isr = isRatioInterval(lx.scores, over: base.scores, classes: ab.classes)
      let parts = [verdict(sharp, holdsAt: 0.95, partlyAt: 0.95, higherIsBetter: false),
                   verdict(isr, holdsAt: 1, partlyAt: 1, higherIsBetter: false)]
      let v: Verdict = parts.contains(.inconclusive) ? .inconclusive
        : (parts.allSatisfy { $0 == .holds } ? .holds : (parts.contains(.holds) ? .partly : .fails))
      out.append(Claim(
        id: "generator-lx-blurs",
        claim: "Adding L_X to the generator objective degrades (blurs) the outputs (Fig. 9); bar: samples >= 5% less sharp and lower IS (one of the two: partly)",
        paper: "qualitative (Fig. 9)",
        ours: "sharpness relative to AGE's \(sharp.text(3)); IS relative to AGE's \(isr.text(3)) (IS \(f(lx.scores.isSamples.mean)) vs \(f(base.scores.isSamples.mean))); recon L1 \(f(lx.scores.reconL1, 3)) vs \(f(base.scores.reconL1, 3))",
        verdict: v))
    }
  }
  return out
}

func datasetsMarkdown(_ s: ChapterState) -> String {
  var t = "| dataset | train images | epochs | s / epoch | images / s | classifier accuracy | IS samples | IS real test | FD samples | FD train vs test | KID samples | KID train vs test | precision / recall | P / R train vs test | recon L1 | recon MSE | accuracy on recon | latent recon |\n"
  t += "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
  var sections = ""
  for d in [DatasetName.fashionMNIST, .mnist, .cifar10] {
    guard let (run, sc, ref) = s.main[d] else { continue }
    let secs = run.secondsPerEpoch.map(Double.init)
    let spe = secs.isEmpty ? 0 : secs.reduce(0, +) / Double(secs.count)
    let ips = spe > 0 ? Double(run.iterations) / Double(max(run.epochsDone, 1)) * 64 / spe : 0
    t += "| \(d.rawValue) | \(run.spec.trainImages) | \(run.epochsDone) | \(f(spe, 0)) | \(f(ips, 0)) | \(f(100 * ref.classifier.testAccuracy, 1))% | "
      + "\(f(sc.isSamples.mean)) ± \(f(sc.isSamples.std)) | \(f(ref.isReal.mean)) ± \(f(ref.isReal.std)) | \(f(sc.fdSamples)) | \(f(ref.fdRealTrain)) | "
      + "\(f(sc.kid.mean, 4)) ± \(f(sc.kid.std, 4)) | \(f(ref.kidRealTrain.mean, 4)) ± \(f(ref.kidRealTrain.std, 4)) | "
      + "\(f(sc.precision)) / \(f(sc.recall)) | \(f(ref.precisionRecallRealTrain.precision)) / \(f(ref.precisionRecallRealTrain.recall)) | "
      + "\(f(sc.reconL1, 3)) | \(f(sc.reconMSE, 3)) | \(f(100 * sc.reconAccuracy, 1))% | \(f(sc.latentRecon, 3)) |\n"
    let n = d.rawValue
    sections += """

      **\(n)** (M = \(run.spec.net.nz), width \(run.spec.net.ngf), epochs: \(run.epochsDone)\(run.stopped.map { ", " + $0 } ?? "")): \
      samples g(z); test images (odd columns) and their reconstructions g(e(x)) (even columns); great-circle \
      interpolations between the codes of two test images (the originals at both ends); training curves; \
      per-dimension statistics of the test codes.

      ![\(n) samples](@/\(n)-samples.png) ![\(n) reconstructions](@/\(n)-reconstructions.png)

      ![\(n) interpolations](@/\(n)-interpolations.png)

      \(run.iterations > 1 ? "![\(n) divergences](@/\(n)-curves-kl.png)\n![\(n) reconstruction losses](@/\(n)-curves-recon.png)" : "(no training curves: the run stopped before its second iteration)")
      ![\(n) code statistics](@/\(n)-codes.png)

      """
  }
  return t + sections
}

/// Every main run scored in the three batch-norm modes (Models/BatchNormModes.swift).
func bnModesMarkdown(_ s: ChapterState) -> String {
  var t = "| dataset | BN mode | Delta(e(X_test)) | excess over minimum | M x code variance | recon L1 | accuracy on recon | latent recon | IS samples | FD samples | KID samples | precision / recall |\n"
  t += "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
  for d in [DatasetName.fashionMNIST, .mnist, .cifar10] {
    guard let modes = s.modes[d], let run = s.main[d]?.run else { continue }
    let floor = gaussianFitKLSphereMinimum(run.spec.net.nz)
    for mode in BatchNormMode.allCases {
      guard let sc = modes[mode] else { continue }
      t += "| \(d.rawValue) | \(mode.rawValue)\(mode == evaluationMode ? " (default)" : "") | \(f(sc.codeKL, 3)) | \(f(100 * (sc.codeKL / floor - 1), 1))% | "
        + "\(f(sc.codeVariance.reduce(0, +), 2)) | \(f(sc.reconL1, 3)) | \(f(100 * sc.reconAccuracy, 1))% | \(f(sc.latentRecon, 3)) | "
        + "\(f(sc.isSamples.mean)) | \(f(sc.fdSamples)) | \(f(sc.kid.mean, 4)) | \(f(sc.precision)) / \(f(sc.recall)) |\n"
    }
  }
  return t
}

func ablationsMarkdown(_ s: ChapterState) -> String {
  guard let ab = s.ablations else { return "_The ablations were skipped in this run._" }
  var t = "| variant | iterations | IS samples | FD samples | recon L1 | latent recon | sharpness | Delta(e(X_test)) | status |\n"
  t += "|---|---|---|---|---|---|---|---|---|\n"
  for e in ab.entries {
    t += "| \(e.name): \(e.description) | \(e.spec.maxIterations ?? 0) | \(f(e.scores.isSamples.mean)) ± \(f(e.scores.isSamples.std)) | "
      + "\(f(e.scores.fdSamples)) | \(f(e.scores.reconL1, 3)) | \(f(e.scores.latentRecon, 3)) | \(f(e.scores.sharpness, 3)) | "
      + "\(f(e.scores.codeKL, 3)) | \(e.status) |\n"
  }
  t += "\nRows of the figure below, top to bottom: " + ab.entries.map(\.name).joined(separator: ", ")
    + " (the same codes z in every row).\n\n![ablation samples](@/ablations-samples.png)\n"
  return t
}
