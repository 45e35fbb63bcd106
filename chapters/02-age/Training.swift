//===--- Training.swift ---------------------------------------------------===//
// One AGE training run (Section 2.3 of the paper) through ChapterKit's TrainingLoop
// (checkpoints in runs/02-age/<profile>/<name>-<hash>/, resume, progress), with a
// guard that stops the run when the real codes collapse (their per-dimension
// variance stays far below 1/M for a whole epoch: codes that recover within an
// epoch are not a collapse); the loop restores the last checkpoint.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Libm
import Models

/// Everything that defines a run; the hash of its encoded configuration names the checkpoint folder.
struct RunSpec {
  var name: String
  var dataset: DatasetName
  var net: DCGAN32Config
  var age: AGEConfig
  var epochs: Int
  var trainImages: Int
  var seed: UInt64
  /// Iterations after which a copy of the checkpoint is kept (iter-N.safetensors).
  var keepIterations: Set<Int> = []
  /// Stop after this many iterations (mid-epoch if need be) instead of after `epochs`.
  var maxIterations: Int?
  /// Halve the learning rate every this many epochs (the released CIFAR-10 recipe); nil: constant.
  var lrHalvingEpochs: Int?
  /// Adam for e and g (DCGAN's recipe, as the released code).
  var optimizer = AdamSettings.dcgan
  /// Real images per iteration.
  var batchSize = 64

  /// The settings that change the numbers, as a run records them (not the epoch count: a longer run
  /// continues a shorter one).
  struct Configuration: Codable {
    var dataset: DatasetName, trainImages: Int, seed: UInt64
    var net: DCGAN32Config, age: AGEConfig, optimizer: AdamSettings, batchSize: Int
    var lrHalvingEpochs: Int?
  }
  var configuration: Configuration {
    Configuration(dataset: dataset, trainImages: trainImages, seed: seed, net: net, age: age, optimizer: optimizer,
                  batchSize: batchSize, lrHalvingEpochs: lrHalvingEpochs)
  }

  var identity: String { RunCheckpoint.canonicalJSON(configuration) }
  /// The recipe in words, read from this run's configuration (claim text).
  var recipeText: String {
    "mu = \(String(format: "%g", age.mu)), lambda = \(String(format: "%g", age.lambda)), \(age.generatorSteps) generator steps, "
      + "Adam lr \(String(format: "%g", optimizer.lr)) (betas \(String(format: "%g", optimizer.beta1)), \(String(format: "%g", optimizer.beta2))), batch \(batchSize)"
  }
  var folder: String { RunCheckpoint.folderName(name, identity: identity) }
}

/// A trained (or partly trained) run.
final class TrainedRun {
  let spec: RunSpec
  let trainer: AGETrainer
  let loop: TrainingLoop
  init(spec: RunSpec, trainer: AGETrainer, loop: TrainingLoop) { self.spec = spec; self.trainer = trainer; self.loop = loop }
  /// Per-iteration series by `historyKeys` (up to a guard stop).
  var history: [String: [Float]] { loop.history }
  var epochsDone: Int { loop.epochsDone }
  var secondsPerEpoch: [Float] { loop.epochSeconds }
  var resumedFromEpoch: Int { loop.resumedFrom / loop.iterationsPerEpoch }
  /// Set when the guard stopped the run.
  var stopped: String? { loop.stop?.description }
  /// Whether it stopped on non-finite losses (an error) rather than collapsed codes (a result).
  var nonFinite: Bool { loop.stop?.nonFinite == true }
  /// False when its networks hold no trained state worth evaluating (non-finite before any checkpoint).
  var usable: Bool { loop.usable }
  /// Iterations trained, up to a guard stop (the curves' length).
  var iterations: Int { history["kl_real"]?.count ?? 0 }
  /// Training seconds, partial epochs included.
  var trainSeconds: Double { loop.trainSeconds }
}

/// The per-iteration series of a run: eq. (5)'s and (6)'s terms, the real codes' variance and both objectives.
let historyKeys = ["kl_real", "kl_fake_e", "recon_x", "kl_fake_g", "recon_z", "code_var", "loss_e", "loss_g"]

/// Iterations between checkpoints within an epoch (a guard stop goes back at most this far).
let checkpointEvery = 250

/// The networks, trainer and registered checkpoint state of `spec`, as initialised by its seed.
func makeRun(_ spec: RunSpec, data: ImageDataset, runsDir: String) -> (AGETrainer, TrainingLoop) {
  var rng = RandomGenerator(seed: spec.seed)
  let e = makeEncoder32(spec.net, rng: &rng)
  let g = makeGenerator32(spec.net, rng: &rng)
  let trainer = AGETrainer(e: e, g: g, nz: spec.net.nz, config: spec.age, optimizer: spec.optimizer)
  var ckpt = RunCheckpoint()
  ckpt.modules = ["e": e, "g": g]
  ckpt.optimizers = ["opt_e": (trainer.optE, e), "opt_g": (trainer.optG, g)]
  ckpt.generators = ["z": rng.split(), "lx": rng.split()]
  ckpt.sampler = BatchSampler(count: data.count, batchSize: spec.batchSize, seed: spec.seed &+ 17)
  return (trainer, TrainingLoop(name: spec.name, identity: spec.identity, runsDir: runsDir, checkpoint: ckpt))
}

/// Builds the networks and trains `spec` on `data` (32x32, in [-1, 1]), resuming from the
/// run's checkpoint unless `fresh`. Throws for unreadable or foreign checkpoints; a guard stop is
/// recorded in `stopped` with the networks restored to the run's last checkpoint.
func trainAGE(_ spec: RunSpec, data: ImageDataset, runsDir: String, fresh: Bool) throws -> TrainedRun {
  let perEpoch = try checkedBatches(data)
  let (trainer, loop) = makeRun(spec, data: data, runsDir: runsDir)
  loop.keep = spec.keepIterations
  loop.checkpointEvery = checkpointEvery
  try loop.start(fresh: fresh)
  let collapseFloor = 0.01 / Float(spec.net.nz)
  let patience = max(50, perEpoch)
  var lowVarianceRun = 0
  let baseLR = trainer.optE.lr
  trainer.e.train(); trainer.g.train()
  try loop.train(until: spec.maxIterations ?? spec.epochs * perEpoch, step: { batch, streams in
    var z = streams["z"]!, lx = streams["lx"]!
    defer { streams["z"] = z; streams["lx"] = lx }
    let s = trainer.step(x: data.batch(batch), nextRealBatch: {
      data.batch((0..<spec.batchSize).map { _ in lx.int(below: data.count) })
    }, rng: &z)
    return zip(historyKeys, [s.klReal, s.klFakeE, s.reconX, s.klFakeG, s.reconZ, s.codeVariance, s.lossE, s.lossG])
      .map { ($0, $1) }
  }, check: { values in
    let v = values.first { $0.name == "code_var" }!.value
    lowVarianceRun = v < collapseFloor ? lowVarianceRun + 1 : 0
    guard lowVarianceRun >= patience else { return nil }
    return String(format: "the real codes collapsed (per-dimension variance %.2g for %d iterations; 1/M = %.3g)",
                  v, patience, 1 / Float(spec.net.nz))
  }, epochStart: { epoch in
    guard let every = spec.lrHalvingEpochs else { return }
    let lr = baseLR * Float(Math.pow(0.5, Double(epoch / every)))
    trainer.optE.lr = lr; trainer.optG.lr = lr
  })
  return TrainedRun(spec: spec, trainer: trainer, loop: loop)
}

/// Loads the networks of `spec` as saved after `iteration` (kept by `keepIterations`).
func loadSnapshot(_ spec: RunSpec, iteration: Int, runsDir: String) throws -> AGETrainer {
  var rng = RandomGenerator(seed: spec.seed)
  let e = makeEncoder32(spec.net, rng: &rng), g = makeGenerator32(spec.net, rng: &rng)
  let trainer = AGETrainer(e: e, g: g, nz: spec.net.nz, config: spec.age, optimizer: spec.optimizer)
  try TrainingLoop.loadKept(["e": e, "g": g], runsDir: runsDir, name: spec.name, identity: spec.identity, iteration: iteration)
  return trainer
}
