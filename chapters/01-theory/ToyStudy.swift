//===--- ToyStudy.swift ---------------------------------------------------===//
// Everything chapter 1 trains on one toy mixture, run once and shared by the
// checks that read it: the calibration runs of GAN and ALI, the AGE sweep on
// held-out seeds, AGE's best setting over the evaluation seeds, and (on a few
// seeds) the baselines at a longer length. Runs go to `lanes` side by side;
// each run's random stream depends only on what it is, not on its lane.
//===----------------------------------------------------------------------===//
import ChapterKit
import DeepLearning
import Evaluation
import Foundation
import Models

/// One AGE setting of the sweep.
struct AGESetting: Hashable, Sendable {
  var latent: ToyLatent
  var lambda: Float
  var mu: Float
  var label: String { "\(latent.rawValue) lambda=\(fmtg(lambda)) mu=\(fmtg(mu))" }
  var json: [String: Any] { ["latent": latent.rawValue, "lambda": Double(lambda), "mu": Double(mu)] }
}

func fmtg(_ x: Float) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

/// Per-seed scores of one system on one mixture, with summaries.
struct SeedScores {
  var scores: [ToyScore] = []
  func values(_ k: KeyPath<ToyScore, Double>) -> [Double] { scores.map { $0[keyPath: k] } }
  func mean(_ k: KeyPath<ToyScore, Double>) -> Double { values(k).reduce(0, +) / Double(max(1, scores.count)) }
  /// Standard error of the mean over seeds (the published tables' spread).
  func standardError(_ k: KeyPath<ToyScore, Double>) -> Double {
    let v = values(k), m = mean(k)
    guard v.count > 1 else { return 0 }
    return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1) / Double(v.count)).squareRoot()
  }
  func interval(_ k: KeyPath<ToyScore, Double>, seed: UInt64 = 0) -> Interval {
    let v = values(k).filter { $0.isFinite }
    return v.count > 1 ? bootstrapMean(v, seed: seed) : Interval(value: v.first ?? .nan, low: v.first ?? .nan, high: v.first ?? .nan)
  }
  var json: [String: Any] {
    let i = interval(\.modes), h = interval(\.highQuality)
    return ["seeds": scores.count, "modes_mean": mean(\.modes), "modes_se": standardError(\.modes),
            "modes_interval": [i.low, i.high], "high_quality_mean": mean(\.highQuality),
            "high_quality_se": standardError(\.highQuality), "high_quality_interval": [h.low, h.high],
            "reverse_kl_mean": mean(\.reverseKL), "modes_ali_rule_mean": mean(\.modesALI),
            "per_seed": scores.map(\.json)]
  }
}

/// A baseline's calibration against the published value of the protocol.
struct Calibration {
  let system: String
  let ours: SeedScores
  let published: PublishedToy
  /// The bar, written before the run (issue 19): mean modes within 25% of the published mean and
  /// the high-quality share within 15 points.
  var modesOK: Bool { abs(ours.mean(\.modes) - published.modes) <= 0.25 * published.modes }
  var qualityOK: Bool { abs(ours.mean(\.highQuality) - published.highQuality) <= 0.15 }
  var calibrated: Bool { modesOK && qualityOK }
  var json: [String: Any] {
    ["ours": ours.json, "published": published.json, "modes_within_25_percent": modesOK ? "yes" : "no",
     "high_quality_within_15_points": qualityOK ? "yes" : "no", "calibrated": calibrated ? "yes" : "no"]
  }
}

/// The trained systems and scores of one mixture.
final class ToyStudy {
  let mix: Mixture
  let steps: Int
  var gan = SeedScores(), ali = SeedScores()
  var sweep: [(AGESetting, SeedScores)] = []
  var best: AGESetting
  var age = SeedScores()
  /// Baselines at `longSteps` on a few seeds (nil when the profile does not run them).
  var longGAN: SeedScores?, longALI: SeedScores?, longAGE: SeedScores?
  var longSteps = 0
  /// Trained systems kept for the non-collapse check and the figures (seed order).
  var ageSystems: [ToyAGE] = []
  /// AGE systems of the long runs (seed order), with their scores.
  var longAGESystems: [ToyAGE] = []
  var ganSystems: [ToyGAN] = []
  var samples: [String: Tensor] = [:]
  var seconds = 0.0

  var calibration: [Calibration] {
    [Calibration(system: "GAN", ours: gan, published: PublishedToy.table["gan-\(mix.id)"]!),
     Calibration(system: "ALI", ours: ali, published: PublishedToy.table["ali-\(mix.id)"]!)]
  }

  init(mix: Mixture, steps: Int, best: AGESetting) { self.mix = mix; self.steps = steps; self.best = best }

  var json: [String: Any] {
    var j: [String: Any] = [
      "steps": steps, "published_steps": ToyProtocol.publishedSteps, "seconds": seconds,
      "calibration": Dictionary(uniqueKeysWithValues: calibration.map { ($0.system.lowercased(), $0.json) }),
      "sweep": sweep.map { s, sc in s.json.merging(["scores": sc.json]) { a, _ in a } },
      "best": best.json, "age": age.json,
    ]
    if let longGAN, let longALI, let longAGE {
      j["long"] = ["steps": longSteps, "gan": longGAN.json, "ali": longALI.json, "age": longAGE.json]
    }
    return j
  }
}

/// A stable 64-bit seed for a run named by `key` (FNV-1a), mixed with the chapter's seed.
func runSeed(_ base: UInt64, _ key: String) -> UInt64 {
  var h: UInt64 = 0xcbf29ce484222325
  for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
  return h ^ (base &* 0x9E3779B97F4A7C15)
}

/// The budget of the toy study per profile.
struct ToyBudget {
  /// Training iterations of every run (PacGAN: 400,000).
  var steps: Int
  /// Evaluation seeds for the baselines and AGE's best setting.
  var seeds: Int
  /// Held-out seeds for the AGE sweep.
  var sweepSeeds: Int
  var lambdas: [Float]
  var mus: [Float]
  var latents: [ToyLatent]
  /// Baselines at a longer length on a few seeds (0: not run).
  var longSteps: Int
  var longSeeds: Int
  /// Generator-only steps of the non-collapse check.
  var frozenSteps: Int
}

extension ToyBudget {
  init(_ p: Profile) {
    switch p {
    case .smoke:
      self = ToyBudget(steps: 30, seeds: 2, sweepSeeds: 1, lambdas: [10, 1000], mus: [10], latents: [.gaussian],
                       longSteps: 60, longSeeds: 1, frozenSteps: 30)
    case .quick:
      self = ToyBudget(steps: 400, seeds: 3, sweepSeeds: 1, lambdas: [1, 10, 100, 1000], mus: [1, 10], latents: ToyLatent.allCases,
                       longSteps: 0, longSeeds: 0, frozenSteps: 400)
    case .standard:
      self = ToyBudget(steps: 1_000, seeds: 10, sweepSeeds: 1, lambdas: [1, 3, 10, 30, 100, 1000], mus: [1, 10],
                       latents: ToyLatent.allCases, longSteps: 6_000, longSeeds: 2, frozenSteps: 2_000)
    case .full:
      self = ToyBudget(steps: ToyProtocol.publishedSteps, seeds: 10, sweepSeeds: 3, lambdas: [1, 3, 10, 30, 100, 1000], mus: [1, 10],
                       latents: ToyLatent.allCases, longSteps: 0, longSeeds: 0, frozenSteps: 20_000)
    }
  }
  var settings: [AGESetting] {
    latents.flatMap { l in mus.flatMap { m in lambdas.map { AGESetting(latent: l, lambda: $0, mu: m) } } }
  }
}

/// Runs the whole study of one mixture: sweep (held-out seeds 1000+), then the baselines and AGE's
/// best setting on the evaluation seeds 0..<seeds, then the long baselines.
func runToyStudy(_ mix: Mixture, budget b: ToyBudget, baseSeed: UInt64, runs: ToyRuns, threads: Int, lanes: Int) throws -> ToyStudy {
  let p = ToyProtocol()
  let t0 = Date()
  let study = ToyStudy(mix: mix, steps: b.steps, best: b.settings[0])
  let lock = NSLock()
  func run(_ key: String, steps: Int, _ make: (inout RandomGenerator) -> ToySystem) throws -> (ToyScore, Tensor, ToySystem) {
    let seed = runSeed(baseSeed, "\(mix.id) \(key) \(steps)")
    var rng = RandomGenerator(seed: seed)
    let system = make(&rng)
    let spec = ToyRunSpec(mixture: mix.id, run: key, steps: steps, seed: seed, settings: p)
    let r = try trainAndScore(system, spec: spec, runs: runs, mix: mix, protocol: p, rng: &rng)
    log("  \(mix.id) \(key): \(Int(r.score.modes)) modes, high quality \(fmt(r.score.highQuality, 3)), reverse KL \(fmt(r.score.reverseKL, 2))")
    return (r.score, r.samples, system)
  }

  // 1. The AGE sweep on held-out seeds.
  let settings = b.settings
  var sweep = [[ToyScore?]](repeating: [ToyScore?](repeating: nil, count: b.sweepSeeds), count: settings.count)
  var tasks: [() throws -> Void] = []
  for (i, s) in settings.enumerated() {
    for k in 0..<b.sweepSeeds {
      tasks.append {
        let (sc, _, _) = try run("sweep \(s.label) seed \(1000 + k)", steps: b.steps) {
          ToyAGE(p, latent: s.latent, mu: s.mu, lambda: s.lambda, rng: &$0)
        }
        lock.lock(); sweep[i][k] = sc; lock.unlock()
      }
    }
  }
  let progress = Progress("  \(mix.id) sweep", total: tasks.count, unit: "run", plainEvery: 60)
  var done = 0
  try runInLanes(tasks.map { t in { try t(); lock.lock(); done += 1; let d = done; lock.unlock(); progress.update(d) } },
                 lanes: lanes, threads: threads)
  study.sweep = zip(settings, sweep).map { ($0, SeedScores(scores: $1.compactMap { $0 })) }
  // The best setting: the highest mean of (modes / K + high-quality share) / 2 over the held-out seeds.
  let k = Double(mix.centers.count)
  func merit(_ s: SeedScores) -> Double { (s.mean(\.modes) / k + s.mean(\.highQuality)) / 2 }
  study.best = study.sweep.max { merit($0.1) < merit($1.1) }!.0
  log("  \(mix.id): best AGE setting on the held-out seeds: \(study.best.label)")

  // 2. Baselines and AGE's best setting on the evaluation seeds; long baselines on a few.
  var gan = [ToyScore?](repeating: nil, count: b.seeds), ali = gan, age = gan
  var ageSystems = [ToyAGE?](repeating: nil, count: b.seeds)
  var ganSystems = [ToyGAN?](repeating: nil, count: b.seeds)
  var longGAN = [ToyScore?](repeating: nil, count: b.longSeeds), longALI = longGAN, longAGE = longGAN
  var longAGESystems = [ToyAGE?](repeating: nil, count: b.longSeeds)
  var shown: [String: Tensor] = [:]
  tasks = []
  let best = study.best
  for k in 0..<b.longSeeds where b.longSteps > 0 {
    tasks.append {
      let (sc, s, _) = try run("GAN seed \(k)", steps: b.longSteps) { ToyGAN(p, rng: &$0) }
      lock.lock(); longGAN[k] = sc; shown["GAN long"] = k == 0 ? s : shown["GAN long"]; lock.unlock()
    }
    tasks.append {
      let (sc, s, _) = try run("ALI seed \(k)", steps: b.longSteps) { ToyALI(p, rng: &$0) }
      lock.lock(); longALI[k] = sc; shown["ALI long"] = k == 0 ? s : shown["ALI long"]; lock.unlock()
    }
    tasks.append {
      let (sc, s, sys) = try run("AGE \(best.label) seed \(k)", steps: b.longSteps) {
        ToyAGE(p, latent: best.latent, mu: best.mu, lambda: best.lambda, rng: &$0)
      }
      lock.lock(); longAGE[k] = sc; longAGESystems[k] = sys as? ToyAGE; shown["AGE long"] = k == 0 ? s : shown["AGE long"]; lock.unlock()
    }
  }
  for k in 0..<b.seeds {
    tasks.append {
      let (sc, s, sys) = try run("GAN seed \(k)", steps: b.steps) { ToyGAN(p, rng: &$0) }
      lock.lock(); gan[k] = sc; ganSystems[k] = sys as? ToyGAN; if k == 0 { shown["GAN"] = s }; lock.unlock()
    }
    tasks.append {
      let (sc, s, _) = try run("ALI seed \(k)", steps: b.steps) { ToyALI(p, rng: &$0) }
      lock.lock(); ali[k] = sc; if k == 0 { shown["ALI"] = s }; lock.unlock()
    }
    tasks.append {
      let (sc, s, sys) = try run("AGE \(best.label) seed \(k)", steps: b.steps) {
        ToyAGE(p, latent: best.latent, mu: best.mu, lambda: best.lambda, rng: &$0)
      }
      lock.lock(); age[k] = sc; ageSystems[k] = sys as? ToyAGE; if k == 0 { shown["AGE"] = s }; lock.unlock()
    }
  }
  let progress2 = Progress("  \(mix.id) evaluation runs", total: tasks.count, unit: "run", plainEvery: 60)
  done = 0
  try runInLanes(tasks.map { t in { try t(); lock.lock(); done += 1; let d = done; lock.unlock(); progress2.update(d) } },
                 lanes: lanes, threads: threads)
  study.gan = SeedScores(scores: gan.compactMap { $0 }); study.ali = SeedScores(scores: ali.compactMap { $0 })
  study.age = SeedScores(scores: age.compactMap { $0 })
  study.ageSystems = ageSystems.compactMap { $0 }; study.ganSystems = ganSystems.compactMap { $0 }
  if b.longSteps > 0 && b.longSeeds > 0 {
    study.longSteps = b.longSteps
    study.longGAN = SeedScores(scores: longGAN.compactMap { $0 }); study.longALI = SeedScores(scores: longALI.compactMap { $0 })
    study.longAGE = SeedScores(scores: longAGE.compactMap { $0 })
    study.longAGESystems = longAGESystems.compactMap { $0 }
  }
  study.samples = shown
  study.seconds = (Date().timeIntervalSince(t0) * 10).rounded() / 10
  return study
}
