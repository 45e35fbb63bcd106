//===--- Chapter1.swift ---------------------------------------------------===//
// Chapter 1: the paper's theory, checked numerically on problems small enough
// to solve almost exactly. Each check writes a figure and an entry of
// results.json["checks"] with its claim, its numbers and a computed verdict.
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import DeepLearning
import Foundation

@main
struct Chapter1: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chapter1",
    abstract: "Chapter 1: adversarial alignment theory checks (eq. 7, Theorems 1-3, mode coverage).",
    discussion: "Writes figures, gnuplot scripts and results.json into --out (default figures/01-theory).")

  @OptionGroup var common: CommonOptions
  @OptionGroup var runOptions: RunOptions
  @Option(help: "Run only these checks (comma-separated ids); default all.") var only: String?
  @Option(help: "Toy training runs trained side by side, each with threads/lanes kernel threads (1: one after another). The numbers are the same either way.")
  var lanes = 2

  func validate() throws {
    guard lanes >= 1 else { throw ValidationError("--lanes must be at least 1") }
    if let only {
      let known = Set(allChecks.map(\.id))
      let unknown = only.split(separator: ",").map(String.init).filter { !known.contains($0) }
      guard unknown.isEmpty else {
        throw ValidationError("unknown check id(s) \(unknown.joined(separator: ", ")); the checks are \(allChecks.map(\.id).joined(separator: ", "))")
      }
    }
  }

  func run() throws {
    let setup = try ChapterSetup(chapter: "01-theory", common: common, runOptions: runOptions)
    let out = setup.out, results = setup.results
    let budget = Budget(common.profile)
    log("chapter 1: profile \(common.profile.rawValue), seed \(common.seed), output \(out)")
    var checks: [String: Any] = [:]
    let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
    var ctx = CheckContext(out: out, budget: budget, rng: RandomGenerator(seed: common.seed), toyBudget: ToyBudget(common.profile),
                           baseSeed: common.seed, runs: ToyRuns(dir: setup.runs, fresh: setup.fresh), threads: common.threads, lanes: min(lanes, max(1, common.threads)))
    for check in allChecks where wanted?.contains(check.id) ?? true {
      let t0 = Date()
      log("check \(check.id) ...")
      var r = try check.run(&ctx)
      r.numbers["seconds"] = (Date().timeIntervalSince(t0) * 10).rounded() / 10
      log("check \(check.id): \(r.verdict.rawValue) (\(String(format: "%.1f", Date().timeIntervalSince(t0))) s)")
      checks[check.id] = r.json(claim: check.claim)
      results.claims.append(Claim(id: check.id, claim: check.claim, paper: check.paper, ours: r.summary, verdict: r.verdict))
    }
    results.values["checks"] = checks
    if !ctx.studies.isEmpty {
      results.values["calibration"] = Dictionary(uniqueKeysWithValues: ctx.studies.map { id, s in
        (id, Dictionary(uniqueKeysWithValues: s.calibration.map { ($0.system.lowercased(), $0.json) }) as [String: Any]) })
      results.values["toy_protocol"] = ToyProtocol().json
    }
    try results.write()
    log("chapter 1: wrote \(out)/results.json")
  }
}

/// Sample sizes and step counts per profile.
struct Budget {
  let profile: Profile
  init(_ p: Profile) { profile = p }
  /// Repetitions for estimator statistics.
  var reps: Int { [.smoke: 3, .quick: 10, .standard: 40, .full: 100][profile]! }
  /// Largest batch in the consistency sweep.
  var maxBatch: Int { [.smoke: 256, .quick: 1024, .standard: 4096, .full: 4096][profile]! }
  /// Sample size for population-level estimates.
  var bigSample: Int { [.smoke: 2000, .quick: 10000, .standard: 40000, .full: 100000][profile]! }
  /// Sample size for k-NN estimates (quadratic cost).
  var knnSample: Int { [.smoke: 300, .quick: 1000, .standard: 2000, .full: 4000][profile]! }
  /// Training steps for the small networks of Theorem 3 (the toy study has its own `ToyBudget`).
  var steps: Int { [.smoke: 40, .quick: 400, .standard: 1500, .full: 4000][profile]! }
}

struct CheckContext {
  let out: String
  let budget: Budget
  var rng: RandomGenerator
  let toyBudget: ToyBudget
  let baseSeed: UInt64
  /// Where the toy runs keep their checkpoints.
  let runs: ToyRuns
  let threads: Int, lanes: Int
  /// Toy studies by mixture id, run on first use (`study(_:)`).
  var studies: [String: ToyStudy] = [:]
}

struct CheckResult {
  var verdict: Verdict
  var summary: String
  var numbers: [String: Any]
  func json(claim: String) -> [String: Any] {
    ["claim": claim, "verdict": verdict.rawValue, "summary": summary, "numbers": numbers]
  }
}

struct Check: Sendable {
  let id: String, claim: String, paper: String
  let run: @Sendable (inout CheckContext) throws -> CheckResult
}

let allChecks: [Check] = [consistencyCheck, sphereMinimumCheck, momentBlindnessCheck, theorem1Check, theorem2Check, theorem3Check,
                          toyCalibrationCheck, modeCoverage8Check, modeCoverage25Check, nonCollapseCheck]
