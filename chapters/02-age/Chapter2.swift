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
import Evaluation
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
  @Option(help: "Formulas of the main runs: official-code (the released code's: variance in eq. 7, cosine latent loss; the recipe the published results come from) or paper (eq. 7 with sd, L2 latent loss). The other set is trained beside it unless --skip-formula-comparison.")
  var fidelity: Fidelity = .officialCode
  @Flag(help: "Train only the main formulas (no second set of runs with the other formulas).")
  var skipFormulaComparison = false
  @Option(help: "Seeds per dataset and formula set (default: by profile); seed k trains with --seed + k.")
  var seeds: Int?
  @Option(help: "lambda: weight of the latent reconstruction loss L_Z in the generator objective (eq. 6).")
  var lambda: Float = 1000
  @Option(help: "mu: weight of the image reconstruction loss L_X in the encoder objective (eq. 5).")
  var mu: Float = 10
  @Option(help: "Networks: reduced (the DCGAN-style pair, default below --profile full) or dcgan32px (the released code's pair, default at full).")
  var arch: DCGAN32Arch?
  @Flag(help: "Skip the Fashion-MNIST ablations (lambda sweep, official code, Fig. 5c, Fig. 9).")
  var skipAblations = false
  @Option(help: "Training runs trained side by side, each with threads/lanes kernel threads (1: one after another with all threads). The numbers are the same either way; at narrow widths 2 lanes on 2 cores train about twice as fast.")
  var lanes = 2
  @OptionGroup var network: NetworkOptions
  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    guard lanes >= 1 else { throw ValidationError("--lanes must be at least 1") }
    try OptionCheck.range("--seeds", seeds, 1...100)
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
    let w = network.width ?? budget.width
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
    // 2. Every training run with its evaluation, as tasks on lanes, the longest first: both formula
    //    sets on every dataset over the seeds, and the Fashion-MNIST ablations.
    let nSeeds = seeds ?? budget.seeds
    let formulaSets = skipFormulaComparison ? [fidelity] : [fidelity] + Fidelity.allCases.filter { $0 != fidelity }
    var tasks: [(cost: Double, run: () throws -> Void)] = []
    let seedRuns = Shared<[DatasetName: [Fidelity: [Int: SeedRun]]]>([:])
    let failedRuns = Shared<[String: TrainedRun]>([:])
    let latentOnly = Shared<LatentOnlyResult?>(nil)
    var fashionSpec: RunSpec?
    var recipe: RunSpec?   // the first main run's, for the settings table
    for p in prepared {
      for f in formulaSets {
        for k in 0..<nSeeds {
          let isMain = f == fidelity && k == 0
          var age = AGEConfig()
          age.mu = mu; age.lambda = lambda
          f.apply(to: &age)
          let nz = p.d == .cifar10 ? 128 : 64
          var spec = RunSpec(name: "\(p.d.rawValue)-\(f.rawValue)-seed\(k)", dataset: p.d,
                             net: netConfig(channels: p.train.channels, nz: nz, width: w),
                             age: age, epochs: network.epochs ?? budget.epochs(p.d), trainImages: p.train.count,
                             seed: common.seed &+ UInt64(k))
          if common.profile == .full { spec.lrHalvingEpochs = budget.lrHalvingEpochs(p.d) }
          if p.d == .fashionMNIST && isMain { spec.keepIterations = [budget.ablationIterations]; fashionSpec = spec }
          if isMain && recipe == nil { recipe = spec }
          let cost = Double(spec.epochs * (p.train.count / 64)) * (p.train.channels == 3 ? 1.3 : 1) + (isMain ? 1 : 0)
          tasks.append((cost, { [spec] in
            let run = try trainAGE(spec, data: p.train, runsDir: runs, fresh: fresh)
            if run.iterations > 1 { try writeCurves(run, dir: out, name: spec.name, render: true) }
            guard run.usable else {   // non-finite before any checkpoint: record the failure, nothing else
              failedRuns.with { $0[spec.name] = run }
              return
            }
            var modes: [BatchNormMode: Scores]?
            let scores: Scores
            if isMain {
              let all = try evaluateAllModes(run.trainer, reference: p.ref, seed: common.seed &+ 99) { pair in
                try writeDatasetFigures(run, pair: pair, test: p.test, out: out)
              }
              modes = all; scores = all[evaluationMode]!
              try writeCodeStats(scores, m: nz, dir: out, name: "\(p.d.rawValue)-codes", title: p.d.rawValue, render: true)
              if p.d == .fashionMNIST {
                let lo = try latentOnlyExperiment(run.trainer, before: scores, reference: p.ref,
                                                             steps: budget.latentOnlySteps, seed: common.seed &+ 99)
                latentOnly.with { $0 = lo }
              }
            } else {
              scores = try evaluate(run.trainer, reference: p.ref, seed: common.seed &+ 99)
            }
            log(String(format: "%@: IS %.2f (real %.2f), FD %.2f, KID %.4f, recon L1 %.4f, acc %.3f, Delta %.3f%@",
                       spec.name, scores.isSamples.mean, p.ref.isReal.mean, scores.fdSamples, scores.kid.mean,
                       scores.reconL1, scores.reconAccuracy, scores.codeKL, run.stopped.map { " (\($0))" } ?? ""))
            seedRuns.with { $0[p.d, default: [:]][f, default: [:]][k] = SeedRun(run: run, scores: scores, modes: modes) }
          }))
        }
      }
    }
    let variants = Shared<[String: TrainedVariant]>([:])
    let fashion = prepared.first { $0.d == .fashionMNIST }
    var ablationList: [AblationVariant] = []
    if let fashion, let fashionSpec, !skipAblations {
      ablationList = ablationVariants(main: fashionSpec, trainImages: fashion.train.count, budget: budget)
      for v in ablationList {
        tasks.append((Double(budget.ablationIterations) * (v.spec.age.generatorLX > 0 ? 1.3 : 1), {
          let t = try trainVariant(v, data: fashion.train, reference: fashion.ref, runsDir: runs, fresh: fresh)
          variants.with { $0[v.name] = t }
        }))
      }
    }
    let order = tasks.enumerated().sorted { ($0.element.cost, -$0.offset) > ($1.element.cost, -$1.offset) }
    try runInLanes(order.map(\.element.run), lanes: effectiveLanes, threads: common.threads)

    // 3. The tables, the ablation figures and the claims.
    var runsJSON: [String: Any] = [:]
    var context = ChapterState(mainFidelity: fidelity, formulaSets: formulaSets, seeds: nSeeds)
    let all = seedRuns.with { $0 }
    for p in prepared {
      context.refs[p.d] = p.ref
      context.seedRuns[p.d] = (all[p.d] ?? [:]).mapValues { byK in (0..<nSeeds).compactMap { byK[$0] } }
      if let m = all[p.d]?[fidelity]?[0], let modes = m.modes {
        runsJSON[p.d.rawValue] = datasetJSON(m.run, modes: modes, ref: p.ref)
        context.main[p.d] = (m.run, m.scores, p.ref)
        context.modes[p.d] = modes
      } else if let f = failedRuns.with({ $0["\(p.d.rawValue)-\(fidelity.rawValue)-seed0"] }) {
        runsJSON[p.d.rawValue] = ["status": "failed: \(f.stopped ?? "")", "iterations": f.iterations, "epochs": f.epochsDone,
                                  "evaluated": false]
      }
    }
    context.failed = failedRuns.with { $0 }
    context.latentOnly = latentOnly.with { $0 }
    if let fashion, let fashionSpec, !skipAblations, let main = context.main[.fashionMNIST],
       FileManager.default.fileExists(atPath: main.run.loop.keptPath(budget.ablationIterations)) {
      let trained = variants.with { v in ablationList.compactMap { v[$0.name] } }
      context.ablations = try assembleAblations(main: fashionSpec, variants: trained, reference: fashion.ref, out: out,
                                                budget: budget, runsDir: runs)
    }
    results.values["seeds"] = seedsJSON(context)
    // Every dataset's networks, trained or not (the prose cites them all).
    results.values["networks"] = Dictionary(uniqueKeysWithValues: [DatasetName.fashionMNIST, .mnist, .cifar10].map { d in
      (d.rawValue, networksJSON(width: w, channels: d == .cifar10 ? 3 : 1, nz: d == .cifar10 ? 128 : 64))
    })
    if let lo = context.latentOnly { results.values["latent_only"] = lo.json }
    results.values["runs"] = runsJSON
    results.values["settings"] = ["width": w, "fidelity": fidelity.rawValue, "lambda": lambda, "mu": mu,
                                  "arch": netConfig(channels: 1, nz: 64, width: w).arch.rawValue,
                                  "formula_sets": formulaSets.map(\.rawValue).joined(separator: " and "), "seeds": nSeeds,
                                  "seed_values": (0..<nSeeds).map { String(Int(common.seed) + $0) }.joined(separator: ", "),
                                  "epochs": prepared.map { "\($0.d.rawValue) \(network.epochs ?? budget.epochs($0.d))" }.joined(separator: ", "),
                                  "guard_patience": "one epoch of iterations with the real codes' mean per-dimension variance below 0.01/M",
                                  "checkpoint_every": checkpointEvery, "latent_only_steps": budget.latentOnlySteps,
                                  "lr_halving_epochs": common.profile == .full ? "halved every 40 epochs on CIFAR-10" : "constant, as the profile is not full",
                                  "spectrum_images": spectrumImages,
                                  
                                  "batch": recipe?.batchSize ?? 0, "lr": Double(recipe?.optimizer.lr ?? 0),
                                  "beta1": Double(recipe?.optimizer.beta1 ?? 0), "beta2": Double(recipe?.optimizer.beta2 ?? 0),
                                  "generator_steps": recipe?.age.generatorSteps ?? 0, "eval_samples": budget.evalSamples,
                                  "bn_mode": evaluationMode.rawValue, "precise_bn_batches": preciseBatches,
                                  "bootstrap_resamples": 200, "interval_level": 0.95,
                                  "ablation_iterations": budget.ablationIterations,
                                  "ablation_images": budget.ablationIterations * 64,
                                  "ablation_epochs": Double(budget.ablationIterations) / Double(max(1, (fashion?.train.count ?? 60000) / 64)),
                                  "lanes": effectiveLanes,
                                  "threads": common.threads]
    if let ab = context.ablations { results.values["ablations"] = ab.json }
    let failedVariants = variants.with { v in v.values.filter { $0.scores == nil } }
    if !failedVariants.isEmpty {
      results.values["ablations_failed"] = Dictionary(uniqueKeysWithValues: failedVariants.map { ($0.variant.name, $0.run.stopped ?? "failed") })
    }
    results.claims = claims(context)
    results.values["markdown"] = ["datasets": datasetsMarkdown(context), "ablations": ablationsMarkdown(context),
                                  "bn_modes": bnModesMarkdown(context), "seeds": seedsMarkdown(context),
                                  "latent_only": latentOnlyMarkdown(context)]
    try results.write()
    log("chapter 2: wrote \(out)/results.json")
    // A collapse is a result (reported in the tables and verdicts); non-finite losses are an error.
    let everyRun = context.seedRuns.values.flatMap { $0.values.flatMap { $0.map(\.run) } }
    for r in everyRun where r.stopped != nil && !r.nonFinite {
      log("chapter 2: note: \(r.spec.name) \(r.stopped!); reported as a result")
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

  /// The networks of every run: `--arch` (default by profile) at width `width`.
  func netConfig(channels: Int, nz: Int, width: Int) -> DCGAN32Config {
    var c = DCGAN32Config(channels: channels, nz: nz, ngf: width, ndf: width)
    c.arch = arch ?? (common.profile == .full ? .dcgan32px : .reduced)
    return c
  }

  /// Parameter counts of the networks this run trains and of the released dcgan32px at its width 64.
  func networksJSON(width: Int, channels: Int, nz: Int) -> [String: Any] {
    var rng = RandomGenerator(seed: 0)
    let ours = netConfig(channels: channels, nz: nz, width: width)
    var released = DCGAN32Config(channels: channels, nz: nz, ngf: 64, ndf: 64)
    released.arch = .dcgan32px
    return ["arch": ours.arch.rawValue, "width": width,
            "params_g": parameterCount(makeGenerator32(ours, rng: &rng)), "params_e": parameterCount(makeEncoder32(ours, rng: &rng)),
            "released_params_g": parameterCount(makeGenerator32(released, rng: &rng)),
            "released_params_e": parameterCount(makeEncoder32(released, rng: &rng))]
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

/// One seed's run and its scores (in `evaluationMode`; every mode for the main run).
struct SeedRun {
  let run: TrainedRun
  let scores: Scores
  let modes: [BatchNormMode: Scores]?
  /// Stopped by the collapse guard (a result, not an error).
  var collapsed: Bool { run.stopped != nil && !run.nonFinite }
}

/// What the claims and tables need from the runs.
struct ChapterState {
  /// The formulas of the main runs, every formula set trained, and the seeds per set.
  var mainFidelity: Fidelity
  var formulaSets: [Fidelity]
  var seeds: Int
  /// The main formulas' first seed on each dataset (figures, batch-norm modes).
  var main: [DatasetName: (run: TrainedRun, scores: Scores, ref: RealReference)] = [:]
  /// The main runs' scores in every batch-norm mode.
  var modes: [DatasetName: [BatchNormMode: Scores]] = [:]
  /// Every evaluated run, by dataset and formula set, in seed order.
  var seedRuns: [DatasetName: [Fidelity: [SeedRun]]] = [:]
  /// Runs that failed before any checkpoint (non-finite losses), by name.
  var failed: [String: TrainedRun] = [:]
  var refs: [DatasetName: RealReference] = [:]
  var ablations: AblationResults?
  var latentOnly: LatentOnlyResult?
  init(mainFidelity: Fidelity, formulaSets: [Fidelity], seeds: Int) {
    self.mainFidelity = mainFidelity; self.formulaSets = formulaSets; self.seeds = seeds
  }
  /// The main formulas' runs on `d`, in seed order.
  func mainSeeds(_ d: DatasetName) -> [SeedRun] { seedRuns[d]?[mainFidelity] ?? [] }
}

func datasetJSON(_ run: TrainedRun, modes: [BatchNormMode: Scores], ref: RealReference) -> [String: Any] {
  let scores = modes[evaluationMode]!
  var j = scores.json
  j["configuration"] = RunCheckpoint.jsonObject(identity: run.spec.identity)
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
