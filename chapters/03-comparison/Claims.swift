//===--- Claims.swift -----------------------------------------------------===//
// The chapter's verdicts (thresholds stated with each claim) and the markdown
// tables the report shows (generated here because they list whichever systems
// and datasets the run had).
//===----------------------------------------------------------------------===//
import ChapterKit
import Evaluation
import Foundation
import Libm
import Models

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

// MARK: - Intervals of the numbers the verdicts read (95%, bootstrap over test images or samples)

/// Mean reconstruction L1 of `a` over `b`'s on the same test images, the images resampled together.
func reconRatioInterval(_ a: SystemScores, _ b: SystemScores) -> Interval {
  let (x, y) = (a.reconL1PerImage, b.reconL1PerImage)
  precondition(x.count == y.count && !x.isEmpty, "reconRatioInterval: per-image errors on different test images")
  return bootstrap(counts: [x.count], seed: 21) { idx in
    idx[0].reduce(0.0) { $0 + x[$1] } / max(idx[0].reduce(0.0) { $0 + y[$1] }, 1e-12)
  }
}

/// log IS(a) - log IS(b), both sample sets resampled (IS is exp of a mutual information: compare logs).
func logISDifferenceInterval(_ a: SystemScores, _ b: SystemScores, classes k: Int) -> Interval {
  bootstrap(counts: [a.sampleProbabilities.count / k, b.sampleProbabilities.count / k], seed: 22) { idx in
    Math.log(inceptionScore(probabilities: a.sampleProbabilities, classes: k, rows: idx[0]))
      - Math.log(inceptionScore(probabilities: b.sampleProbabilities, classes: k, rows: idx[1]))
  }
}

/// FD(a) - FD(b) against the test images' features, both sample sets resampled (100 resamples: each is two
/// Frechet distances).
func fdDifferenceInterval(_ a: SystemScores, _ b: SystemScores, _ r: RealReference) -> Interval {
  let d = r.classifier.network.featureCount
  func rows(_ x: [Float], _ idx: [Int]) -> [Float] {
    var out = [Float](); out.reserveCapacity(idx.count * d)
    for i in idx { out += x[(i * d)..<((i + 1) * d)] }
    return out
  }
  return bootstrap(counts: [a.sampleFeatures.count / d, b.sampleFeatures.count / d], resamples: 100, seed: 23) { idx in
    frechetDistance(rows(a.sampleFeatures, idx[0]), r.testOutputs.features, dimension: d)
      - frechetDistance(rows(b.sampleFeatures, idx[1]), r.testOutputs.features, dimension: d)
  }
}


func claims(_ s: ChapterState) -> [Claim] {
  var out: [Claim] = []
  let data = "\(s.dataset.rawValue), \(s.trainImages) images, \(s.epochs) epochs"
  // A comparison against a collapsed ALI (samples one image, or reconstructions no better than the mean image)
  // says nothing about AGE: those verdicts are inconclusive.
  let aliCollapse = s.entry("ali")?.scores.collapse
  let collapsedNote = aliCollapse.map { "; ALI counts as collapsed (\($0)), so the comparison is not read" } ?? ""
  if let a = s.entry("age"), let b = s.entry("ali"), a.scores.reconL1 != nil, b.scores.reconL1 != nil {
    let ratio = reconRatioInterval(a.scores, b.scores)
    let longer = s.longer.flatMap { $0.scores.reconL1 != nil ? reconRatioInterval(a.scores, $0.scores) : nil }
    // holds: the whole interval at or under 1.1; fails: the whole interval above it; straddling: inconclusive.
    var v = verdict(ratio, holdsAt: 1.1, partlyAt: 1.1, higherIsBetter: false)
    if v == .fails, let l = longer, verdict(l, holdsAt: 1.1, partlyAt: 1.1, higherIsBetter: false) == .holds { v = .partly }
    out.append(Claim(
      id: "reconstruction-vs-ali",
      claim: "AGE reconstructions are comparable to or better than ALI's after the same number of epochs (Fig. 3); bar: AGE's test L1 over ALI's at most 1.1 (its paired 95% interval over test images; partly: against ALI trained longer only); inconclusive when the interval straddles 1.1 or ALI collapsed",
      paper: "qualitative (CIFAR-10 reconstructions)",
      ours: "\(data), \(evaluationMode.rawValue) BN: L1 AGE \(f(a.scores.reconL1!, 3)), ALI \(f(b.scores.reconL1!, 3)), AGE/ALI \(ratio.text())"
        + (longer.map { "; ALI after \(s.longerEpochs) epochs \(f(s.longer!.scores.reconL1!, 3)), AGE/ALI \($0.text())" } ?? "")
        + collapsedNote,
      verdict: aliCollapse == nil ? v : .inconclusive))
  } else {
    out.append(Claim(id: "reconstruction-vs-ali", claim: "AGE reconstructions are comparable to or better than ALI's (Fig. 3)",
                     paper: "qualitative", ours: "AGE or ALI not run", verdict: .notRun))
  }
  if let p = s.epochTime.first {
    var ours = "on this CPU, \(p.name): ALI \(f(p.aliSeconds, 0)) s vs AGE \(f(p.ageSeconds, 0)) s per 50,000-image epoch, ratio \(f(p.measuredRatio, 2)) "
      + "(analytic multiply-adds \(f(p.analyticRatio, 2)); parameters \(p.aliParameters) vs \(p.ageParameters))"
    if s.epochTime.count > 1 {
      let c = s.epochTime[1]
      ours += "; \(c.name): ratio \(f(c.measuredRatio, 2)) (analytic \(f(c.analyticRatio, 2)))"
    }
    if let a = s.entry("age"), let b = s.entry("ali"), a.run.secondsPerEpoch > 0 {
      ours += "; width-matched networks (this chapter's runs): \(f(b.run.secondsPerEpoch, 1)) s vs \(f(a.run.secondsPerEpoch, 1)) s per epoch, "
        + "ratio \(f(b.run.secondsPerEpoch / a.run.secondsPerEpoch, 2))" + (s.widthMatchedMACs.map { " (analytic \(f($0.ali / $0.age, 2)))" } ?? "")
    }
    let r = p.measuredRatio
    out.append(Claim(
      id: "epoch-time",
      claim: "An ALI epoch takes about three times as long as an AGE epoch (Fig. 3, CelebA: 10 epochs in six hours against two); bar, on each method's published CelebA networks: ratio >= 2 holds, >= 1.3 partly",
      paper: "about 3x (CelebA, each method's own networks, GPU)", ours: ours,
      verdict: r >= 2 ? .holds : (r >= 1.3 ? .partly : .fails)))
  } else {
    out.append(Claim(id: "epoch-time", claim: "An ALI epoch takes about three AGE epochs", paper: "about 3x",
                     ours: "not measured", verdict: .notRun))
  }
  if let a = s.entry("age"), let b = s.entry("ali") {
    let (ia, ib) = (a.scores.isSamples.mean, b.scores.isSamples.mean)
    let k = s.reference.classifier.network.classes
    let dLogIS = logISDifferenceInterval(a.scores, b.scores, classes: k)
    let dFD = fdDifferenceInterval(a.scores, b.scores, s.reference)
    // holds: log IS higher (interval above 0); partly: log IS lower but FD lower (both intervals below 0);
    // fails: log IS lower and FD not; inconclusive: the log IS interval straddles 0, or ALI collapsed.
    let v: Verdict = dLogIS.low > 0 ? .holds : (dLogIS.high < 0 ? (dFD.high < 0 ? .partly : .fails) : .inconclusive)
    out.append(Claim(
      id: "samples-vs-ali",
      claim: "AGE samples score higher than ALI's (CIFAR-10 Inception Score 5.90 vs 5.34); bar: higher classifier IS at the same epochs, read on the log scale (the 95% interval of log IS(AGE) - log IS(ALI) above 0; partly: lower only in FD, its interval below 0); inconclusive when the interval straddles 0 or ALI collapsed",
      paper: "5.90 ± 0.04 vs 5.34 ± 0.05 (log difference 0.10)",
      ours: "\(data), \(evaluationMode.rawValue) BN: IS AGE \(f(ia)) vs ALI \(f(ib)) (real \(f(s.reference.isReal.mean))), log difference \(dLogIS.text()); "
        + "FD \(f(a.scores.fdSamples)) vs \(f(b.scores.fdSamples)), difference \(dFD.text(1)); "
        + "KID \(f(a.scores.kid.mean, 3)) vs \(f(b.scores.kid.mean, 3)); precision/recall \(f(a.scores.precision))/\(f(a.scores.recall)) vs \(f(b.scores.precision))/\(f(b.scores.recall))"
        + collapsedNote,
      verdict: aliCollapse != nil ? .inconclusive : v))
  } else {
    out.append(Claim(id: "samples-vs-ali", claim: "AGE samples score higher than ALI's", paper: "5.90 vs 5.34",
                     ours: "AGE or ALI not run", verdict: .notRun))
  }
  if let pa = s.entry("age")?.scores.probe, let pb = s.entry("ali")?.scores.probe {
    let gap = 100 * (pa.mean - pb.mean)
    // The interval of the gap from the spread over label draws (normal approximation, independent draws).
    let se = 100 * (pa.std * pa.std / Double(pa.errors.count) + pb.std * pb.std / Double(pb.errors.count)).squareRoot()
    let gapInterval = Interval(value: gap, low: gap - 1.96 * se, high: gap + 1.96 * se)
    // ALI's features must beat the untrained encoder's by more than two draw spreads to be a reference at all.
    let random = s.probeBaselines["random_encoder"], raw = s.probeBaselines["raw_pixels"]
    let aliAboveFloor = random.map { pb.mean < $0.mean - 2 * max(pb.std, $0.std) } ?? true
    let v = verdict(gapInterval, holdsAt: 5, partlyAt: 10, higherIsBetter: false)
    var baselines = ""
    if let random { baselines += "; untrained AGE encoder \(f(100 * random.mean, 1)) ± \(f(100 * random.std, 1))%" }
    if let raw { baselines += ", raw pixels \(f(100 * raw.mean, 1)) ± \(f(100 * raw.std, 1))%" }
    out.append(Claim(
      id: "features",
      claim: "AGE's encoder features support linear classification nearly as well as ALI's (SVHN, 1,000 labels: 23.7% vs 19.14% error); bar: AGE within 5 points of ALI (partly: 10), read on the 95% interval of the gap; inconclusive when it straddles a bar, when ALI collapsed or when ALI does not beat an untrained encoder by two draw spreads",
      paper: "23.7% vs 19.14 ± 0.50% (4.6 points behind)",
      ours: "\(s.dataset.rawValue), 100 labels per class, \(pa.errors.count) draws: AGE \(f(100 * pa.mean, 1)) ± \(f(100 * pa.std, 1))%, ALI \(f(100 * pb.mean, 1)) ± \(f(100 * pb.std, 1))% (gap \(gapInterval.text(1)) points)"
        + baselines + collapsedNote + (aliAboveFloor ? "" : "; ALI's features do not beat the untrained encoder's"),
      verdict: aliCollapse == nil && aliAboveFloor ? v : .inconclusive))
  } else {
    out.append(Claim(id: "features", claim: "AGE's features classify nearly as well as ALI's (SVHN 23.7% vs 19.14%)",
                     paper: "23.7% vs 19.14%", ours: "probes not run", verdict: .notRun))
  }
  out.append(likelihoodClaim(s.likelihood))
  return out
}

/// The comparison table: one row per system (and ALI trained longer).
func systemsMarkdown(_ s: ChapterState) -> String {
  var rows = ["| system | epochs | s / epoch | images / s | recon L1 | recon MSE | classifier acc. on recon | IS | FD | KID | precision / recall | probe error (%) | collapsed? | had it stopped improving? |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
  let order = ["age", "ali", "ali_longer", "bigan", "aae", "alpha_gan", "vae", "dcgan"]
  for k in order {
    guard let e = s.entry(k) else { continue }
    let sc = e.scores
    let ips = e.run.secondsPerEpoch > 0 ? Double(e.run.iterationsPerEpoch * 64) / e.run.secondsPerEpoch : 0
    let recon = sc.reconL1.map { f($0, 3) } ?? "-"
    let mse = sc.reconMSE.map { f($0, 3) } ?? "-"
    let acc = sc.reconAccuracy.map { f(100 * $0, 1) + "%" } ?? "-"
    let probe = sc.probe.map { "\(f(100 * $0.mean, 1)) ± \(f(100 * $0.std, 1))" } ?? "-"
    var name = displayName(k)
    if e.run.stopped != nil { name += " (stopped)" }
    rows.append("| \(name) | \(e.epochs) | \(f(e.run.secondsPerEpoch, 1)) | \(f(ips, 0)) | \(recon) | \(mse) | \(acc) | "
                + "\(f(sc.isSamples.mean)) ± \(f(sc.isSamples.std)) | \(f(sc.fdSamples)) | \(f(sc.kid.mean, 3)) ± \(f(sc.kid.std, 3)) | "
                + "\(f(sc.precision)) / \(f(sc.recall)) | \(probe) | \(sc.collapse ?? "no") | \(e.stopping) |")
  }
  let r = s.reference
  rows.append("| real test images | | | | | | \(f(100 * r.classifier.testAccuracy, 1))% | "
              + "\(f(r.isReal.mean)) ± \(f(r.isReal.std)) | \(f(r.fdRealTrain)) (train vs test) | "
              + "\(f(r.kidRealTrain.mean, 3)) ± \(f(r.kidRealTrain.std, 3)) (train vs test) | "
              + "\(f(r.precisionRecallRealTrain.precision)) / \(f(r.precisionRecallRealTrain.recall)) (train vs test) | | | |")
  for (key, label) in [("raw_pixels", "raw pixels (2x2 pooled), probe baseline"), ("random_encoder", "untrained AGE encoder, probe baseline")] {
    guard let p = s.probeBaselines[key] else { continue }
    rows.append("| \(label) | | | | | | | | | | | \(f(100 * p.mean, 1)) ± \(f(100 * p.std, 1)) | | |")
  }
  return rows.joined(separator: "\n")
}

/// The scores the batch-norm mode changes, per system, in the three modes (the verdicts read `evaluationMode`).
func bnModesMarkdown(_ s: ChapterState) -> String {
  let modes = BatchNormMode.allCases
  let names = modes.map { $0 == evaluationMode ? "\($0.rawValue) (verdicts)" : $0.rawValue }
  var rows = ["| system | recon L1: " + names.joined(separator: " / ") + " | FD: " + names.joined(separator: " / ")
                + " | IS: " + names.joined(separator: " / ") + " | collapsed? " + names.joined(separator: " / ") + " |",
              "|---|---|---|---|---|"]
  for k in ["age", "ali", "ali_longer", "bigan", "aae", "alpha_gan", "vae", "dcgan"] {
    guard let e = s.entry(k) else { continue }
    let all = modes.map { $0 == e.scores.mode ? e.scores : e.scores.otherModes[$0] }
    func cell(_ v: (SystemScores) -> String) -> String { all.map { $0.map(v) ?? "-" }.joined(separator: " / ") }
    rows.append("| \(displayName(k)) | \(cell { $0.reconL1.map { f($0, 3) } ?? "-" }) | \(cell { f($0.fdSamples) }) | "
                + "\(cell { f($0.isSamples.mean) }) | \(cell { $0.collapse == nil ? "no" : "yes" }) |")
  }
  return rows.joined(separator: "\n")
}

/// The likelihood verdict. Bar (written before the run it judges): calibration first, our VAE-10 within 30 nats
/// of Wu et al.'s 705.4 and our GAN-10 within 50 of 328.8, else inconclusive; then AGE's log p(x) above each of
/// ALI's, the VAE's and the GAN's (the paired bootstrap interval over test digits of every difference above 0)
/// holds; above the GAN's only, partly; below ALI's or the VAE's (an interval entirely below 0), fails; an
/// interval straddling 0, inconclusive.
func likelihoodClaim(_ l: LikelihoodResults?) -> Claim {
  let claim = "AGE has the highest MNIST log-likelihood by AIS: AGE 746 > ALI 721 > VAE 705.4 > GAN 346.7 nats. Bar: calibration first "
    + "(our VAE-10 within 30 nats of Wu et al.'s 705.4 and our GAN-10 within 50 of 328.8, else inconclusive); then AGE above ALI, "
    + "the VAE and the GAN (paired 95% intervals over test digits above 0), partly above the GAN only"
  let paper = "746 / 721 / 705.4 / 346.7 (the last is Wu et al.'s GMMN-10; their GAN-10 is 328.8)"
  guard let l, let a = l.score("age"), let b = l.score("ali"), let v = l.score("vae"), let g = l.score("gan") else {
    return Claim(id: "likelihood", claim: claim, paper: paper, ours: "the likelihood part was not run", verdict: .notRun)
  }
  func diff(_ o: LikelihoodScore) -> Interval {
    let d = zip(a.test, o.test).map { $0 - $1 }
    return bootstrapMean(d, seed: 9)
  }
  let (dAli, dVae, dGan) = (diff(b), diff(v), diff(g))
  var parts: [String] = []
  for k in ["vae", "gan"] {
    guard let c = l.calibration(k) else { continue }
    let tol = f(WuProtocol.calibrationTolerance[k]!, 0)
    parts.append("our \(k.uppercased())-10 \(c.ours.text(1)) vs Wu et al.'s \(f(c.published, 1)) (\(c.within ? "within" : "outside") \(tol) nats)")
  }
  let calib = parts.joined(separator: ", ")
  var verdict: Verdict
  if !l.calibrated { verdict = .inconclusive }
  else if [dAli, dVae, dGan].allSatisfy({ $0.low > 0 }) { verdict = .holds }
  else if dAli.high < 0 || dVae.high < 0 { verdict = dGan.low > 0 ? .partly : .fails }
  else if dGan.high < 0 { verdict = .fails }
  else { verdict = .inconclusive }
  var ours = "\(l.dataset.rawValue), Wu et al.'s 10-d MLPs, \(l.testImages) dequantized test digits, AIS \(l.settings.chains) chains x "
  ours += "\(l.settings.distributions) distributions: AGE \(a.interval.text(1)), ALI \(b.interval.text(1)), VAE \(v.interval.text(1)), "
  ours += "GAN \(g.interval.text(1)) nats; AGE - ALI \(dAli.text(1)), AGE - VAE \(dVae.text(1)), AGE - GAN \(dGan.text(1)). "
  ours += "Calibration: \(calib)" + (l.calibrated ? "" : ": failed, so the ranking is not read")
  ours += "; mean-digit decoder \(f(meanOf(l.meanImage), 1)), PPCA \(f(meanOf(l.ppcaExact), 1))"
  return Claim(id: "likelihood", claim: claim, paper: paper, ours: ours, verdict: verdict)
}

/// The log-likelihood table beside the published numbers, with the baselines and the calibration evidence.
func likelihoodMarkdown(_ s: ChapterState) -> String {
  guard let l = s.likelihood else { return "The likelihood part was not run (`--skip-likelihood`)." }
  var rows = ["| model | log p(x), nats [95% CI] | s^2 (EM path) | ceiling | \\|x - g(e(x))\\|^2 | posterior \\|x - g(z)\\|^2 | BDMC gap | training | Wu et al. | AGE paper |",
              "|---|---|---|---|---|---|---|---|---|---|"]
  for sc in l.scores {
    let name = sc.key == "gan" ? "GAN" : displayName(sc.key) + (sc.key == "age" ? " (Gaussian latent)" : "")
    let path = sc.path.map { f($0.sigma2, 4) }.joined(separator: " > ")
    let rec = sc.reconSE.map { f(meanOf($0), 1) } ?? "-"
    rows.append("| \(name) | \(sc.interval.text(1)) | \(f(sc.sigma2, 4)) (\(path)) | \(f(sc.ceiling, 0)) | \(rec) | \(f(sc.posteriorSE, 1)) | "
                + "\(f(sc.bdmcReverse - sc.bdmcForward, 1)) | \(sc.epochs) epochs, \(f(sc.trainSeconds, 0)) s; \(sc.stopping) | "
                + "\(WuProtocol.published[sc.key].map { f($0, 1) } ?? "-") | \(WuProtocol.agePaper[sc.key].map { f($0, 1) } ?? "-") |")
  }
  rows.append("| mean training digit (constant decoder, exact) | \(bootstrapMean(l.meanImage, seed: 3).text(1)) | \(f(l.meanImageSigma2, 4)) | "
              + "\(f(WuProtocol.ceiling(l.meanImageSigma2), 0)) | | | | closed form | | |")
  rows.append("| PPCA, q = 10 (exact; by AIS) | \(f(meanOf(l.ppcaExact), 1)); \(f(meanOf(l.ppcaAIS), 1)) | \(f(l.ppcaSigma2, 4)) | "
              + "\(f(WuProtocol.ceiling(l.ppcaSigma2), 0)) | | | | closed form | | |")
  var text = rows.joined(separator: "\n")
  let sweeps = l.scores.filter { !$0.sweep.isEmpty }
  if !sweeps.isEmpty {
    text += "\n\nThe AIS estimate against the number of intermediate distributions T (mean over the first "
      + "\(min(l.testImages, 10)) or more test digits, same chains and leapfrog steps):\n\n| model | "
      + sweeps[0].sweep.map { "T = \($0.distributions)" }.joined(separator: " | ") + " |\n|---|"
      + sweeps[0].sweep.map { _ in "---|" }.joined() + "\n"
    for sc in sweeps { text += "| \(displayName(sc.key)) | " + sc.sweep.map { f($0.mean, 1) }.joined(separator: " | ") + " |\n" }
  }
  return text
}
