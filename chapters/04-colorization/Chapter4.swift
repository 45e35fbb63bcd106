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
import Evaluation
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
      results.json into --out (default figures/04-colorization); runs resume from their checkpoints under --runs.       --epochs sets AGE's epochs; pix2pix trains a fixed multiple of the main AGE run's iterations.
      """)

  @OptionGroup var common: CommonOptions
  @Option(help: "Settings to train (comma-separated: cars, all); default both ('all' needs CIFAR-10).")
  var settings: String?
  @Option(help: "Conditional AGE recipes for the cars setting (comma-separated: \(ColorRecipe.all.map(\.name).joined(separator: ", ")); the first is the main run, the only one trained on 'all'; default all three).")
  var recipes: String?
  @Option(help: "Residual blocks in the AGE generator (default: by profile; 10 in the released code).") var blocks: Int?
  @OptionGroup var network: NetworkOptions
  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    try OptionCheck.range("--blocks", blocks, 0...64)
    _ = try chosenRecipes()
  }

  /// The recipes of --recipes, in its order.
  func chosenRecipes() throws -> [ColorRecipe] {
    guard let recipes else { return ColorRecipe.all }
    return try recipes.split(separator: ",").map { name in
      guard let r = ColorRecipe.all.first(where: { $0.name == name }) else {
        throw ValidationError("unknown recipe '\(name)' in --recipes (known: \(ColorRecipe.all.map(\.name).joined(separator: ", ")))")
      }
      return r
    }
  }

  func run() throws {
    let setup = try ChapterSetup(chapter: "04-colorization", common: common, runOptions: runOptions)
    let (out, results, runsDir, cacheDir, fresh) = (setup.out, setup.results, setup.runs, setup.cache, setup.fresh)
    let budget = Budget(profile: common.profile)
    let locator = common.locator
    let w = network.width ?? budget.width, nBlocks = blocks ?? budget.blocks
    let recipes = try chosenRecipes()
    results.values["settings"] = ["width": w, "blocks": nBlocks, "batch": batchSize, "samples_per_input": samplesPerInput,
                                  "verdict_samples": verdictSamples, "eval_inputs": budget.evalInputs,
                                  "bn_mode": evaluationMode.rawValue, "precise_batches": preciseBatches,
                                  "targets_per_source": targetsPerSource, "permutations": permutations,
                                  "pix2pix_lr": Double("\(pix2pixLR)")!, "main_recipe": recipes[0].name]
    results.values["recipes"] = Dictionary(uniqueKeysWithValues: recipes.map { ($0.name, $0.json as Any) })

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
    log("chapter 4: profile \(common.profile.rawValue), settings \(wanted.joined(separator: ", ")), recipes "
        + "\(recipes.map(\.name).joined(separator: ", ")), width \(w), blocks \(nBlocks), output \(out)")

    var state = ChapterState()
    for source in sources where wanted.contains(source.name) {
      let ageIterations = (network.epochs ?? budget.epochs(source.name)) * (source.train.count / batchSize)
      var ageRuns: [ColorRun] = []
      for recipe in source.name == "cars" ? recipes : [recipes[0]] {
        let net = ColorizationConfig(nz: recipe.nz, ngf: w, ndf: w, blocks: nBlocks, size: source.train.height)
        let spec = RunSpec(name: source.name, system: .age, net: net, recipe: recipe, trainImages: source.train.count,
                           seed: common.seed)
        ageRuns.append(try train(spec, data: source.train, iterations: ageIterations, runsDir: runsDir, fresh: fresh))
      }
      let pixNet = ColorizationConfig(nz: 3, ngf: w, ndf: w, blocks: nBlocks, size: source.train.height)
      let pixSpec = RunSpec(name: source.name, system: .pix2pix, net: pixNet, recipe: recipes[0],
                            trainImages: source.train.count, seed: common.seed)
      let pixRun = try train(pixSpec, data: source.train,
                             iterations: Budget.pix2pixIterations(ageIterations: ageIterations),
                             runsDir: runsDir, fresh: fresh)
      let unusable = (ageRuns + [pixRun]).filter { !$0.usable }
      state.failed += unusable
      for r in unusable { log("chapter 4: \(r.spec.label): not evaluated: \(r.stopped ?? "")") }
      guard pixRun.usable, ageRuns[0].usable else { continue }
      state.settings.append(try measure(source: source, ages: ageRuns.filter(\.usable), pix: pixRun,
                                        inputs: budget.evalInputs, out: out))
    }
    var runsJSON = Dictionary(uniqueKeysWithValues: state.settings.map { ($0.source.name, $0.json as Any) })
    for f in state.failed {
      runsJSON[f.spec.label] = ["status": "failed: \(f.stopped ?? "")", "iterations": f.iterations, "evaluated": false]
    }
    results.values["runs"] = runsJSON
    results.values["status"] = "completed"
    results.values["markdown"] = markdown(state)
    results.claims = claims(state)
    try results.write()
    log("chapter 4: wrote \(out)/results.json")
    let failed = (state.settings.flatMap { $0.ages.map(\.run) + [$0.pix.run] } + state.failed).filter(\.nonFinite)
    if !failed.isEmpty {
      log("chapter 4: error: runs hit non-finite losses: "
          + failed.map { "\($0.spec.label): \($0.stopped!)" }.joined(separator: "; ")
          + ". The last good checkpoints are kept under \(runsDir); results.json records the failure.")
      throw ExitCode(1)
    }
  }

  /// Evaluates every run of one setting in the three batch-norm modes and writes its figures
  /// (evaluation mode, the main recipe).
  func measure(source: ColorData, ages: [ColorRun], pix: ColorRun, inputs: Int, out: String) throws -> SettingResult {
    let n = min(inputs, source.test.count)
    let (l, ab) = source.test.batch(Array(0..<n))
    let labels = Array(source.test.labels.prefix(n))
    let clf = source.classifier
    let seed = common.seed &+ 101
    let reference = reference(l: l, ab: ab, labels: labels, classifier: clf)
    func scored(_ run: ColorRun) -> RunResult {
      var r = RunResult(run: run)
      for mode in BatchNormMode.allCases {
        let nets = netsInMode(run, mode, train: source.train, seed: seed)
        r.scores[mode] = evaluate(run, nets: nets, l: l, ab: ab, labels: labels, classifier: clf, seed: seed)
        if run.age != nil { r.transfer[mode] = transfer(nets, l: l, ab: ab, seed: seed &+ 3) }
        nets.finish()
      }
      let e = r.main, t = r.transfer[evaluationMode]
      log(String(format: "%@: diversity %.2f ab; best-of-8 %.2f (grayscale %.2f)", run.spec.label, e.diversity, e.bestOf8L1,
                 reference.grayL1) + (t.map { String(format: "; transfer r %.2f (null 95%% %.2f..%.2f), target %.2f; recon %.2f",
                                                 $0.whole.rSource.value, $0.whole.nullLow, $0.whole.nullHigh,
                                                 $0.whole.rTarget, $0.reconL1) } ?? ""))
      return r
    }
    var r = SettingResult(source: source, ages: ages.map(scored), pix: scored(pix), reference: reference)
    r.evalInputs = n
    let name = source.name, main = ages[0]
    let panes = Array(0..<min(6, n)), shown = Array(0..<min(8, n)), recon = Array(0..<min(32, n))
    let mainNets = netsInMode(main, evaluationMode, train: source.train, seed: seed)
    let pixNets = netsInMode(pix, evaluationMode, train: source.train, seed: seed)
    let paneL = l.rows(panes)
    let ageCodes = codes(main, inputs: panes.count, seed: 7), pixCodes = codes(pix, inputs: panes.count, seed: 7)
    try writeDiversityPanes(l: paneL, ab: ab.rows(panes),
                            age: ageCodes.prefix(verdictSamples).map { colorizations(mainNets, l: paneL, z: $0) },
                            pix: pixCodes.prefix(verdictSamples).map { colorizations(pixNets, l: paneL, z: $0) },
                            path: "\(out)/\(name)-diverse.png")
    try writeTransfer(l: l.rows(shown), ab: ab.rows(shown), out: transferMatrix(mainNets, l: l.rows(shown), ab: ab.rows(shown)),
                      shown: shown.count, path: "\(out)/\(name)-transfer.png")
    try writeReconstructions(l: l.rows(recon), ab: ab.rows(recon),
                             rec: decodeAll(mainNets, l: l.rows(recon), z: encodeAll(mainNets, l: l.rows(recon), ab: ab.rows(recon))),
                             path: "\(out)/\(name)-reconstructions.png")
    mainNets.finish(); pixNets.finish()
    for a in ages { try writeCurves(age: a, dir: out, name: a.spec.label) }
    try writePix2PixCurves(pix, dir: out, name: pix.spec.label)
    try writeBestOfN(r, dir: out, name: "\(name)-best-of-n")
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

/// One trained run's scores in the three batch-norm modes (transfer: AGE only).
struct RunResult {
  let run: ColorRun
  var scores: [BatchNormMode: ColorScores] = [:]
  var transfer: [BatchNormMode: TransferScores] = [:]
  init(run: ColorRun) { self.run = run }
  /// The scores in the chapter's evaluation mode.
  var main: ColorScores { scores[evaluationMode]! }
  var mainTransfer: TransferScores? { transfer[evaluationMode] }

  var json: [String: Any] {
    let r = run
    let ips = r.trainSeconds > 0 ? Double(r.iterations * batchSize) / r.trainSeconds : 0
    var j: [String: Any] = [
      "epochs": r.epochsDone, "iterations": r.iterations, "train_seconds": r.trainSeconds,
      "seconds_per_epoch": r.epochsDone > 0 ? r.trainSeconds / r.epochsDone : 0, "images_per_second": ips,
      "status": r.stopped ?? "completed", "parameters_g": r.generator.parameterCount,
      "parameters_e": r.age?.e.parameterCount ?? 0, "code_dimension": r.codeDimension,
      "bn_modes": Dictionary(uniqueKeysWithValues: scores.map { ($0.key.rawValue, $0.value.json as Any) }),
      "configuration": RunCheckpoint.jsonObject(identity: r.spec.identity),
    ]
    if r.age != nil {
      j["recipe"] = r.spec.recipe.name
      j["transfer"] = Dictionary(uniqueKeysWithValues: transfer.map { ($0.key.rawValue, $0.value.json as Any) })
    }
    return j
  }
}

/// Everything measured on one setting.
struct SettingResult {
  let source: ColorData
  /// The AGE runs, the main recipe first.
  let ages: [RunResult]
  let pix: RunResult
  let reference: ColorReference
  var evalInputs = 0
  init(source: ColorData, ages: [RunResult], pix: RunResult, reference: ColorReference) {
    self.source = source; self.ages = ages; self.pix = pix; self.reference = reference
  }
  var main: RunResult { ages[0] }

  var json: [String: Any] {
    func opt(_ d: Double?) -> Any { d ?? "not measured" }
    return [
      "description": source.description, "train_images": source.train.count, "test_images": source.test.count,
      "eval_inputs": evalInputs,
      "age": Dictionary(uniqueKeysWithValues: ages.map { ($0.run.spec.recipe.name, $0.json as Any) }),
      "pix2pix": pix.json,
      "gray": ["best_of_8_ab_l1": reference.grayL1, "psnr": reference.grayPSNR,
               "classifier_accuracy": opt(reference.grayCorrect.map(mean))],
      "original": ["colorfulness": reference.realColorfulness, "classifier_accuracy": opt(reference.originalCorrect.map(mean))],
      "verdict_numbers": verdictNumbers(self).json,
    ]
  }
}

struct ChapterState {
  var settings: [SettingResult] = []
  /// Runs whose losses turned non-finite before any checkpoint, or that collapsed (not evaluated).
  var failed: [ColorRun] = []
}
