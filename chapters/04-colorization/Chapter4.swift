//===--- Chapter4.swift ---------------------------------------------------===//
// Chapter 4: conditional AGE colorization (Section 3.2 of the paper): diverse
// colorizations of one grayscale image from different codes z, color transfer
// z = e(x1 | L1) -> g(z | L2), and pix2pix with added noise maps as the baseline,
// trained on the same data for about the same wall time (a fixed iteration count).
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import Datasets
import DeepLearning
import Figures
import Foundation
import Models

@main
struct Chapter4: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chapter4",
    abstract: "Chapter 4: conditional AGE colorization against pix2pix with noise maps (diversity, transfer, fidelity).",
    discussion: """
      Needs colour images: Stanford Cars as image folders (<data-dir>/stanford-cars/{train,test}/<class>/*.jpg, used \
      at 64x64, the paper's set) or CIFAR-10 (automobile and truck images as the "cars" setting, all ten classes as \
      "all"). Without either it records that it did not run and exits 0. Writes figures, gnuplot scripts and \
      results.json into --out (default figures/04-colorization); runs resume from their checkpoints under --runs.
      """)

  @OptionGroup var common: CommonOptions
  @Option(help: "Settings to train (comma-separated: cars, all); default both ('all' needs CIFAR-10).")
  var settings: String?
  @Option(help: "Latent dimension M (3 in the paper, 16 in the released code).") var nz: Int = 3
  @Option(help: "mu: weight of L_X = |x - g(e(x|L)|L)|_1 in the encoder objective (eq. 5).") var mu: Float = 10
  @Option(help: "lambda: weight of L_Z in the generator objective (eq. 6); 10 as in the released cars command.")
  var lambda: Float = 10
  @Option(help: "nu: weight of L_X in the generator objective (10 in the released cars_reconstruction command; 0: eq. 6 alone).")
  var nu: Float = 10
  @Option(help: "Formulas: paper (eq. 7 with sd, L2 latent loss) or official-code (variance, cosine).")
  var fidelity: Fidelity = .paper
  @Option(help: "Network width for both systems (default: by profile; 64 is the official width).") var width: Int?
  @Option(help: "Residual blocks in the AGE generator (default: by profile; 10 in the released code).") var blocks: Int?
  @Option(help: "AGE epochs (default: by profile and setting); pix2pix trains a fixed multiple of AGE's iterations (about the same wall time).") var epochs: Int?
  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    try OptionCheck.range("--width", width, 1...OptionCheck.maxWidth)
    try OptionCheck.range("--nz", nz, 1...4096)
    try OptionCheck.range("--blocks", blocks, 0...64)
    try OptionCheck.range("--epochs", epochs, 1...100_000)
    for (name, v) in [("--mu", mu), ("--lambda", lambda), ("--nu", nu)] { try OptionCheck.weight(name, v) }
  }

  func run() throws {
    let setup = try ChapterSetup(chapter: "04-colorization", common: common, runOptions: runOptions)
    let (out, results, runsDir, cacheDir, fresh) = (setup.out, setup.results, setup.runs, setup.cache, setup.fresh)
    let budget = Budget(profile: common.profile)
    let locator = common.locator
    let w = width ?? budget.width, nBlocks = blocks ?? budget.blocks
    var age = AGEConfig()
    age.mu = mu; age.lambda = lambda; age.generatorLX = nu
    fidelity.apply(to: &age)
    results.values["settings"] = ["nz": nz, "mu": mu, "lambda": lambda, "nu": nu, "fidelity": fidelity.rawValue, "width": w,
                                  "blocks": nBlocks, "batch": 64, "lr": 2e-4, "generator_steps": age.generatorSteps,
                                  "samples_per_input": samplesPerInput, "eval_inputs": budget.evalInputs]

    let sources = try ColorData.find(locator: locator, budget: budget, seed: common.seed, cacheDir: cacheDir)
    guard !sources.isEmpty else {
      let why = "no colour images under \(locator.dataDir): neither stanford-cars/{train,test} nor CIFAR-10 "
        + "(set --data-dir or AGE_DATA to a folder holding cifar-10-batches-bin/)"
      log("chapter 4: not run: \(why)")
      results.values["status"] = "not run: \(why)"
      results.values["runs"] = [String: Any]()
      results.values["markdown"] = notRunMarkdown(why)
      results.claims = claims(ChapterState())
      try results.write()
      return
    }
    let wanted = settings.map { $0.split(separator: ",").map(String.init) } ?? sources.map(\.name)
    for s in wanted where !sources.contains(where: { $0.name == s }) {
      throw ValidationError("setting '\(s)' is not available (available: \(sources.map(\.name).joined(separator: ", ")))")
    }
    log("chapter 4: profile \(common.profile.rawValue), settings \(wanted.joined(separator: ", ")), M \(nz), width \(w), blocks \(nBlocks), output \(out)")

    var state = ChapterState()
    for source in sources where wanted.contains(source.name) {
      let net = ColorizationConfig(nz: nz, ngf: w, ndf: w, blocks: nBlocks, size: source.train.height)
      let ageSpec = RunSpec(name: source.name, system: .age, net: net, age: age, trainImages: source.train.count, seed: common.seed)
      let ageIterations = (epochs ?? budget.epochs(source.name)) * (source.train.count / 64)
      let ageRun = try train(ageSpec, data: source.train, iterations: ageIterations, runsDir: runsDir, fresh: fresh)
      var pixNet = net; pixNet.nz = 3
      let pixSpec = RunSpec(name: source.name, system: .pix2pix, net: pixNet, age: age, trainImages: source.train.count,
                            seed: common.seed)
      let pixRun = try train(pixSpec, data: source.train,
                             iterations: Budget.pix2pixIterations(source.name, ageIterations: ageIterations),
                             runsDir: runsDir, fresh: fresh)
      guard ageRun.usable && pixRun.usable else {
        log("chapter 4: \(source.name): not evaluated: "
            + [ageRun, pixRun].filter { !$0.usable }.map { "\($0.spec.system.rawValue) \($0.stopped ?? "")" }.joined(separator: "; "))
        state.failed.append(contentsOf: [ageRun, pixRun].filter { !$0.usable })
        continue
      }
      let result = try measure(source: source, age: ageRun, pix: pixRun, inputs: budget.evalInputs, out: out)
      state.settings.append(result)
    }
    var runsJSON = Dictionary(uniqueKeysWithValues: state.settings.map { ($0.source.name, $0.json as Any) })
    for f in state.failed {
      runsJSON["\(f.spec.name)-\(f.spec.system.rawValue)"] = ["status": "failed: \(f.stopped ?? "")", "iterations": f.iterations,
                                                              "evaluated": false]
    }
    results.values["runs"] = runsJSON
    results.values["status"] = "completed"
    results.values["markdown"] = markdown(state)
    results.claims = claims(state)
    try results.write()
    log("chapter 4: wrote \(out)/results.json")
    let failed = (state.settings.flatMap { [$0.age, $0.pix] } + state.failed).filter(\.nonFinite)
    if !failed.isEmpty {
      log("chapter 4: error: runs hit non-finite losses: "
          + failed.map { "\($0.spec.name) \($0.spec.system.rawValue): \($0.stopped!)" }.joined(separator: "; ")
          + ". The last good checkpoints are kept under \(runsDir); results.json records the failure.")
      throw ExitCode(1)
    }
  }

  /// Evaluates both systems of one setting and writes its figures.
  func measure(source: ColorData, age: ColorRun, pix: ColorRun, inputs: Int, out: String) throws -> SettingResult {
    let n = min(inputs, source.test.count)
    let (l, ab) = source.test.batch(Array(0..<n))
    let labels = Array(source.test.labels.prefix(n))
    let clf = source.classifier
    var r = SettingResult(source: source, age: age, pix: pix)
    r.evalInputs = n
    r.reference = reference(l: l, ab: ab, labels: labels, classifier: clf)
    r.ageScores = evaluate(age, l: l, ab: ab, labels: labels, classifier: clf, seed: common.seed &+ 101)
    r.pixScores = evaluate(pix, l: l, ab: ab, labels: labels, classifier: clf, seed: common.seed &+ 101)
    let k = min(32, n)   // 32 x 32 transfer pairs are measured, the first 8 x 8 are shown
    let (transferOut, transferScores) = transfer(age.age!, l: l.rows(Array(0..<k)), ab: ab.rows(Array(0..<k)))
    r.transfer = transferScores
    let name = source.name
    let panes = Array(0..<min(6, n))
    try writeDiversityPanes(l: l.rows(panes), ab: ab.rows(panes), age: colorizations(age, l: l.rows(panes), seed: 7),
                            pix: colorizations(pix, l: l.rows(panes), seed: 7), path: "\(out)/\(name)-diverse.png")
    try writeTransfer(l: l.rows(Array(0..<k)), ab: ab.rows(Array(0..<k)), out: transferOut, shown: min(8, k),
                      path: "\(out)/\(name)-transfer.png")
    try writeReconstructions(age.age!, l: l.rows(Array(0..<min(32, n))), ab: ab.rows(Array(0..<min(32, n))),
                             path: "\(out)/\(name)-reconstructions.png")
    try writeCurves(age: age, pix: pix, dir: out, name: name)
    log(String(format: "%@: diversity AGE %.2f vs pix2pix %.2f ab units; best-of-8 L1 %.2f vs %.2f; transfer r %.2f (target %.2f)",
               name, r.ageScores.diversity, r.pixScores.diversity, r.ageScores.bestOf8L1, r.pixScores.bestOf8L1,
               r.transfer.rSource, r.transfer.rTarget))
    return r
  }
}

/// One data setting: Lab training and test images, and the classifier that scores them (CIFAR-10 only).
struct ColorData {
  let name: String
  let description: String
  let train: LabImages, test: LabImages
  let classifier: EvaluationClassifier?

  /// The settings the data directory supports: Stanford Cars at 64x64 when present, else
  /// CIFAR-10's automobiles and trucks ("cars") and all ten classes ("all"); none without colour data.
  static func find(locator: DataLocator, budget: Budget, seed: UInt64, cacheDir: String) throws -> [ColorData] {
    let carsRoot = "\(locator.dataDir)/stanford-cars"
    let fm = FileManager.default
    if fm.fileExists(atPath: "\(carsRoot)/train") && fm.fileExists(atPath: "\(carsRoot)/test") {
      var train = try ImageFolder.load("\(carsRoot)/train", size: 64, name: "stanford-cars")
      if let n = budget.trainImages { train = train.prefix(n) }
      let test = try ImageFolder.load("\(carsRoot)/test", size: 64, name: "stanford-cars")
      log("stanford-cars: \(train.count) training and \(test.count) test images at 64x64")
      return [ColorData(name: "cars", description: "Stanford Cars at 64x64 (the paper's set)",
                        train: LabImages(train), test: LabImages(test), classifier: nil)]
    }
    guard locator.isAvailable(.cifar10) else { return [] }
    var train = try locator.load(.cifar10, train: true)
    let test = try locator.load(.cifar10, train: false)
    if let n = budget.trainImages, n < train.count { train = train.prefix(n) }
    var settings = ClassifierTraining(epochs: EvaluationClassifier.epochs(.cifar10, profile: budget.profile))
    settings.seed = seed
    let clf = try EvaluationClassifier.loadOrTrain(train: train, test: test, settings: settings, cacheDir: cacheDir)
    let labTrain = LabImages(train), labTest = LabImages(test)
    let vehicles: Set<Int> = [1, 9]   // automobile, truck
    let carsTrain = labTrain.filter(labels: vehicles), carsTest = labTest.filter(labels: vehicles)
    log("cifar10: \(train.count) training and \(test.count) test images; automobile+truck: \(carsTrain.count) and \(carsTest.count)")
    return [
      ColorData(name: "cars", description: "CIFAR-10 automobile and truck images at 32x32 (standing in for Stanford Cars)",
                train: carsTrain, test: carsTest, classifier: clf),
      ColorData(name: "all", description: "all ten CIFAR-10 classes at 32x32", train: labTrain, test: labTest, classifier: clf),
    ]
  }
}

/// Everything measured on one setting.
struct SettingResult {
  let source: ColorData
  let age: ColorRun, pix: ColorRun
  var reference = ColorReference()
  var ageScores = ColorScores(), pixScores = ColorScores()
  var transfer = TransferScores()
  var evalInputs = 0
  init(source: ColorData, age: ColorRun, pix: ColorRun) { self.source = source; self.age = age; self.pix = pix }

  var diversityRatio: Double { ageScores.diversity / max(pixScores.diversity, 1e-9) }

  var json: [String: Any] {
    func runJSON(_ r: ColorRun) -> [String: Any] {
      let ips = r.trainSeconds > 0 ? Double(r.iterations * 64) / r.trainSeconds : 0
      return ["epochs": r.epochsDone, "iterations": r.iterations, "train_seconds": r.trainSeconds,
              "seconds_per_epoch": r.epochsDone > 0 ? r.trainSeconds / r.epochsDone : 0, "images_per_second": ips,
              "status": r.stopped ?? "completed", "parameters_g": r.generator.parameterCount]
    }
    func opt(_ d: Double?) -> Any { d ?? "not measured" }
    return [
      "description": source.description, "train_images": source.train.count, "test_images": source.test.count,
      "eval_inputs": evalInputs,
      "age": runJSON(age).merging(ageScores.json) { $1 }, "pix2pix": runJSON(pix).merging(pixScores.json) { $1 },
      "diversity_age": ageScores.diversity, "diversity_pix2pix": pixScores.diversity, "diversity_ratio": diversityRatio,
      "best_of_8_ab_l1": ["age": ageScores.bestOf8L1, "pix2pix": pixScores.bestOf8L1, "gray": reference.grayL1],
      "psnr": ["age": ageScores.psnr, "pix2pix": pixScores.psnr, "gray": reference.grayPSNR],
      "colorfulness": ["age": ageScores.colorfulness, "pix2pix": pixScores.colorfulness, "real": reference.realColorfulness],
      "classifier_accuracy": ["age": opt(ageScores.classifierAccuracy), "pix2pix": opt(pixScores.classifierAccuracy),
                              "gray": opt(reference.grayAccuracy), "original": opt(reference.originalAccuracy)],
      "transfer": ["sources": transfer.sources, "r_source": transfer.rSource, "r_target": transfer.rTarget],
      "recon_ab_l1": transfer.reconL1,
    ]
  }
}

struct ChapterState {
  var settings: [SettingResult] = []
  /// Runs whose losses turned non-finite before any checkpoint (not evaluated).
  var failed: [ColorRun] = []
}
