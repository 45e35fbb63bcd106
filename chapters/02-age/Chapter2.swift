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
  @OptionGroup var runOptions: RunOptions

  func run() throws {
    let out = common.prepare(chapter: "02-age")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let results = Results(chapter: "02-age", outDir: out, options: common)
    let budget = Budget(profile: common.profile)
    let locator = common.locator
    let runs = runOptions.runsDir(chapter: "02-age", profile: common.profile)
    let cache = runOptions.cacheDir(profile: common.profile)
    let fresh = runOptions.fresh
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
    log("chapter 2: profile \(common.profile.rawValue), datasets \(wanted.map(\.rawValue).joined(separator: ", ")), width \(w), fidelity \(fidelity.rawValue), output \(out)")

    var runsJSON: [String: Any] = [:]
    var context = ChapterState()
    for d in wanted {
      let (train, test) = try loadData(d, locator: locator, budget: budget)
      let clf = try EvaluationClassifier.loadOrTrain(
        train: train, test: test, settings: classifierSettings(d, budget), cacheDir: cache)
      let ref = RealReference(train: train, test: test, classifier: clf, evalSamples: budget.evalSamples, seed: common.seed)
      var age = AGEConfig()
      age.mu = mu; age.lambda = lambda
      fidelity.apply(to: &age)
      let nz = d == .cifar10 ? 128 : 64
      var spec = RunSpec(name: d.rawValue, dataset: d, net: DCGAN32Config(channels: train.channels, nz: nz, ngf: w, ndf: w),
                         age: age, epochs: epochs ?? budget.epochs(d), trainImages: train.count, seed: common.seed)
      if d == .fashionMNIST { spec.keepIterations = [budget.ablationIterations] }
      let run = try trainAGE(spec, data: train, runsDir: runs, fresh: fresh)
      let scores = evaluate(run.trainer, reference: ref, seed: common.seed &+ 99)
      try writeDatasetFigures(run, scores: scores, test: test, out: out)
      runsJSON[d.rawValue] = datasetJSON(run, scores: scores, ref: ref)
      log(String(format: "%@: IS %.2f (real %.2f), FD %.2f (train-test %.2f), recon L1 %.4f, latent %.4f",
                 d.rawValue, scores.isSamples.mean, ref.isReal.mean, scores.fdSamples, ref.fdRealTrain,
                 scores.reconL1, scores.latentRecon))
      context.main[d] = (run, scores, ref)
      if d == .fashionMNIST && !skipAblations {
        context.ablations = try runAblations(main: spec, data: train, reference: ref, out: out, budget: budget,
                                           runsDir: runs, fresh: fresh)
      }
    }
    results.values["runs"] = runsJSON
    results.values["settings"] = ["width": w, "fidelity": fidelity.rawValue, "lambda": lambda, "mu": mu,
                                  "batch": 64, "lr": 2e-4, "generator_steps": 2, "eval_samples": budget.evalSamples,
                                  "ablation_iterations": budget.ablationIterations,
                                  "ablation_images": budget.ablationIterations * 64]
    if let ab = context.ablations { results.values["ablations"] = ab.json }
    results.claims = claims(context)
    results.values["markdown"] = ["datasets": datasetsMarkdown(context), "ablations": ablationsMarkdown(context)]
    try results.write()
    log("chapter 2: wrote \(out)/results.json")
    // A collapse is a result (reported in the tables and verdicts); non-finite losses are an error.
    for m in context.main.values where m.run.stopped != nil && !m.run.nonFinite {
      log("chapter 2: note: \(m.run.spec.name) \(m.run.stopped!); reported as a result")
    }
    let failed = context.main.values.filter { $0.run.nonFinite }.map { "\($0.run.spec.name): \($0.run.stopped!)" }
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
  var ablations: AblationResults?
}

func datasetJSON(_ run: TrainedRun, scores: Scores, ref: RealReference) -> [String: Any] {
  var j = scores.json
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
  j["code_kl_minimum"] = sphereMinimumKL(run.spec.net.nz)
  j["nz"] = run.spec.net.nz
  j["width"] = run.spec.net.ngf
  j["status"] = run.stopped ?? "completed"
  return j
}

func writeDatasetFigures(_ run: TrainedRun, scores: Scores, test: ImageDataset, out: String) throws {
  let name = run.spec.dataset.rawValue
  try writeSamples(run.trainer, path: "\(out)/\(name)-samples.png", seed: 2024)
  try writeReconstructions(run.trainer, test: test, path: "\(out)/\(name)-reconstructions.png")
  try writeInterpolations(run.trainer, test: test, path: "\(out)/\(name)-interpolations.png")
  if run.iterations > 1 { try writeCurves(run, dir: out, name: name, render: true) }
  try writeCodeStats(scores, m: run.spec.net.nz, dir: out, name: "\(name)-codes", title: name, render: true)
}
