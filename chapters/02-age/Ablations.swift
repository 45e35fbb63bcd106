//===--- Ablations.swift --------------------------------------------------===//
// The Fashion-MNIST ablations, each trained for the same number of iterations as
// the main run's kept snapshot ("baseline", AGE as configured):
// - lambda in {500, 2000} beside the baseline's 1000 (the paper tried {500, 1000, 2000});
// - alignment only: no reconstruction terms at all (Fig. 5c);
// - L_X added to the generator objective with weight mu (Fig. 9), which the paper says blurs.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Figures
import Foundation
import ImageIO
import Models

struct AblationResult {
  let name: String, description: String
  let spec: RunSpec
  let scores: Scores
  let status: String
  let seconds: Double
}

struct AblationResults {
  var entries: [AblationResult] = []
  let referenceIS: Double
  /// The evaluation classifier's class count (for IS intervals).
  var classes = 10
  subscript(_ name: String) -> AblationResult? { entries.first { $0.name == name } }
  var json: [String: Any] {
    var j: [String: Any] = [:]
    for e in entries {
      var s = e.scores.json
      s["description"] = e.description; s["status"] = e.status; s["iterations"] = e.spec.maxIterations ?? 0
      s["lambda"] = e.spec.age.lambda; s["train_seconds"] = e.seconds
      s["is_ratio"] = e.scores.isSamples.mean / referenceIS
      if let base = self["baseline"], e.name != "baseline" {
        s["is_ratio_vs_baseline_interval"] = isRatioInterval(e.scores, over: base.scores, classes: classes).json
        s["sharpness_ratio_vs_baseline_interval"] = sharpnessRatioInterval(e.scores, over: base.scores).json
      }
      j[e.name] = s
    }
    return j
  }
}

/// One ablation: a variant of the main run's spec, trained for `Budget.ablationIterations`.
struct AblationVariant {
  let name: String, description: String
  let spec: RunSpec
}

/// A trained and evaluated variant.
struct TrainedVariant {
  let variant: AblationVariant
  let run: TrainedRun
  /// nil when the run failed (non-finite losses before any checkpoint).
  let scores: Scores?
}

/// The variants of `main` (the Fashion-MNIST run), in the order the tables list them.
func ablationVariants(main: RunSpec, trainImages: Int, budget: Budget) -> [AblationVariant] {
  let iterations = budget.ablationIterations
  let epochs = (iterations + trainImages / 64 - 1) / (trainImages / 64)
  var variants: [AblationVariant] = []
  func variant(_ name: String, _ description: String, _ change: (inout RunSpec) -> Void) {
    var s = main
    s.name = "\(main.name)-\(name)"; s.epochs = epochs; s.maxIterations = iterations; s.keepIterations = []
    change(&s)
    variants.append(AblationVariant(name: name, description: description, spec: s))
  }
  variant("lambda-500", "lambda = 500") { $0.age.lambda = 500 }
  variant("lambda-2000", "lambda = 2000") { $0.age.lambda = 2000 }
  variant("alignment-only", "no reconstruction terms (Fig. 5c)") { $0.age.alignmentOnly = true }
  variant("generator-lx", "L_X added to the generator objective, weight mu (Fig. 9)") { $0.age.generatorLX = $0.age.mu }
  return variants
}

/// Trains and evaluates one variant (a task for `runInLanes`).
func trainVariant(_ v: AblationVariant, data: ImageDataset, reference: RealReference, runsDir: String,
                  fresh: Bool) throws -> TrainedVariant {
  let run = try trainAGE(v.spec, data: data, runsDir: runsDir, fresh: fresh)
  guard run.usable else {   // non-finite before any checkpoint: left out of the table, recorded by the caller
    log("ablation \(v.name): \(run.stopped ?? "failed"); not evaluated")
    return TrainedVariant(variant: v, run: run, scores: nil)
  }
  let scores = try evaluate(run.trainer, reference: reference, seed: 7)
  log(String(format: "ablation %@: IS %.2f, FD %.2f, recon L1 %.4f, sharpness %.3f",
             v.name, scores.isSamples.mean, scores.fdSamples, scores.reconL1, scores.sharpness))
  return TrainedVariant(variant: v, run: run, scores: scores)
}

/// The ablation table and figures: the baseline (the main run's snapshot after the same number
/// of iterations) beside the trained variants, given in `ablationVariants` order.
func assembleAblations(main: RunSpec, variants: [TrainedVariant], reference: RealReference, out: String,
                       budget: Budget, runsDir: String) throws -> AblationResults {
  let iterations = budget.ablationIterations
  var results = AblationResults(referenceIS: reference.isReal.mean)
  let baseT = try loadSnapshot(main, iteration: iterations, runsDir: runsDir)
  var trainers: [(String, AGETrainer)] = [("baseline", baseT)]
  results.entries.append(AblationResult(
    name: "baseline", description: "AGE as configured (lambda = \(Int(main.age.lambda)), \(main.age.divergence.rawValue) formulas)",
    spec: { var s = main; s.maxIterations = iterations; return s }(), scores: try evaluate(baseT, reference: reference, seed: 7),
    status: "completed", seconds: 0))
  results.classes = reference.classifier.network.classes
  for t in variants {
    guard let scores = t.scores else { continue }
    results.entries.append(AblationResult(name: t.variant.name, description: t.variant.description, spec: t.variant.spec,
                                          scores: scores, status: t.run.stopped ?? "completed", seconds: t.run.trainSeconds))
    trainers.append((t.variant.name, t.run.trainer))
  }
  // One row of 12 samples per variant, from the same codes z.
  var rows: [Float] = []
  var shape: [Int] = []
  for (name, t) in trainers {
    let pair = pairInMode(t, evaluationMode, train: reference.train, seed: 7 &+ 17)
    defer { pair.finish() }
    let x = generate(pair, t, count: 12, seed: 2024, batch: 12)
    rows += x.data; shape = x.shape
    // Fig. 9: reconstructions with and without L_X in the generator objective.
    if name == "baseline" || name == "generator-lx" || name == "alignment-only" {
      try writeReconstructions(pair, test: reference.test, path: "\(out)/ablation-\(name)-reconstructions.png", count: 16)
    }
  }
  shape[0] = 12 * trainers.count
  try PNG.write(Grid.make(Tensor(shape: shape, data: rows), nrow: 12, scale: 2, rowLabels: trainers.map { $0.0 }),
                to: "\(out)/ablations-samples.png")
  return results
}
