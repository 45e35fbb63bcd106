//===--- Claims.swift -----------------------------------------------------===//
// The chapter's verdicts and the markdown the report shows (generated here because
// it lists whichever settings and recipes the data allowed). Verdicts read the main
// recipe on the "cars" setting (the analogue of the paper's Stanford Cars) in the
// evaluation batch-norm mode; every number they read has a 95% interval (bootstrap
// over test inputs, or the permutation null of Transfer.swift), and a verdict whose
// interval straddles its bar is `inconclusive`. The bars were written before the
// standard run that is judged by them (this file's first version with intervals).
//===----------------------------------------------------------------------===//
import ChapterKit
import Evaluation
import Foundation
import Models

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
func pct(_ x: Double?) -> String { x.map { f(100 * $0, 1) + "%" } ?? "n/a" }

/// The numbers the verdicts read, with their intervals (main recipe, evaluation mode).
struct VerdictNumbers {
  var diversityAGE = Interval(exact: 0), diversityPix = Interval(exact: 0), diversityRatio = Interval(exact: 0)
  /// Mean over inputs of best-of-8 ab L1, AGE minus pix2pix (negative: AGE closer to the truth).
  var bestOf8Difference = Interval(exact: 0)
  /// Classifier accuracy on AGE's colorizations minus on the grayscale inputs, and minus 0.9 x on the originals.
  var accuracyOverGray: Interval?, accuracyOverOriginal: Interval?
  /// Reconstruction ab L1 minus the grayscale output's (negative: the code carries colour).
  var reconOverGray = Interval(exact: 0)

  var json: [String: Any] {
    var j: [String: Any] = ["diversity_age": diversityAGE.json, "diversity_pix2pix": diversityPix.json,
                            "diversity_ratio": diversityRatio.json, "best_of_8_age_minus_pix2pix": bestOf8Difference.json,
                            "recon_minus_gray_ab_l1": reconOverGray.json]
    j["accuracy_age_minus_gray"] = accuracyOverGray?.json ?? "not measured"
    j["accuracy_age_minus_0_9_original"] = accuracyOverOriginal?.json ?? "not measured"
    return j
  }
}

func verdictNumbers(_ s: SettingResult) -> VerdictNumbers {
  let a = s.main.main, p = s.pix.main, ref = s.reference
  let n = a.diversityPerInput.count
  func paired(_ seed: UInt64, _ stat: @escaping ([Int]) -> Double) -> Interval {
    bootstrap(counts: [n], seed: seed) { stat($0[0]) }
  }
  func avg(_ x: [Double], _ idx: [Int]) -> Double { idx.reduce(0.0) { $0 + x[$1] } / Double(idx.count) }
  var v = VerdictNumbers()
  v.diversityAGE = paired(1) { avg(a.diversityPerInput, $0) }
  v.diversityPix = paired(2) { avg(p.diversityPerInput, $0) }
  v.diversityRatio = paired(3) { avg(a.diversityPerInput, $0) / max(avg(p.diversityPerInput, $0), 1e-9) }
  v.bestOf8Difference = paired(4) { avg(a.bestOf8PerInput, $0) - avg(p.bestOf8PerInput, $0) }
  if let ca = a.correctPerInput, let cg = ref.grayCorrect, let co = ref.originalCorrect {
    v.accuracyOverGray = paired(5) { avg(ca, $0) - avg(cg, $0) }
    v.accuracyOverOriginal = paired(6) { avg(ca, $0) - 0.9 * avg(co, $0) }
  }
  if let t = s.main.mainTransfer {
    v.reconOverGray = paired(7) { avg(t.reconL1PerInput, $0) - avg(ref.grayL1PerInput, $0) }
  }
  return v
}

/// The verdict of "x >= bar": holds when the interval is above it, fails when below, else inconclusive.
func atLeast(_ x: Interval, _ bar: Double) -> Verdict { x.low >= bar ? .holds : (x.high < bar ? .fails : .inconclusive) }

func claims(_ s: ChapterState) -> [Claim] {
  let diverseClaim = "Conditional AGE gives diverse colorizations of one grayscale image; pix2pix with noise maps gives nearly one (Fig. 4a). "
    + "Bar: AGE's per-pixel ab standard deviation over 8 codes >= 3x pix2pix's (the ratio's interval above 3) and >= 5 ab units, "
    + "AND AGE's best-of-8 ab error at or below pix2pix's (the interval of AGE - pix2pix at or below 0; diverse but wrong colours are not the claim)"
  let plausibleClaim = "AGE's colorizations are plausible. Bar: the CIFAR-10 classifier is at least as accurate on them as on the grayscale inputs, "
    + "and at least 90% as accurate as on the originals (both differences' intervals at or above 0)"
  let ignoresClaim = "pix2pix learns to ignore noise maps added to its input (Section 3.2). Bar: its per-pixel ab standard deviation over 8 noise draws < 2 ab units (interval below 2)"
  let transferClaim = "z1 = e(x1 | L1) carries x1's colour scheme onto another grayscale image L2 (Fig. 4b, 10). Bar: per channel (a and b), "
    + "the mean colour of g(z1 | L2) correlates with x1's; the mean of the two correlations is above the 95% range of a permutation null "
    + "(no transfer), its bootstrap interval is at or above 0.5, and it exceeds the correlation with L2's own true colours"
  let main = s.settings.first { $0.source.name == "cars" } ?? s.settings.first
  guard let m = main else {
    let missing = "not run (no colour images in the data folder)"
    return [
      Claim(id: "diverse-colorizations", claim: diverseClaim, paper: "qualitative (Fig. 4a)", ours: missing, verdict: .notRun),
      Claim(id: "plausible-colorizations", claim: plausibleClaim, paper: "qualitative (Fig. 4a)", ours: missing, verdict: .notRun),
      Claim(id: "pix2pix-ignores-noise", claim: ignoresClaim, paper: "qualitative (Fig. 4a)", ours: missing, verdict: .notRun),
      Claim(id: "color-transfer", claim: transferClaim, paper: "qualitative (Fig. 4b)", ours: missing, verdict: .notRun),
    ]
  }
  let v = verdictNumbers(m)
  let recipe = m.main.run.spec.recipe
  let where_ = "\(m.source.description), \(recipe.name) recipe, \(m.evalInputs) test inputs x 8 codes, \(evaluationMode.rawValue) BN"
  var out: [Claim] = []

  // Diversity with fidelity.
  let diverse = atLeast(v.diversityRatio, 3) == .holds && v.diversityAGE.value >= 5
  let fidelity: Verdict = v.bestOf8Difference.high <= 0 ? .holds : (v.bestOf8Difference.low > 0 ? .fails : .inconclusive)
  var dv: Verdict
  if v.diversityRatio.high < 1.5 { dv = .fails }
  else if diverse { dv = fidelity == .holds ? .holds : (fidelity == .inconclusive ? .inconclusive : .partly) }
  else { dv = atLeast(v.diversityRatio, 3) == .inconclusive ? .inconclusive : .partly }
  out.append(Claim(
    id: "diverse-colorizations", claim: diverseClaim, paper: "qualitative (Fig. 4a)",
    ours: "\(where_): diversity AGE \(v.diversityAGE.text()) vs pix2pix \(v.diversityPix.text()) ab units (ratio \(v.diversityRatio.text(1))); "
      + "best-of-8 ab L1 AGE \(f(m.main.main.bestOf8L1)) vs pix2pix \(f(m.pix.main.bestOf8L1)) (difference \(v.bestOf8Difference.text())), "
      + "grayscale \(f(m.reference.grayL1)); training seconds AGE \(f(m.main.run.trainSeconds, 0)), pix2pix \(f(m.pix.run.trainSeconds, 0))",
    verdict: dv))

  // Plausibility.
  var plausible = Verdict.notRun
  if let g = v.accuracyOverGray, let o = v.accuracyOverOriginal, let acc = m.reference.originalCorrect.map(mean), acc > 0.2 {
    let vg = atLeast(g, 0), vo = atLeast(o, 0)
    plausible = vg == .fails ? .fails : (vg == .holds && vo == .holds ? .holds
      : (vg == .holds && vo == .fails ? .partly : .inconclusive))
  }
  out.append(Claim(
    id: "plausible-colorizations", claim: plausibleClaim, paper: "qualitative (Fig. 4a)",
    ours: "\(where_): classifier accuracy on AGE colorizations \(pct(m.main.main.classifierAccuracy)), pix2pix \(pct(m.pix.main.classifierAccuracy)), "
      + "grayscale \(pct(m.reference.grayCorrect.map(mean))), originals \(pct(m.reference.originalCorrect.map(mean))); AGE - grayscale "
      + (v.accuracyOverGray.map { "\(f(100 * $0.value, 1)) [\(f(100 * $0.low, 1)), \(f(100 * $0.high, 1))] points" } ?? "n/a")
      + "; AGE - 0.9 x originals "
      + (v.accuracyOverOriginal.map { "\(f(100 * $0.value, 1)) [\(f(100 * $0.low, 1)), \(f(100 * $0.high, 1))] points" } ?? "n/a"),
    verdict: plausible))

  // pix2pix ignores its noise.
  let dp = v.diversityPix
  out.append(Claim(
    id: "pix2pix-ignores-noise", claim: ignoresClaim, paper: "qualitative (\"the diversity of colorizations was very low\")",
    ours: "\(where_): pix2pix diversity \(dp.text()) ab units (AGE \(v.diversityAGE.text()))",
    verdict: verdict(dp, holdsAt: 2, partlyAt: 5, higherIsBetter: false)))

  // Colour transfer.
  var tv = Verdict.notRun, tours = "not measured"
  if let t = m.main.mainTransfer {
    let w = t.whole
    let aboveNull = w.rSource.value > w.nullHigh
    if !aboveNull { tv = .fails }
    else {
      let bar = atLeast(w.rSource, 0.5)
      tv = bar == .holds ? (w.rSource.value > w.rTarget ? .holds : .partly) : (bar == .fails ? .partly : .inconclusive)
    }
    tours = "\(where_), \(t.sources) sources x \(targetsPerSource) targets: r(source) a \(f(w.rA)), b \(f(w.rB)), mean \(w.rSource.text()) "
      + "(permutation null 95% range [\(f(w.nullLow)), \(f(w.nullHigh))]); r(target's true colours) \(f(w.rTarget)); "
      + "on the most saturated quarter of pixels r(source) \(t.saturated.rSource.text()) (null [\(f(t.saturated.nullLow)), \(f(t.saturated.nullHigh))]); "
      + "reconstruction ab L1 \(f(t.reconL1)) vs grayscale \(f(m.reference.grayL1)) (difference \(v.reconOverGray.text()))"
  }
  out.append(Claim(id: "color-transfer", claim: transferClaim, paper: "qualitative (Fig. 4b, 10)", ours: tours, verdict: tv))
  return out
}

/// The markdown blocks of results.json: data, recipes, the measurement tables and the figures.
func markdown(_ s: ChapterState) -> [String: String] {
  var data = "", table = "", transferTable = "", modes = "", figures = "", recipes = ""
  for r in s.settings {
    data += "- **\(r.source.name)**: \(r.source.description); \(r.source.train.count) training and \(r.source.test.count) test images; "
    data += (r.ages + [r.pix]).map { x in
      "\(x.run.spec.label) \(f(x.run.epochsDone, 1)) epochs (\(x.run.iterations) iterations, \(f(x.run.trainSeconds, 0)) s"
        + (x.run.stopped.map { "; \($0)" } ?? "") + ")"
    }.joined(separator: ", ") + ".\n"
  }
  for f_ in s.failed { data += "- \(f_.spec.label): not evaluated (\(f_.stopped ?? "no checkpoint")).\n" }

  recipes = "| recipe | M | lr (decay) | mu | lambda | nu | kappa | lambda_E | generator steps | formulas |\n|---|---|---|---|---|---|---|---|---|---|\n"
  for c in Set(s.settings.flatMap { $0.ages.map(\.run.spec.recipe.name) }).sorted() {
    let r = ColorRecipe.all.first { $0.name == c }!, a = r.age
    recipes += "| \(r.name) | \(r.nz) | \(r.lr)" + (r.decay.map { " (x\($0.factor) every \($0.everyEpochs) epochs)" } ?? " (none)")
      + " | \(a.mu) | \(a.lambda) | \(a.generatorLX) | \(a.encoderFakeWeight) | \(a.encoderLZ) | \(a.generatorSteps) | "
      + "\(a.divergence.rawValue), \(a.latentLoss.rawValue) L_Z |\n"
  }

  table = "| setting | system | diversity (ab) | best-of-8 ab L1 | best-of-32 ab L1 | mean ab L1 | PSNR best-of-8 (dB) | colorfulness | classifier accuracy |\n"
  table += "|---|---|---|---|---|---|---|---|---|\n"
  for r in s.settings {
    let n = r.source.name
    for x in r.ages + [r.pix] {
      let sc = x.main
      let sys = x.run.age == nil ? "pix2pix + noise" : "AGE \(x.run.spec.recipe.name)"
      table += "| \(n) | \(sys) | \(f(sc.diversity)) | \(f(sc.bestOf8L1)) | \(f(sc.bestOfN.last ?? 0)) | \(f(sc.meanL1)) | \(f(sc.psnr)) | "
        + "\(f(sc.colorfulness, 1)) | \(pct(sc.classifierAccuracy)) |\n"
    }
    table += "| \(n) | grayscale input (ab = 0) | 0 | \(f(r.reference.grayL1)) | \(f(r.reference.grayL1)) | \(f(r.reference.grayL1)) | "
      + "\(f(r.reference.grayPSNR)) | 0 | \(pct(r.reference.grayCorrect.map(mean))) |\n"
    table += "| \(n) | original colours | | | | | | \(f(r.reference.realColorfulness, 1)) | \(pct(r.reference.originalCorrect.map(mean))) |\n"
  }

  transferTable = "| setting | recipe | r(source) a | r(source) b | r(source) mean [95% CI] | null 95% | r(target) | saturated quarter: r(source) [CI] | null 95% | reconstruction ab L1 | grayscale ab L1 |\n"
  transferTable += "|---|---|---|---|---|---|---|---|---|---|---|\n"
  for r in s.settings {
    for x in r.ages {
      guard let t = x.mainTransfer else { continue }
      let w = t.whole, q = t.saturated
      transferTable += "| \(r.source.name) | \(x.run.spec.recipe.name) | \(f(w.rA)) | \(f(w.rB)) | \(w.rSource.text()) | [\(f(w.nullLow)), \(f(w.nullHigh))] | "
        + "\(f(w.rTarget)) | \(q.rSource.text()) | [\(f(q.nullLow)), \(f(q.nullHigh))] | \(f(t.reconL1)) | \(f(r.reference.grayL1)) |\n"
    }
  }

  modes = "| setting | run | BN mode | diversity (ab) | best-of-8 ab L1 | transfer r(source) | reconstruction ab L1 |\n|---|---|---|---|---|---|---|\n"
  for r in s.settings {
    for x in r.ages + [r.pix] {
      for mode in BatchNormMode.allCases {
        guard let sc = x.scores[mode] else { continue }
        let t = x.transfer[mode]
        modes += "| \(r.source.name) | \(x.run.spec.label) | \(mode.rawValue)\(mode == evaluationMode ? " (verdicts)" : "") | "
          + "\(f(sc.diversity)) | \(f(sc.bestOf8L1)) | \(t.map { f($0.whole.rSource.value) } ?? "") | \(t.map { f($0.reconL1) } ?? "") |\n"
      }
    }
  }

  for r in s.settings {
    let n = r.source.name, main = r.main.run.spec.recipe.name
    figures += "### Setting \"\(n)\": \(r.source.description)\n\n"
    figures += "![\(n): diverse colorizations](@/\(n)-diverse.png)\n\n"
    figures += "*Fig. 4a analogue. Per test input two rows: grayscale input, original, then 8 colorizations from 8 codes: "
      + "conditional AGE (\(main), first row of each pair) and pix2pix with noise maps (second row). "
      + "Diversity: AGE \(f(r.main.main.diversity)) vs pix2pix \(f(r.pix.main.diversity)) ab units.*\n\n"
    figures += "![\(n): best-of-N ab error](@/\(n)-best-of-n.png)\n\n"
    figures += "*The smallest ab L1 error among the first N colorizations of each test input, averaged over inputs, against N; "
      + "the grayscale output (ab = 0) is the dashed line. A system whose samples scatter around the truth falls with N.*\n\n"
    figures += "![\(n): color transfer](@/\(n)-transfer.png)\n\n"
    figures += "*Fig. 4b/10 analogue (\(main)). Top row: source images x_i; left column: grayscale targets L_j; cell (j, i): "
      + "g(e(x_i | L_i) | L_j), the colour code of the source on the target's lightness.*\n\n"
    figures += "![\(n): AGE reconstructions](@/\(n)-reconstructions.png)\n\n"
    figures += "*Test images and their AGE (\(main)) reconstructions g(e(x | L) | L) in alternating columns.*\n\n"
    for x in r.ages { figures += "![\(x.run.spec.label): training curves](@/\(x.run.spec.label)-curves.png)\n" }
    figures += "![\(n): pix2pix training curves](@/\(r.pix.run.spec.label)-curves.png)\n\n"
  }
  return ["data": data, "recipes": recipes, "table": table, "transfer": transferTable, "bn_modes": modes, "figures": figures]
}

func notRunMarkdown(_ why: String) -> [String: String] {
  ["data": "**Not run:** \(why).\n", "recipes": "", "table": "(no measurements: the chapter did not run)", "transfer": "",
   "bn_modes": "", "figures": "(no figures)"]
}
