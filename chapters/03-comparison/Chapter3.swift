//===--- Chapter3.swift ---------------------------------------------------===//
// Chapter 3: AGE against ALI, BiGAN, AAE, alpha-GAN, VAE and DCGAN on the same
// data, networks and pipeline: reconstructions (Fig. 3), sample quality, seconds
// per epoch (the paper: an ALI epoch takes about three AGE epochs), quality against
// wall-clock time, linear probes on the encoders' features (ALI's SVHN protocol),
// and MNIST log-likelihoods by annealed importance sampling (Wu et al. 2017).
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Models

/// The systems in results order, with the names the figures use.
let systemOrder: [(key: String, name: String)] = [
  ("age", "AGE"), ("ali", "ALI"), ("bigan", "BiGAN"), ("aae", "AAE"), ("alpha_gan", "alpha-GAN"), ("vae", "VAE"),
  ("dcgan", "DCGAN"),
]

@main
struct Chapter3: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chapter3",
    abstract: "Chapter 3: AGE against ALI, BiGAN, AAE, alpha-GAN, VAE and DCGAN (reconstructions, samples, time, features, likelihood).",
    discussion: """
      Trains every system on one dataset (CIFAR-10 when --data-dir has it, else the packaged Fashion-MNIST) with \
      the same DCGAN-style networks, scores them, then trains small fully connected models for the MNIST \
      log-likelihood table (Fashion-MNIST when MNIST is absent). Writes figures, gnuplot scripts and results.json \
      into --out (default figures/03-comparison). Runs resume from their checkpoints under --runs unless --fresh.       --epochs applies to every system; ALI also trains longer (by profile).
      """)

  @OptionGroup var common: CommonOptions
  @Option(help: "Dataset of the comparison: fashion-mnist, mnist, cifar10 or svhn (ALI's probe set) (default: cifar10 when available, else fashion-mnist).")
  var dataset: String?
  @Option(help: "Systems to train (comma-separated: age, ali, bigan, aae, alpha_gan, vae, dcgan); default all.")
  var systems: String?
  @Flag(help: "Skip the linear probes.")
  var skipProbes = false
  @Flag(help: "Skip the log-likelihood part (AIS).")
  var skipLikelihood = false
  @OptionGroup var network: NetworkOptions
  @OptionGroup var runOptions: RunOptions

  func run() throws {
    let setup = try ChapterSetup(chapter: "03-comparison", common: common, runOptions: runOptions)
    let (out, results, runs, fresh) = (setup.out, setup.results, setup.runs, setup.fresh)
    let budget = Budget(profile: common.profile)
    let locator = common.locator
    let d: DatasetName
    if let name = dataset {
      guard let v = DatasetName(rawValue: name) else {
        throw ValidationError("unknown dataset '\(name)'; use fashion-mnist, mnist, cifar10 or svhn")
      }
      d = v
    } else {
      d = locator.isAvailable(.cifar10) ? .cifar10 : .fashionMNIST
      if d != .cifar10 {
        log("chapter 3: cifar10 not found under \(locator.dataDir); comparing on fashion-mnist (set --data-dir or AGE_DATA)")
      }
    }
    let wanted = try systems.map { list in
      try list.split(separator: ",").map { k -> String in
        guard systemOrder.contains(where: { $0.key == k }) else {
          throw ValidationError("unknown system '\(k)'; use \(systemOrder.map(\.key).joined(separator: ", "))")
        }
        return String(k)
      }
    } ?? systemOrder.map(\.key)
    let w = network.width ?? budget.width
    let e = network.epochs ?? budget.epochs
    let longer = max(budget.aliLongerEpochs, e + 1)
    log("chapter 3: profile \(common.profile.rawValue), dataset \(d.rawValue), width \(w), \(e) epochs (ALI also \(longer)), output \(out)")

    // ---- Data, the evaluation classifier (chapter 2's, cached) and the real-data references.
    var full = try locator.load(d, train: true), test = try locator.load(d, train: false)
    if full.height != 32 { full = full.padded(to: 32); test = test.padded(to: 32) }
    var cls = ClassifierTraining(epochs: budget.classifierEpochs(d))
    cls.seed = common.seed
    let clf = try EvaluationClassifier.loadOrTrain(train: full.prefix(budget.classifierImages ?? full.count), test: test, settings: cls,
                                                   cacheDir: setup.cache)
    let ref = RealReference(train: full, test: test, classifier: clf, evalSamples: budget.evalSamples, seed: common.seed)
    let trainSet = full.prefix(budget.trainImages ?? full.count)
    let probeData = ProbeData(train: full, test: test, validation: budget.probeValidation, testImages: ref.evalCount,
                              poolLimit: 5000)
    let curve = curveProbe(reference: ref, n: budget.curveImages, seed: common.seed &+ 7)
    let nz = full.channels == 3 ? 128 : 64   // as chapter 2: 64 for grayscale sets, 128 for colour
    let net = DCGAN32Config(channels: full.channels, nz: nz, ngf: w, ndf: w)
    log("\(d.rawValue): \(trainSet.count) training images (of \(full.count)), \(test.count) test images, M = \(nz)")

    // ---- Train and score every system.
    var state = ChapterState(dataset: d, epochs: e, longerEpochs: longer, trainImages: trainSet.count, reference: ref)
    let figureTest = test.batch(Array(0..<10))
    for (i, key) in systemOrder.map(\.key).enumerated() where wanted.contains(key) {
      let make = { () -> GenerativeSystem in
        var rng = RandomGenerator(seed: common.seed &+ 100 &* UInt64(i + 1))
        switch key {
        case "age": return AGESystem(net, config: AGEConfig(), rng: &rng)
        case "ali": return ALISystem(net, stochastic: true, seed: common.seed, rng: &rng)
        case "bigan": return ALISystem(net, stochastic: false, seed: common.seed, rng: &rng)
        case "aae": return AAESystem(net, rng: &rng)
        case "alpha_gan": return AlphaGANSystem(net, rng: &rng)
        case "vae": return VAESystem(net, rng: &rng)
        default: return DCGANSystem(net, rng: &rng)
        }
      }
      let system = make()
      let spec = SystemRunSpec(name: "\(d.rawValue)-\(key)", net: net, recipe: system.recipe,
                               trainImages: trainSet.count, seed: common.seed)
      let run = SystemRun(spec: spec, system: system)
      try train(run, data: trainSet, epochs: e, keep: key == "ali" ? [e] : [], runsDir: runs, fresh: fresh, curve: curve)
      guard run.usable else {   // non-finite before any checkpoint: nothing to evaluate
        log("chapter 3: \(spec.name): \(run.stopped ?? "failed"); not evaluated")
        state.failed.append(run)
        continue
      }
      var atE = run, epochsAtE = run.epochsDone
      if run.epochsDone > e {   // resumed past e: score the copy kept at e
        atE = SystemRun(spec: spec, system: make())
        try loadSnapshot(atE, epoch: e, runsDir: runs)
        epochsAtE = e
      }
      let score = { (key: String, r: SystemRun, epochs: Int) in
        scoredEntry(key: key, run: r, epochs: epochs, train: trainSet, test: test, reference: ref,
                    probeData: skipProbes ? nil : probeData, budget: budget, seed: common.seed)
      }
      let entry = score(key, atE, epochsAtE)
      log(entry.summary)
      if key == "ali" && run.stopped == nil {
        try train(run, data: trainSet, epochs: longer, runsDir: runs, fresh: false, curve: curve)
        let l = score("ali_longer", run, run.epochsDone)
        log(l.summary)
        state.longer = l
      }
      state.entries.append(entry)
    }

    // ---- Baselines of the probes: raw pixels and the AGE encoder untrained.
    if !skipProbes {
      state.probeBaselines["raw_pixels"] = probe(features: { $0.avgPool2d(2).flatten() }, probeData, budget: budget,
                                                 seed: common.seed &+ 5)
      var rng = RandomGenerator(seed: common.seed &+ 100)
      let untrained = SystemInMode(AGESystem(net, config: AGEConfig(), rng: &rng), mode: evaluationMode, train: trainSet,
                                   seed: common.seed &+ 11)
      state.probeBaselines["random_encoder"] = probe(untrained, probeData, budget: budget, seed: common.seed &+ 5)
      untrained.finish()
      log("probe baselines: " + state.probeBaselines.sorted { $0.key < $1.key }
        .map { String(format: "%@ %.1f%% ± %.1f", $0.key, 100 * $0.value.mean, 100 * $0.value.std) }.joined(separator: ", "))
    }

    // ---- Epoch time: the published pair on this machine, and the analytic count of the width-matched pair.
    state.epochTime = publishedEpochTimes(iterations: budget.epochTimeIterations, seed: common.seed)
    if let a = state.entry("age")?.run.system as? AGESystem, let b = state.entry("ali")?.run.system as? ALISystem {
      state.widthMatchedMACs = (aliIterationMACs(b, channels: full.channels), ageIterationMACs(a, channels: full.channels))
    }
    for p in state.epochTime {
      log(String(format: "epoch time, %@: ALI %.0f s vs AGE %.0f s per 50,000 images (%.2fx; analytic %.2fx)",
                 p.name, p.aliSeconds, p.ageSeconds, p.measuredRatio, p.analyticRatio))
    }

    // ---- Figures.
    let columns: [(String, Tensor)] = ["age", "ali", "ali_longer", "vae", "aae", "alpha_gan", "bigan"].compactMap { k in
      state.entry(k).flatMap { en in en.reconstructions.map { (displayName(en.key), $0) } }
    }
    if !columns.isEmpty {
      try writeReconstructionGrid(test: figureTest, columns: columns, path: "\(out)/reconstructions.png")
    }
    let sampleRows = (state.entries + (state.longer.map { [$0] } ?? [])).compactMap { en in en.samples.map { (displayName(en.key), $0) } }
    if !sampleRows.isEmpty { try writeSampleRows(sampleRows, path: "\(out)/samples.png") }
    try writeQualityCurves(state.entries.map { (displayName($0.key), $0.run) }, dir: out, render: true)

    // ---- Log-likelihood by AIS.
    if !skipLikelihood {
      let ld: DatasetName = locator.isAvailable(.mnist) ? .mnist : .fashionMNIST
      if ld != .mnist { log("chapter 3: mnist not found under \(locator.dataDir); the likelihood part uses fashion-mnist") }
      let l = try runLikelihood(ld, locator: locator, budget: budget, runsDir: runs, fresh: fresh, seed: common.seed)
      state.likelihood = l
      try writeLikelihoodFigures(l, dir: out)
    }

    var systemsJSON = state.systemsJSON
    for f in state.failed { systemsJSON[f.spec.name] = ["status": "failed: \(f.stopped ?? "")", "evaluated": false] }
    results.values["systems"] = systemsJSON
    if let l = state.likelihood { results.values["likelihood"] = l.json }
    results.values["settings"] = ["dataset": d.rawValue, "width": w, "epochs": e, "ali_longer_epochs": longer, "nz": nz,
                                  "train_images": trainSet.count, "eval_samples": ref.evalCount, "curve_images": min(budget.curveImages, ref.evalCount),
                                  "probe_draws": budget.probeDraws, "probe_per_class": budget.probePerClass,
                                  "classifier_accuracy": clf.testAccuracy, "is_real": ref.isReal.mean,
                                  "fd_real_train": ref.fdRealTrain, "kid_real_train": ref.kidRealTrain.mean,
                                  "bn_mode": evaluationMode.rawValue, "precise_bn_batches": preciseBatches]
    results.claims = claims(state)
    results.values["markdown"] = ["systems": systemsMarkdown(state), "bn_modes": bnModesMarkdown(state),
                                   "likelihood": likelihoodMarkdown(state)]
    try results.write()
    log("chapter 3: wrote \(out)/results.json")
    let stopped = state.entries.filter { $0.run.stopped != nil }
    if !stopped.isEmpty {
      log("chapter 3: note: " + stopped.map { "\($0.key) \($0.run.stopped!)" }.joined(separator: "; ")
          + "; their scores are those of the last good checkpoint (reported as results)")
    }
    if !state.failed.isEmpty {
      log("chapter 3: error: " + state.failed.map { "\($0.spec.name) \($0.stopped ?? "")" }.joined(separator: "; ")
          + "; results.json records the failure")
      throw ExitCode(1)
    }
  }
}

func displayName(_ key: String) -> String {
  key == "ali_longer" ? "ALI (longer)" : systemOrder.first { $0.key == key }?.name ?? key
}

/// `r`'s system scored in every batch-norm mode; the entry's scores, figure rows and probe are `evaluationMode`'s.
func scoredEntry(key: String, run r: SystemRun, epochs: Int, train: ImageDataset, test: ImageDataset,
                 reference ref: RealReference, probeData: ProbeData?, budget: Budget, seed: UInt64) -> SystemEntry {
  var all: [BatchNormMode: SystemScores] = [:]
  var figureRecon: Tensor?, figureSamples: Tensor?, probeResult: ProbeResult?
  for mode in BatchNormMode.allCases {
    let m = SystemInMode(r.system, mode: mode, train: train, seed: seed &+ 11)
    all[mode] = evaluate(m, reference: ref, seed: seed &+ 99)
    if mode == evaluationMode {
      figureRecon = reconstructions(m, test, 10)
      figureSamples = samples(m, 10, seed: 2024)
      if let probeData { probeResult = probe(m, probeData, budget: budget, seed: seed &+ 5) }
    }
    m.finish()
  }
  var scores = all[evaluationMode]!
  scores.probe = probeResult
  scores.otherModes = all.filter { $0.key != evaluationMode }
  var entry = SystemEntry(key: key, run: r, epochs: epochs, scores: scores)
  entry.reconstructions = figureRecon
  entry.samples = figureSamples
  return entry
}

/// One scored system.
struct SystemEntry {
  var key: String
  var run: SystemRun
  var epochs: Int
  var scores: SystemScores
  var reconstructions: Tensor?
  var samples: Tensor?
  init(key: String, run: SystemRun, epochs: Int, scores: SystemScores) {
    self.key = key; self.run = run; self.epochs = epochs; self.scores = scores
  }
  var summary: String {
    var s = String(format: "%@: %d epochs, %.1f s/epoch, %@ BN: IS %.2f, FD %.2f, KID %.4f, precision %.2f, recall %.2f",
                   displayName(key), epochs, run.secondsPerEpoch, scores.mode.rawValue, scores.isSamples.mean, scores.fdSamples,
                   scores.kid.mean, scores.precision, scores.recall)
    if let l1 = scores.reconL1 { s += String(format: ", recon L1 %.4f", l1) }
    if let p = scores.probe { s += String(format: ", probe error %.1f%% ± %.1f", 100 * p.mean, 100 * p.std) }
    return s
  }
  /// Whether the per-epoch quality curves had stopped improving (FD of samples; reconstruction L1 too where measured).
  /// How the quality curves ended, read up to the scored epoch (ALI's 5-epoch entry shares its run's 30-epoch curve).
  var stopping: String {
    let curve = { (key: String) in Array((run.history[key] ?? []).prefix(epochs)) }   // one point per epoch
    var parts = [stoppingNote(curve("curve_fd"), what: "FD of samples")]
    let l1 = curve("curve_l1")
    if !l1.isEmpty { parts.append(stoppingNote(l1, what: "reconstruction L1")) }
    return parts.joined(separator: "; ")
  }
  var json: [String: Any] {
    var j = scores.json
    j["configuration"] = RunCheckpoint.jsonObject(identity: run.spec.identity)
    j["epochs"] = epochs
    j["seconds_per_epoch"] = run.secondsPerEpoch
    j["images_per_second"] = run.secondsPerEpoch > 0 ? Double(run.iterationsPerEpoch * run.spec.batchSize) / run.secondsPerEpoch : 0
    j["parameters"] = run.system.parameterCount
    j["status"] = run.stopped ?? "completed"
    j["stopping"] = stopping
    j["curve"] = ["seconds": run.history["curve_seconds"] ?? [], "recon_l1": run.history["curve_l1"] ?? [],
                  "fd": run.history["curve_fd"] ?? []]
    return j
  }
}

/// What the claims, tables and JSON need.
struct ChapterState {
  var dataset: DatasetName
  var epochs: Int, longerEpochs: Int, trainImages: Int
  var reference: RealReference
  var entries: [SystemEntry] = []
  var longer: SystemEntry?
  /// Runs whose losses turned non-finite before any checkpoint (not evaluated).
  var failed: [SystemRun] = []
  var likelihood: LikelihoodResults?
  /// Probe errors of raw pixels and of the untrained AGE encoder.
  var probeBaselines: [String: ProbeResult] = [:]
  /// The published-architecture pair, and the analytic multiply-adds per image of the width-matched ALI and AGE.
  var epochTime: [EpochTimePair] = []
  var widthMatchedMACs: (ali: Double, age: Double)?
  func entry(_ key: String) -> SystemEntry? { key == "ali_longer" ? longer : entries.first { $0.key == key } }

  var systemsJSON: [String: Any] {
    var j: [String: Any] = [:]
    for e in entries { j[e.key] = e.json }
    if let l = longer, var ali = j["ali"] as? [String: Any] {
      ali["longer"] = l.json
      j["ali"] = ali
    }
    if let a = entry("age"), let b = entry("ali"), a.run.secondsPerEpoch > 0 {
      j["ali_age_epoch_time_ratio"] = b.run.secondsPerEpoch / a.run.secondsPerEpoch
    }
    var et: [String: Any] = [:]
    if let p = epochTime.first { et["published_celeba64"] = p.json }
    if epochTime.count > 1 { et["published_cifar32"] = epochTime[1].json }
    if let a = entry("age"), let b = entry("ali"), a.run.secondsPerEpoch > 0 {
      var w: [String: Any] = ["ali_seconds_per_epoch": b.run.secondsPerEpoch, "age_seconds_per_epoch": a.run.secondsPerEpoch,
                              "measured_ratio": b.run.secondsPerEpoch / a.run.secondsPerEpoch]
      if let m = widthMatchedMACs { w["ali_macs_per_image"] = m.ali; w["age_macs_per_image"] = m.age; w["analytic_ratio"] = m.ali / m.age }
      et["width_matched"] = w
    }
    if !et.isEmpty { j["epoch_time"] = et }
    if !probeBaselines.isEmpty {
      j["probe_baselines"] = probeBaselines.mapValues { ["mean": $0.mean, "std": $0.std, "draws": $0.errors.count] as [String: Any] }
    }
    if let l = likelihood {
      for s in l.scores {
        let key = s.key == "gan" ? "dcgan" : s.key
        var o = j[key] as? [String: Any] ?? [:]
        o["ais_loglik"] = ["mean": s.mean, "interval": s.interval.json, "sigma2": s.sigma2, "model": "mlp-10d (Wu et al.)",
                           "dataset": l.dataset.rawValue]
        j[key] = o
      }
    }
    return j
  }
}

extension LikelihoodResults {
  var json: [String: Any] {
    var models: [String: Any] = [:]
    for sc in scores {
      var j = sc.json
      j["wu_et_al"] = WuProtocol.published[sc.key] ?? "not published"
      j["age_paper"] = WuProtocol.agePaper[sc.key] ?? "not published"
      models[sc.key] = j
    }
    var calib: [String: Any] = ["calibrated": calibrated]
    for key in ["vae", "gan"] {
      if let c = calibration(key) {
        calib[key] = ["ours": c.ours.json, "published": c.published, "tolerance": WuProtocol.calibrationTolerance[key]!,
                      "within": c.within]
      }
    }
    let ppcaErrors = zip(ppcaAIS, ppcaExact).map { $0 - $1 }
    return ["dataset": dataset.rawValue, "models": models, "test_images": testImages, "train_images": trainImages,
            "validation_images": validationImages, "selection_images": selectionImages,
            "distributions": settings.distributions, "chains": settings.chains, "leapfrog_steps": settings.leapfrogSteps,
            "ais_seconds": aisSeconds, "calibration": calib,
            "mean_image": ["sigma2": meanImageSigma2, "mean": meanOf(meanImage), "interval": bootstrapMean(meanImage, seed: 3).json,
                           "ceiling": WuProtocol.ceiling(meanImageSigma2)],
            "ppca": ["sigma2": ppcaSigma2, "exact": meanOf(ppcaExact), "ais": meanOf(ppcaAIS),
                     "mean_abs_error": meanOf(ppcaErrors.map(Swift.abs)), "bias": meanOf(ppcaErrors),
                     "ceiling": WuProtocol.ceiling(ppcaSigma2)],
            "published_protocol": ["chains": WuProtocol.publishedAIS.chains, "distributions": WuProtocol.publishedAIS.distributions,
                                   "leapfrog_steps": WuProtocol.publishedAIS.leapfrog, "test_digits": WuProtocol.publishedAIS.testDigits,
                                   "train_images": WuProtocol.trainImages, "validation_images": WuProtocol.validationImages]]
  }
}
