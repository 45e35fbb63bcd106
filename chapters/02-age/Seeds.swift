//===--- Seeds.swift ------------------------------------------------------===//
// Numbers over seeds: every dataset trains both formula sets (the released
// code's and the paper's printed ones) on the same seeds and budget; a verdict
// reads the mean over seeds with a 95% bootstrap interval over the seeds (with
// one seed, the first seed's interval over test items or samples instead).
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Libm
import Models

/// The per-run numbers the verdicts read.
enum SeedMetric: String, CaseIterable {
  case isRatio = "is_ratio", logISRatio = "log_is_ratio", reconAccuracyKept = "recon_accuracy_kept"
  case codeExcess = "code_kl_excess", reconL1 = "recon_l1", fd = "fd_samples", kid = "kid"

  func value(_ s: SeedRun, _ ref: RealReference) -> Double {
    let sc = s.scores
    switch self {
    case .isRatio: return sc.isSamples.mean / ref.isReal.mean
    case .logISRatio: return Math.log(sc.isSamples.mean) / Math.log(ref.isReal.mean)
    case .reconAccuracyKept: return sc.reconAccuracy / ref.classifier.testAccuracy
    case .codeExcess: return sc.codeKL / gaussianFitKLSphereMinimum(s.run.spec.net.nz) - 1
    case .reconL1: return sc.reconL1
    case .fd: return sc.fdSamples
    case .kid: return sc.kid.mean
    }
  }
}

/// Mean, sample standard deviation and the verdict's interval of one metric over `runs`.
struct OverSeeds {
  let values: [Double]
  let interval: Interval
  var mean: Double { values.reduce(0, +) / Double(max(1, values.count)) }
  var sd: Double {
    guard values.count > 1 else { return 0 }
    let m = mean
    return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
  }
  /// "0.712 ± 0.010 (3 seeds) [0.700, 0.722]"
  var text: String {
    "\(f(mean, 3)) ± \(f(sd, 3)) (\(values.count) seed\(values.count == 1 ? "" : "s")) [\(f(interval.low, 3)), \(f(interval.high, 3))]"
  }
  var json: [String: Any] { ["mean": mean, "sd": sd, "per_seed": values, "interval": interval.json] }

  /// Over seeds when there are at least two; otherwise the single run's `single` interval.
  init(_ runs: [SeedRun], _ m: SeedMetric, ref: RealReference, single: (SeedRun) -> Interval) {
    values = runs.map { m.value($0, ref) }
    interval = values.count >= 2 ? bootstrapMean(values, seed: 21) : (runs.first.map(single) ?? Interval(value: .nan, low: .nan, high: .nan))
  }
}

/// Interval of mean(a) - mean(b), the two seed sets resampled independently.
func differenceOverSeeds(_ a: [Double], _ b: [Double]) -> Interval {
  bootstrap(counts: [a.count, b.count], seed: 22) { idx in
    idx[0].reduce(0.0) { $0 + a[$1] } / Double(idx[0].count) - idx[1].reduce(0.0) { $0 + b[$1] } / Double(idx[1].count)
  }
}

func seedsJSON(_ s: ChapterState) -> [String: Any] {
  var j: [String: Any] = [:]
  for (d, byF) in s.seedRuns {
    guard let ref = s.refs[d] else { continue }
    var dj: [String: Any] = [:]
    for (fid, runs) in byF {
      var fj: [String: Any] = ["seeds": runs.count, "collapsed": runs.filter(\.collapsed).count,
                               "failed": s.failed.keys.filter { $0.hasPrefix("\(d.rawValue)-\(fid.rawValue)-") }.count,
                               "status": runs.map { $0.run.stopped ?? "completed" },
                               "epochs": runs.map(\.run.epochsDone), "iterations": runs.map(\.run.iterations)]
      for m in SeedMetric.allCases where !runs.isEmpty {
        fj[m.rawValue] = OverSeeds(runs, m, ref: ref) { _ in Interval(value: .nan, low: .nan, high: .nan) }.json
      }
      dj[fid.rawValue] = fj
    }
    j[d.rawValue] = dj
  }
  return j
}

/// Per dataset and formula set: seeds, collapses and the verdicts' numbers, mean ± sd over seeds.
func seedsMarkdown(_ s: ChapterState) -> String {
  var t = "| dataset | formulas | seeds | collapsed | epochs | IS / IS real | log IS / log IS real | FD samples | KID samples | recon L1 | accuracy kept on recon | eq. (7) excess over minimum |\n"
  t += "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
  for d in [DatasetName.fashionMNIST, .mnist, .cifar10] {
    guard let byF = s.seedRuns[d], let ref = s.refs[d] else { continue }
    for fid in s.formulaSets {
      let runs = byF[fid] ?? []
      let failed = s.failed.keys.filter { $0.hasPrefix("\(d.rawValue)-\(fid.rawValue)-") }.count
      guard !runs.isEmpty else { t += "| \(d.rawValue) | \(fid.rawValue) | 0 | | | | | | | | | (\(failed) failed) |\n"; continue }
      func ms(_ m: SeedMetric, _ digits: Int = 3) -> String {
        let o = OverSeeds(runs, m, ref: ref) { _ in Interval(value: .nan, low: .nan, high: .nan) }
        return "\(f(o.mean, digits)) ± \(f(o.sd, digits))"
      }
      t += "| \(d.rawValue) | \(fid.rawValue)\(fid == s.mainFidelity ? " (main)" : "") | \(runs.count)\(failed > 0 ? " (+\(failed) failed)" : "") | "
        + "\(runs.filter(\.collapsed).count) | \(runs.map { String($0.run.epochsDone) }.joined(separator: ", ")) | "
        + "\(ms(.isRatio)) | \(ms(.logISRatio)) | \(ms(.fd, 2)) | \(ms(.kid, 4)) | \(ms(.reconL1)) | \(ms(.reconAccuracyKept)) | \(ms(.codeExcess)) |\n"
    }
  }
  // The MNIST runs' curves: eq. (7) of real and generated codes, and the real codes' variance.
  if let byF = s.seedRuns[.mnist] {
    t += "\nMNIST, every run: eq. (7) of the real codes e(x) and of the generated codes e(g(z)) in the encoder step, "
      + "and the real codes' mean per-dimension variance (collapse: far below 1/M).\n\n"
    for fid in s.formulaSets {
      for r in byF[fid] ?? [] where r.run.iterations > 1 {
        t += "![\(r.run.spec.name) divergences](@/\(r.run.spec.name)-curves-kl.png) "
      }
      t += "\n\n"
    }
  }
  return t
}

// MARK: - The latent-reconstruction experiment

/// |z - e(g(z))|^2 is about 1.6 on the sphere after training, where 2 means unrelated codes. The
/// plausible cause: the encoder never trains on L_Z and keeps moving, so the generator chases it.
/// Test: freeze e and train g alone on L_Z (the run's latent loss), then measure again.
struct LatentOnlyResult {
  let steps: Int
  let before: Scores, after: Scores
  let lossCurve: [Float]
  var json: [String: Any] {
    ["steps": steps, "latent_recon_before": before.latentRecon, "latent_recon_after": after.latentRecon,
     "is_before": before.isSamples.mean, "is_after": after.isSamples.mean,
     "fd_before": before.fdSamples, "fd_after": after.fdSamples,
     "recon_l1_before": before.reconL1, "recon_l1_after": after.reconL1,
     "loss_first": Double(lossCurve.first ?? .nan), "loss_last": Double(lossCurve.last ?? .nan)]
  }
}

/// Trains t.g alone on L_Z for `steps` steps (batch 64, e frozen), then scores the pair again.
/// Changes t.g: run it after everything else that reads the trained generator.
func latentOnlyExperiment(_ t: AGETrainer, before: Scores, reference r: RealReference, steps: Int,
                          seed: UInt64) throws -> LatentOnlyResult {
  var rng = RandomGenerator(seed: seed &+ 5)
  t.e.train(); t.g.train()
  t.e.requiresGrad(false); t.g.requiresGrad(true)
  var curve: [Float] = []
  for _ in 0..<steps {
    t.optG.zeroGrad()
    let z = t.sampleZ(64, rng: &rng)
    let egz = t.e(t.g(z))
    let loss = t.config.latentLoss == .l2 ? mseLoss(egz, z) : cosineLoss(egz, z)
    loss.backward()
    t.optG.step()
    curve.append(loss.item)
  }
  t.e.requiresGrad(true)
  let after = try evaluate(t, reference: r, seed: seed)
  log(String(format: "latent-only experiment: |z - e(g(z))|^2 %.3f -> %.3f after %d generator steps on L_Z; IS %.2f -> %.2f",
             before.latentRecon, after.latentRecon, steps, before.isSamples.mean, after.isSamples.mean))
  return LatentOnlyResult(steps: steps, before: before, after: after, lossCurve: curve)
}

func latentOnlyMarkdown(_ s: ChapterState) -> String {
  guard let lo = s.latentOnly else { return "_The experiment did not run (no Fashion-MNIST main run)._" }
  return """
    | | latent recon \\|z - e(g(z))\\|^2 | IS samples | FD samples | recon L1 |
    |---|---|---|---|---|
    | after training | \(f(lo.before.latentRecon, 3)) | \(f(lo.before.isSamples.mean)) | \(f(lo.before.fdSamples)) | \(f(lo.before.reconL1, 3)) |
    | after \(lo.steps) more generator steps on L_Z alone, e frozen | \(f(lo.after.latentRecon, 3)) | \(f(lo.after.isSamples.mean)) | \(f(lo.after.fdSamples)) | \(f(lo.after.reconL1, 3)) |

    """
}
