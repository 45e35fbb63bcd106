//===--- Claims.swift -----------------------------------------------------===//
// The chapter's verdicts (thresholds stated with each claim) and the markdown
// tables the report shows (generated here because they list whichever datasets
// were available).
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Libm
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
  let fm = s.mainFidelity.rawValue
  if let (run, sc, ref) = s.main[.fashionMNIST] {
    let runs = s.mainSeeds(.fashionMNIST)
    let r = OverSeeds(runs, .isRatio, ref: ref) { isRatioInterval($0.scores, ref) }
    let lr = OverSeeds(runs, .logISRatio, ref: ref) { logISRatioInterval($0.scores, ref) }
    out.append(Claim(
      id: "fashion-sample-quality",
      claim: "AGE samples are realistic and diverse (Fig. 5d, 7b); our bar: classifier IS of samples >= 70% of real test images' (partly: >= 50%)",
      paper: "qualitative (samples); IS on CIFAR-10 only",
      ours: "Fashion-MNIST, \(fm) formulas, epochs: \(run.epochsDone), BN \(sc.mode.rawValue): IS ratio \(r.text) (log scale \(lr.text)); seed 0: IS \(f(sc.isSamples.mean)) vs real \(f(ref.isReal.mean)), FD \(f(sc.fdSamples)) vs train-test \(f(ref.fdRealTrain)), KID \(f(sc.kid.mean, 4)) vs train-test \(f(ref.kidRealTrain.mean, 4)), precision \(f(sc.precision)) / recall \(f(sc.recall))",
      verdict: verdict(r.interval, holdsAt: 0.7, partlyAt: 0.5)))
    let acc = OverSeeds(runs, .reconAccuracyKept, ref: ref) { reconAccuracyRatioInterval($0.scores, ref) }
    let l1 = OverSeeds(runs, .reconL1, ref: ref) { bootstrapMean($0.scores.reconL1PerImage, seed: 7) }
    out.append(Claim(
      id: "reconstruction",
      claim: "The encoder inverts the generator: test reconstructions g(e(x)) are faithful (Fig. 2c, 6); bar: the classifier keeps >= 80% of its accuracy on them (partly: >= 50%)",
      paper: "qualitative (reconstructions)",
      ours: "Fashion-MNIST, \(fm) formulas, BN \(sc.mode.rawValue): accuracy kept \(acc.text) (classifier \(f(100 * ref.classifier.testAccuracy, 1))% on real test images); L1 per pixel on [-1, 1] \(l1.text)",
      verdict: verdict(acc.interval, holdsAt: 0.8, partlyAt: 0.5)))
    let m = run.spec.net.nz
    let excess = OverSeeds(runs, .codeExcess, ref: ref) { codeExcessInterval($0.scores, nz: m) }
    out.append(Claim(
      id: "code-alignment",
      claim: "The encoder aligns the data with the uniform prior on the sphere: eq. (7) of test codes within 5% of its minimum on S^{M-1} (partly: within 25%)",
      paper: "Theorem 1 (alignment at the game's equilibrium)",
      ours: "Fashion-MNIST, \(fm) formulas, BN \(sc.mode.rawValue): excess of Delta(e(X_test)) over its minimum \(f(gaussianFitKLSphereMinimum(m), 3)): \(excess.text); seed 0: M x mean variance \(f(sc.codeVariance.reduce(0, +), 2)) (prior 1)",
      verdict: verdict(excess.interval, holdsAt: 0.05, partlyAt: 0.25, higherIsBetter: false)))
  }
  if let (run, sc, ref) = s.main[.cifar10] {
    let lr = OverSeeds(s.mainSeeds(.cifar10), .logISRatio, ref: ref) { logISRatioInterval($0.scores, ref) }
    out.append(Claim(
      id: "cifar-inception-score",
      claim: "CIFAR-10 Inception Score 5.90 ± 0.04; compared on the log scale: log IS of samples / log IS of real data >= log 5.90 / log 11.24 = \(f(paperCIFARLogRatio, 3)) (partly: >= 80% of it)",
      paper: "5.90 (Inception-v3; ALI 5.34; real data 11.24)",
      ours: "\(fm) formulas, BN \(sc.mode.rawValue): log ratio \(lr.text) after epochs: \(run.epochsDone) on \(run.spec.trainImages) images; seed 0: classifier IS \(f(sc.isSamples.mean)) vs real \(f(ref.isReal.mean)), KID \(f(sc.kid.mean, 4)) vs train-test \(f(ref.kidRealTrain.mean, 4)); not comparable in absolute terms",
      verdict: verdict(lr.interval, holdsAt: paperCIFARLogRatio, partlyAt: 0.8 * paperCIFARLogRatio)))
  } else {
    out.append(Claim(id: "cifar-inception-score", claim: "CIFAR-10 Inception Score 5.90 ± 0.04",
                     paper: "5.90 (Inception-v3)", ours: "CIFAR-10 not available to this run", verdict: .notRun))
  }
  // Collapses of the main formulas, counted over seeds on every dataset.
  let datasets = [DatasetName.fashionMNIST, .mnist, .cifar10].filter { s.seedRuns[$0] != nil }
  func count(_ d: DatasetName, _ fid: Fidelity) -> (collapsed: Int, total: Int) {
    let runs = s.seedRuns[d]?[fid] ?? []
    let failed = s.failed.keys.filter { $0.hasPrefix("\(d.rawValue)-\(fid.rawValue)-") }.count
    return (runs.filter(\.collapsed).count + failed, runs.count + failed)
  }
  let mainCounts = datasets.map { ($0, count($0, s.mainFidelity)) }
  let recipe = [DatasetName.fashionMNIST, .mnist, .cifar10].compactMap { s.main[$0]?.run.spec.recipeText }.first ?? "the main runs' recipe"

  let collapsed = mainCounts.reduce(0) { $0 + $1.1.collapsed }, total = mainCounts.reduce(0) { $0 + $1.1.total }
  out.append(Claim(
    id: "training-stability",
    claim: "The recipe (\(recipe)) trains every dataset without collapse; bar: no collapse in any seed (partly: some seeds)",
    paper: "all datasets trained with the same recipe (Section 3.1)",
    ours: "\(fm) formulas, collapsed in " + mainCounts.map { "\($0.0.rawValue) \($0.1.collapsed) of \($0.1.total)" }.joined(separator: ", ")
      + " seeds" + (s.formulaSets.count > 1
        ? "; paper formulas: " + datasets.map { d in let c = count(d, .paper); return "\(d.rawValue) \(c.collapsed) of \(c.total)" }.joined(separator: ", ")
        : ""),
    verdict: total == 0 ? .notRun : (collapsed == 0 ? .holds : (collapsed < total ? .partly : .fails))))
  // The paper's printed formulas against the released code's, per dataset (same seeds and budget).
  for d in [DatasetName.fashionMNIST, .mnist, .cifar10] {
    guard s.formulaSets.contains(.paper) && s.formulaSets.contains(.officialCode), let ref = s.refs[d],
          let p = s.seedRuns[d]?[.paper], let o = s.seedRuns[d]?[.officialCode], !p.isEmpty, !o.isEmpty else {
      out.append(Claim(id: "formulas-\(d.rawValue)", claim: "The paper's printed formulas train \(d.rawValue) as well as the released code's",
                       paper: "Section 2.3 and eq. (7) vs the released code (src/losses.py)",
                       ours: "not run (\(s.refs[d] == nil ? "dataset not available" : "one formula set only or no evaluated runs"))", verdict: .notRun))
      continue
    }
    do {
      let pv = p.map { SeedMetric.logISRatio.value($0, ref) }, ov = o.map { SeedMetric.logISRatio.value($0, ref) }
      let diff = differenceOverSeeds(pv, ov)
      let pc = count(d, .paper), oc = count(d, .officialCode)
      out.append(Claim(
        id: "formulas-\(d.rawValue)",
        claim: "The paper's printed formulas (standard deviation in eq. 7, mean squared L_Z) train \(d.rawValue) as well as the released code's (variance, cosine) with the same weights; bar: log IS ratio of paper minus released >= -0.05 (partly: >= -0.15), over seeds",
        paper: "Section 2.3 and eq. (7) vs the released code (src/losses.py)",
        ours: (min(p.count, o.count) < 2 ? "one seed per set, no interval: " : "") + "log IS ratio paper \(f(mean(pv), 3)) vs released \(f(mean(ov), 3)): difference \(diff.text(3)); collapsed: paper \(pc.collapsed) of \(pc.total), released \(oc.collapsed) of \(oc.total) seeds",
        verdict: min(p.count, o.count) < 2 ? .inconclusive : verdict(diff, holdsAt: -0.05, partlyAt: -0.15)))
    }
  }
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
      let hf = reconHFRatioInterval(lx.scores, over: base.scores)
      out.append(Claim(
        id: "generator-lx-blurs",
        claim: "Adding L_X to the generator objective blurs the reconstructions (Fig. 9); bar: the reconstructions keep >= 5% less of their originals' high-frequency energy (DFT power above half the Nyquist frequency) than AGE's at the same budget (partly: less, by under 5%)",
        paper: "qualitative (Fig. 9: reconstructions)",
        ours: "high-frequency energy kept: \(f(lx.scores.reconHFRatio, 3)) vs AGE's \(f(base.scores.reconHFRatio, 3)), relative \(hf.text(3)); FD of reconstructions \(f(lx.scores.fdRecon)) vs \(f(base.scores.fdRecon)); classifier accuracy on them \(f(100 * lx.scores.reconAccuracy, 1))% vs \(f(100 * base.scores.reconAccuracy, 1))%; recon L1 \(f(lx.scores.reconL1, 3)) vs \(f(base.scores.reconL1, 3)) (\(lx.spec.maxIterations ?? 0) iterations)",
        verdict: verdict(hf, holdsAt: 0.95, partlyAt: 1.0, higherIsBetter: false)))
    }
  }
  return out
}

func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(1, v.count)) }

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

/// Every main run scored in the three batch-norm modes (Evaluation/BatchNormModes.swift).
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
  var t = "| variant | iterations | IS samples | FD samples | sample sharpness | recon L1 | recon high-frequency energy kept | FD recon | accuracy on recon | latent recon | Delta(e(X_test)) | status |\n"
  t += "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
  for e in ab.entries {
    t += "| \(e.name): \(e.description) | \(e.spec.maxIterations ?? 0) | \(f(e.scores.isSamples.mean)) ± \(f(e.scores.isSamples.std)) | "
      + "\(f(e.scores.fdSamples)) | \(f(e.scores.sharpness, 3)) | \(f(e.scores.reconL1, 3)) | \(f(e.scores.reconHFRatio, 3)) | "
      + "\(f(e.scores.fdRecon)) | \(f(100 * e.scores.reconAccuracy, 1))% | \(f(e.scores.latentRecon, 3)) | "
      + "\(f(e.scores.codeKL, 3)) | \(e.status) |\n"
  }
  t += "\nRows of the figure below, top to bottom: " + ab.entries.map(\.name).joined(separator: ", ")
    + " (the same codes z in every row).\n\n![ablation samples](@/ablations-samples.png)\n"
  return t
}
