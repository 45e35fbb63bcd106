//===--- Chapter2.swift ---------------------------------------------------===//
// Chapter 2: unconditional AGE (Section 3.1 of the paper) on Fashion-MNIST, MNIST
// and CIFAR-10: training with the paper's recipe, samples, reconstructions,
// interpolations, the ablations of Fig. 5c and Fig. 9, the lambda sweep, the
// paper-vs-released-code comparison, and classifier-based sample quality.
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import Datasets
import DeepLearning
import Figures
import Foundation
import Models

@main
struct Chapter2: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chapter2",
    abstract: "Chapter 2: unconditional AGE on Fashion-MNIST, MNIST and CIFAR-10 (samples, reconstructions, ablations, quality).",
    discussion: """
      Trains AGE on every available dataset (Fashion-MNIST always; MNIST and CIFAR-10 when --data-dir has them), \
      then the Fashion-MNIST ablations, and writes figures, gnuplot scripts and results.json into --out \
      (default figures/02-age). Runs resume from their checkpoints under --runs unless --fresh.
      """)

  @OptionGroup var common: CommonOptions
  @Option(help: "Datasets to train on (comma-separated: fashion-mnist, mnist, cifar10); default every available one.")
  var datasets: String?
  @Option(help: "Formulas of the main runs: paper (eq. 7 with sd, L2 latent loss) or official-code (variance, cosine).")
  var fidelity: Fidelity = .paper
  @Option(help: "lambda: weight of the latent reconstruction loss L_Z in the generator objective (eq. 6).")
  var lambda: Float = 1000
  @Option(help: "mu: weight of the image reconstruction loss L_X in the encoder objective (eq. 5).")
  var mu: Float = 10
  @Option(help: "Generator and encoder width ngf = ndf (default: by profile; 64 is the official width).")
  var width: Int?
  @Option(help: "Epochs of the main runs (default: by profile).")
  var epochs: Int?
  @Flag(help: "Skip the Fashion-MNIST ablations (lambda sweep, official code, Fig. 5c, Fig. 9).")
  var skipAblations = false
  @Option(help: "Training runs trained side by side, each with threads/lanes kernel threads (1: one after another with all threads). The numbers are the same either way; at narrow widths 2 lanes on 2 cores train about twice as fast.")
  var lanes = 2
  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    guard lanes >= 1 else { throw ValidationError("--lanes must be at least 1") }
    try OptionCheck.range("--width", width, 1...OptionCheck.maxWidth)
    try OptionCheck.range("--epochs", epochs, 1...100_000)
    try OptionCheck.weight("--lambda", lambda)
    try OptionCheck.weight("--mu", mu)
  }

  func run() throws {
    let setup = try ChapterSetup(chapter: "02-age", common: common, runOptions: runOptions)
    let (out, results, runs, cache, fresh) = (setup.out, setup.results, setup.runs, setup.cache, setup.fresh)
    let budget = Budget(profile: common.profile)
    let locator = common.locator
    let wanted: [DatasetName]
    if let list = datasets {
      wanted = try list.split(separator: ",").map {
        guard let d = DatasetName(rawValue: String($0)), d != .svhn else {
          throw ValidationError("unknown dataset '\($0)'; use fashion-mnist, mnist or cifar10")
        }
        return d
      }
    } else {
      wanted = [.fashionMNIST] + [DatasetName.mnist, .cifar10].filter { locator.isAvailable($0) }
      for d in [DatasetName.mnist, .cifar10] where !locator.isAvailable(d) {
        log("chapter 2: \(d.rawValue) not found under \(locator.dataDir); skipping it (set --data-dir or AGE_DATA)")
      }
    }
    let w = width ?? budget.width
    let effectiveLanes = min(lanes, max(1, common.threads))  // never more cores than --threads
    log("chapter 2: profile \(common.profile.rawValue), datasets \(wanted.map(\.rawValue).joined(separator: ", ")), width \(w), fidelity \(fidelity.rawValue), output \(out)")

    // 1. Data, evaluation classifiers and real-image references, with all threads.
    var prepared: [(d: DatasetName, train: ImageDataset, test: ImageDataset, ref: RealReference)] = []
    for d in wanted {
      let (train, test) = try loadData(d, locator: locator, budget: budget)
      let clf = try EvaluationClassifier.loadOrTrain(
        train: train, test: test, settings: classifierSettings(d, budget), cacheDir: cache)
      prepared.append((d, train, test, RealReference(train: train, test: test, classifier: clf,
                                                     evalSamples: budget.evalSamples, seed: common.seed)))
    }
    // 2. Every training run with its evaluation, as tasks on lanes, the longest first.
    var tasks: [(cost: Double, run: () throws -> Void)] = []
    let mains = Shared<[DatasetName: (run: TrainedRun, modes: [BatchNormMode: Scores])]>([:])
    let failedRuns = Shared<[DatasetName: TrainedRun]>([:])
    var fashionSpec: RunSpec?
    for p in prepared {
      var age = AGEConfig()
      age.mu = mu; age.lambda = lambda
      fidelity.apply(to: &age)
      let nz = p.d == .cifar10 ? 128 : 64
      var spec = RunSpec(name: p.d.rawValue, dataset: p.d,
                         net: DCGAN32Config(channels: p.train.channels, nz: nz, ngf: w, ndf: w),
                         age: age, epochs: epochs ?? budget.epochs(p.d), trainImages: p.train.count, seed: common.seed)
      if p.d == .fashionMNIST { spec.keepIterations = [budget.ablationIterations]; fashionSpec = spec }
      let cost = Double(spec.epochs * (p.train.count / 64)) * (p.train.channels == 3 ? 1.3 : 1)
      tasks.append((cost, { [spec] in
        let run = try trainAGE(spec, data: p.train, runsDir: runs, fresh: fresh)
        guard run.usable else {   // non-finite before any checkpoint: record the failure and its curves, nothing else
          if run.iterations > 1 { try writeCurves(run, dir: out, name: p.d.rawValue, render: true) }
          failedRuns.with { $0[p.d] = run }
          return
        }
        let modes = try evaluateAllModes(run.trainer, reference: p.ref, seed: common.seed &+ 99) { pair in
          try writeDatasetFigures(run, pair: pair, test: p.test, out: out)
        }
        let scores = modes[evaluationMode]!
        try writeCodeStats(scores, m: run.spec.net.nz, dir: out, name: "\(p.d.rawValue)-codes", title: p.d.rawValue, render: true)
        for mode in BatchNormMode.allCases {
          let sc = modes[mode]!
          log(String(format: "%@ [BN %@]: IS %.2f (real %.2f), FD %.2f (train-test %.2f), KID %.4f, P/R %.2f/%.2f, recon L1 %.4f, acc %.3f, Delta %.3f",
                     p.d.rawValue, mode.rawValue, sc.isSamples.mean, p.ref.isReal.mean, sc.fdSamples, p.ref.fdRealTrain,
                     sc.kid.mean, sc.precision, sc.recall, sc.reconL1, sc.reconAccuracy, sc.codeKL))
        }
        mains.with { $0[p.d] = (run, modes) }
      }))
    }
    let variants = Shared<[String: TrainedVariant]>([:])
    let fashion = prepared.first { $0.d == .fashionMNIST }
    var ablationList: [AblationVariant] = []
    if let fashion, let fashionSpec, !skipAblations {
      ablationList = ablationVariants(main: fashionSpec, trainImages: fashion.train.count, budget: budget)
      for v in ablationList {
        tasks.append((Double(budget.ablationIterations), {
          let t = try trainVariant(v, data: fashion.train, reference: fashion.ref, runsDir: runs, fresh: fresh)
          variants.with { $0[v.name] = t }
        }))
      }
    }
    let order = tasks.enumerated().sorted { ($0.element.cost, -$0.offset) > ($1.element.cost, -$1.offset) }
    try runInLanes(order.map(\.element.run), lanes: effectiveLanes, threads: common.threads)

    // 3. The tables, the ablation figures and the claims.
    var runsJSON: [String: Any] = [:]
    var context = ChapterState()
    for p in prepared {
      if let f = failedRuns.with({ $0[p.d] }) {
        runsJSON[p.d.rawValue] = ["status": "failed: \(f.stopped ?? "")", "iterations": f.iterations, "epochs": f.epochsDone,
                                  "evaluated": false]
      }
      guard let m = mains.with({ $0[p.d] }) else { continue }
      runsJSON[p.d.rawValue] = datasetJSON(m.run, modes: m.modes, ref: p.ref)
      context.main[p.d] = (m.run, m.modes[evaluationMode]!, p.ref)
      context.modes[p.d] = m.modes
    }
    if let fashion, let fashionSpec, !skipAblations, let main = context.main[.fashionMNIST],
       FileManager.default.fileExists(atPath: main.run.loop.keptPath(budget.ablationIterations)) {
      let trained = variants.with { v in ablationList.compactMap { v[$0.name] } }
      context.ablations = try assembleAblations(main: fashionSpec, variants: trained, reference: fashion.ref, out: out,
                                                budget: budget, runsDir: runs)
    }
    results.values["runs"] = runsJSON
    results.values["settings"] = ["width": w, "fidelity": fidelity.rawValue, "lambda": lambda, "mu": mu,
                                  "batch": 64, "lr": 2e-4, "generator_steps": 2, "eval_samples": budget.evalSamples,
                                  "bn_mode": evaluationMode.rawValue, "precise_bn_batches": preciseBatches,
                                  "bootstrap_resamples": 200, "interval_level": 0.95,
                                  "ablation_iterations": budget.ablationIterations,
                                  "ablation_images": budget.ablationIterations * 64, "lanes": effectiveLanes,
                                  "threads": common.threads]
    if let ab = context.ablations { results.values["ablations"] = ab.json }
    let failedVariants = variants.with { v in v.values.filter { $0.scores == nil } }
    if !failedVariants.isEmpty {
      results.values["ablations_failed"] = Dictionary(uniqueKeysWithValues: failedVariants.map { ($0.variant.name, $0.run.stopped ?? "failed") })
    }
    results.claims = claims(context)
    results.values["markdown"] = ["datasets": datasetsMarkdown(context), "ablations": ablationsMarkdown(context),
                                  "bn_modes": bnModesMarkdown(context)]
    try results.write()
    log("chapter 2: wrote \(out)/results.json")
    // A collapse is a result (reported in the tables and verdicts); non-finite losses are an error.
    for m in context.main.values where m.run.stopped != nil && !m.run.nonFinite {
      log("chapter 2: note: \(m.run.spec.name) \(m.run.stopped!); reported as a result")
    }
    let failed = (context.main.values.map(\.run) + failedRuns.with { Array($0.values) }).filter(\.nonFinite)
      .map { "\($0.spec.name): \($0.stopped!)" }
    if !failed.isEmpty {
      log("chapter 2: error: main runs hit non-finite losses:\n  " + failed.joined(separator: "\n  ")
          + "\nThe last good checkpoints are kept under \(runs); results.json records the failure. "
          + "Rerun resumes from them; a lower learning rate or --fidelity official-code may avoid it.")
      throw ExitCode(1)
    }
  }

  func classifierSettings(_ d: DatasetName, _ b: Budget) -> ClassifierTraining {
    var s = ClassifierTraining(epochs: b.classifierEpochs(d))
    s.seed = common.seed
    return s
  }
}

/// Train and test splits at 32x32 (28x28 sets padded with -1, as the released code resizes them).
func loadData(_ d: DatasetName, locator: DataLocator, budget: Budget) throws -> (ImageDataset, ImageDataset) {
  var train = try locator.load(d, train: true), test = try locator.load(d, train: false)
  if train.height != 32 { train = train.padded(to: 32); test = test.padded(to: 32) }
  if let n = budget.trainImages, n < train.count { train = train.prefix(n) }
  log("\(d.rawValue): \(train.count) training and \(test.count) test images, \(train.channels)x32x32")
  return (train, test)
}

/// What the claims and tables need from the runs.
struct ChapterState {
  var main: [DatasetName: (run: TrainedRun, scores: Scores, ref: RealReference)] = [:]
  /// The main runs' scores in every batch-norm mode.
  var modes: [DatasetName: [BatchNormMode: Scores]] = [:]
  var ablations: AblationResults?
}

func datasetJSON(_ run: TrainedRun, modes: [BatchNormMode: Scores], ref: RealReference) -> [String: Any] {
  let scores = modes[evaluationMode]!
  var j = scores.json
  j["bn_modes"] = Dictionary(uniqueKeysWithValues: modes.map { ($0.key.rawValue, $0.value.json) })
  j["kid_real_train"] = ["mean": ref.kidRealTrain.mean, "std": ref.kidRealTrain.std]
  j["precision_recall_real_train"] = ["precision": ref.precisionRecallRealTrain.precision,
                                      "recall": ref.precisionRecallRealTrain.recall]
  j["is_ratio_interval"] = isRatioInterval(scores, ref).json
  j["log_is_ratio_interval"] = logISRatioInterval(scores, ref).json
  j["recon_accuracy_ratio_interval"] = reconAccuracyRatioInterval(scores, ref).json
  j["code_kl_excess_interval"] = codeExcessInterval(scores, nz: run.spec.net.nz).json
  j["recon_l1_interval"] = bootstrapMean(scores.reconL1PerImage, seed: 7).json
  let secs = run.secondsPerEpoch.map(Double.init)
  let perEpoch = secs.isEmpty ? 0 : secs.reduce(0, +) / Double(secs.count)
  let iterationsPerEpoch = run.epochsDone > 0 ? Double(run.iterations) / Double(run.epochsDone) : 0
  j["epochs"] = run.epochsDone
  j["iterations"] = run.iterations
  j["train_images"] = run.spec.trainImages
  j["test_images"] = ref.test.count
  j["eval_images"] = ref.evalCount
  j["seconds_per_epoch"] = perEpoch
  j["images_per_second"] = perEpoch > 0 ? iterationsPerEpoch * 64 / perEpoch : 0
  j["resumed_from_epoch"] = run.resumedFromEpoch
  j["classifier_accuracy"] = ref.classifier.testAccuracy
  j["classifier_cached"] = ref.classifier.cached
  j["is_real"] = ["mean": ref.isReal.mean, "std": ref.isReal.std]
  j["is_ratio"] = scores.isSamples.mean / ref.isReal.mean
  j["fd_real_train"] = ref.fdRealTrain
  j["code_kl_minimum"] = gaussianFitKLSphereMinimum(run.spec.net.nz)
  j["nz"] = run.spec.net.nz
  j["width"] = run.spec.net.ngf
  j["status"] = run.stopped ?? "completed"
  return j
}

/// Samples, reconstructions, interpolations (with the pair in the chapter's batch-norm mode) and curves.
func writeDatasetFigures(_ run: TrainedRun, pair: PairInMode, test: ImageDataset, out: String) throws {
  let name = run.spec.dataset.rawValue
  try writeSamples(pair, run.trainer, path: "\(out)/\(name)-samples.png", seed: 2024)
  try writeReconstructions(pair, test: test, path: "\(out)/\(name)-reconstructions.png")
  try writeInterpolations(pair, run.trainer, test: test, path: "\(out)/\(name)-interpolations.png")
  if run.iterations > 1 { try writeCurves(run, dir: out, name: name, render: true) }
}
