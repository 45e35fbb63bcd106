//===--- Claims.swift -----------------------------------------------------===//
// The chapter's verdicts (each bar stated with its claim, measured on the "cars"
// setting, the analogue of the paper's Stanford Cars) and the markdown the report
// shows (generated here because it lists whichever settings the data allowed).
//===----------------------------------------------------------------------===//
import ChapterKit
import Foundation

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
func pct(_ x: Double?) -> String { x.map { f(100 * $0, 1) + "%" } ?? "n/a" }

func claims(_ s: ChapterState) -> [Claim] {
  let main = s.settings.first { $0.source.name == "cars" } ?? s.settings.first
  let missing = "not run (no colour images in the data folder)"
  guard let m = main else {
    return [
      Claim(id: "diverse-colorizations", claim: "Conditional AGE gives diverse colorizations; pix2pix with noise maps gives nearly one (Fig. 4a)",
            paper: "qualitative (Fig. 4a)", ours: missing, verdict: .notRun),
      Claim(id: "plausible-colorizations", claim: "AGE's colorizations are plausible", paper: "qualitative (Fig. 4a)", ours: missing, verdict: .notRun),
      Claim(id: "pix2pix-ignores-noise", claim: "pix2pix learns to ignore added noise maps", paper: "qualitative (Fig. 4a)", ours: missing, verdict: .notRun),
      Claim(id: "color-transfer", claim: "z = e(x1|L1) carries x1's colour scheme to L2 (Fig. 4b, 10)", paper: "qualitative (Fig. 4b)", ours: missing, verdict: .notRun),
    ]
  }
  let where_ = "\(m.source.description), \(m.evalInputs) test inputs x 8 codes"
  var out: [Claim] = []
  let ratio = m.diversityRatio, dAge = m.ageScores.diversity, dPix = m.pixScores.diversity
  out.append(Claim(
    id: "diverse-colorizations",
    claim: "Conditional AGE gives diverse colorizations of one grayscale image; pix2pix with noise maps gives nearly one (Fig. 4a). Bar: AGE's per-pixel ab standard deviation over 8 codes >= 3x pix2pix's and >= 5 ab units",
    paper: "qualitative (Fig. 4a)",
    ours: "\(where_): diversity AGE \(f(dAge)) vs pix2pix \(f(dPix)) ab units (\(f(ratio, 1))x); training seconds AGE \(f(m.age.trainSeconds, 0)), pix2pix \(f(m.pix.trainSeconds, 0))",
    verdict: ratio >= 3 && dAge >= 5 ? .holds : (ratio >= 1.5 ? .partly : .fails)))
  let accAge = m.ageScores.classifierAccuracy, accGray = m.reference.grayAccuracy, accOrig = m.reference.originalAccuracy
  var plausible = Verdict.notRun
  // (A classifier near chance on the originals says nothing.)
  if let a = accAge, let g = accGray, let o = accOrig, o > 0.2 { plausible = a >= g && a >= 0.9 * o ? .holds : (a >= g ? .partly : .fails) }
  out.append(Claim(
    id: "plausible-colorizations",
    claim: "AGE's colorizations are plausible. Bar: the CIFAR-10 classifier is at least as accurate on them as on the grayscale inputs, and within 90% of its accuracy on the originals",
    paper: "qualitative (Fig. 4a)",
    ours: "\(where_): classifier accuracy on AGE colorizations \(pct(accAge)), pix2pix \(pct(m.pixScores.classifierAccuracy)), grayscale \(pct(accGray)), originals \(pct(accOrig)); colorfulness AGE \(f(m.ageScores.colorfulness, 1)), pix2pix \(f(m.pixScores.colorfulness, 1)), real \(f(m.reference.realColorfulness, 1))",
    verdict: plausible))
  out.append(Claim(
    id: "pix2pix-ignores-noise",
    claim: "pix2pix learns to ignore noise maps added to its input (Section 3.2). Bar: its per-pixel ab standard deviation over 8 noise draws < 2 ab units",
    paper: "qualitative (\"the diversity of colorizations was very low\")",
    ours: "\(where_): pix2pix diversity \(f(dPix)) ab units (best-of-8 ab L1 \(f(m.pixScores.bestOf8L1)) vs AGE \(f(m.ageScores.bestOf8L1)))",
    verdict: dPix < 2 ? .holds : (dPix < 5 ? .partly : .fails)))
  let t = m.transfer
  out.append(Claim(
    id: "color-transfer",
    claim: "z1 = e(x1 | L1) carries x1's colour scheme onto another grayscale image L2 (Fig. 4b, 10). Bar: the mean ab of g(z1 | L2) correlates with x1's mean ab at r >= 0.5, more than with L2's own true colours",
    paper: "qualitative (Fig. 4b, 10)",
    ours: "\(m.source.description), \(t.sources) x \(t.sources) pairs: r(source) = \(f(t.rSource)), r(target's true colours) = \(f(t.rTarget)); reconstruction ab L1 \(f(t.reconL1)) ab units",
    verdict: t.rSource >= 0.5 && t.rSource > t.rTarget ? .holds : (t.rSource > t.rTarget ? .partly : .fails)))
  return out
}

/// The markdown blocks of results.json: data, the measurements table and the figures.
func markdown(_ s: ChapterState) -> [String: String] {
  var data = "", table = "", figures = ""
  for r in s.settings {
    data += "- **\(r.source.name)**: \(r.source.description); \(r.source.train.count) training and \(r.source.test.count) test images; "
      + "AGE trained \(f(r.age.epochsDone, 1)) epochs (\(r.age.iterations) iterations, \(f(r.age.trainSeconds, 0)) s); "
      + "pix2pix \(f(r.pix.epochsDone, 1)) epochs (\(r.pix.iterations) iterations, \(f(r.pix.trainSeconds, 0)) s; a fixed "
      + "iteration count that took AGE's wall time on the reference machine)"
      + (r.age.stopped.map { "; AGE \($0)" } ?? "") + (r.pix.stopped.map { "; pix2pix \($0)" } ?? "") + ".\n"
  }
  table += "| setting | system | diversity (ab) | best-of-8 ab L1 | mean ab L1 | PSNR best-of-8 (dB) | colorfulness | classifier accuracy |\n"
  table += "|---|---|---|---|---|---|---|---|\n"
  for r in s.settings {
    let n = r.source.name
    for (sys, sc) in [("AGE", r.ageScores), ("pix2pix + noise", r.pixScores)] {
      table += "| \(n) | \(sys) | \(f(sc.diversity)) | \(f(sc.bestOf8L1)) | \(f(sc.meanL1)) | \(f(sc.psnr)) | \(f(sc.colorfulness, 1)) | \(pct(sc.classifierAccuracy)) |\n"
    }
    table += "| \(n) | grayscale input (ab = 0) | 0 | \(f(r.reference.grayL1)) | \(f(r.reference.grayL1)) | \(f(r.reference.grayPSNR)) | 0 | \(pct(r.reference.grayAccuracy)) |\n"
    table += "| \(n) | original colours | | | | | \(f(r.reference.realColorfulness, 1)) | \(pct(r.reference.originalAccuracy)) |\n"
  }
  table += "\nColor transfer (AGE, \(s.settings.first?.transfer.sources ?? 0) sources x as many targets): "
  table += s.settings.map { "\($0.source.name): r(source) = \(f($0.transfer.rSource)), r(target) = \(f($0.transfer.rTarget)), reconstruction ab L1 \(f($0.transfer.reconL1))" }
    .joined(separator: "; ") + "."
  for r in s.settings {
    let n = r.source.name
    figures += "### Setting \"\(n)\": \(r.source.description)\n\n"
    figures += "![\(n): diverse colorizations](@/\(n)-diverse.png)\n\n"
    figures += "*Fig. 4a analogue. Per test input two rows: grayscale input, original, then 8 colorizations from 8 codes: "
      + "conditional AGE (first row of each pair) and pix2pix with noise maps (second row). "
      + "Diversity: AGE \(f(r.ageScores.diversity)) vs pix2pix \(f(r.pixScores.diversity)) ab units.*\n\n"
    figures += "![\(n): color transfer](@/\(n)-transfer.png)\n\n"
    figures += "*Fig. 4b/10 analogue. Top row: source images x_i; left column: grayscale targets L_j; cell (j, i): "
      + "g(e(x_i | L_i) | L_j), the colour code of the source on the target's lightness.*\n\n"
    figures += "![\(n): AGE reconstructions](@/\(n)-reconstructions.png)\n\n"
    figures += "*Test images and their AGE reconstructions g(e(x | L) | L) in alternating columns.*\n\n"
    figures += "![\(n): AGE training curves](@/\(n)-curves-age.png)\n![\(n): pix2pix training curves](@/\(n)-curves-pix2pix.png)\n\n"
  }
  return ["data": data, "table": table, "figures": figures]
}

func notRunMarkdown(_ why: String) -> [String: String] {
  ["data": "**Not run:** \(why).\n", "table": "(no measurements: the chapter did not run)", "figures": "(no figures)"]
}
