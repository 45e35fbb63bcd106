//===--- Training.swift ---------------------------------------------------===//
// Training runs of the two colorization systems through ChapterKit's TrainingLoop
// (checkpoints in runs/04-colorization/<profile>/<name>-<hash>/, resume, progress):
// conditional AGE for a number of epochs, pix2pix for a number of iterations fixed
// per setting (Budget.pix2pixIterations: about AGE's wall time on the reference
// machine, the same count on every machine, so one seed gives one result). A guard
// stops an AGE run whose real codes collapse (a result); non-finite losses stop
// either (an error); the loop restores the run's last checkpoint.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Models

enum System: String { case age, pix2pix }

/// Everything that changes a run's numbers; its hash names the checkpoint folder.
struct RunSpec {
  var name: String
  var system: System
  var net: ColorizationConfig
  /// The AGE recipe (its M is net.nz); pix2pix ignores it.
  var recipe: ColorRecipe
  var trainImages: Int
  var seed: UInt64
  /// The run's label: "<setting>-<recipe>" for AGE, "<setting>-pix2pix".
  var label: String { system == .age ? "\(name)-\(recipe.name)" : "\(name)-pix2pix" }
  /// The settings that change the numbers, as a run records them; each system's own settings only.
  struct Configuration: Codable {
    var name: String, system: String, trainImages: Int, seed: UInt64, batchSize: Int
    var net: ColorizationConfig
    var recipe: ColorRecipe?
    var pix2pix: Pix2PixSettings?
  }
  /// pix2pix's recipe: Adam, the L1 weight, the noise maps (net.nz).
  struct Pix2PixSettings: Codable {
    var optimizer = AdamSettings(lr: pix2pixLR, beta1: 0.5)
    var lambdaL1: Float = 100
  }
  var configuration: Configuration {
    Configuration(name: name, system: system.rawValue, trainImages: trainImages, seed: seed, batchSize: batchSize, net: net,
                  recipe: system == .age ? recipe : nil, pix2pix: system == .pix2pix ? Pix2PixSettings() : nil)
  }
  var identity: String { RunCheckpoint.canonicalJSON(configuration) }
  var folder: String { RunCheckpoint.folderName(label, identity: identity) }
}

/// A trained (or partly trained) run of either system.
final class ColorRun {
  let spec: RunSpec
  let age: ConditionalAGETrainer?
  let pix2pix: Pix2PixTrainer?
  let loop: TrainingLoop
  init(spec: RunSpec, age: ConditionalAGETrainer?, pix2pix: Pix2PixTrainer?, loop: TrainingLoop) {
    self.spec = spec; self.age = age; self.pix2pix = pix2pix; self.loop = loop
  }
  var history: [String: [Float]] { loop.history }
  /// Fractional epochs trained.
  var epochsDone: Double { Double(loop.iterations) / Double(loop.iterationsPerEpoch) }
  var trainSeconds: Double { loop.trainSeconds }
  var stopped: String? { loop.stop?.description }
  var nonFinite: Bool { loop.stop?.nonFinite == true }
  var usable: Bool { loop.usable }
  /// Iterations trained, up to a guard stop (the curves' length).
  var iterations: Int { history.values.first?.count ?? 0 }
  var generator: Module { age?.g ?? pix2pix!.g }
  var codeDimension: Int { age?.nz ?? pix2pix!.noiseMaps }
  func sampleCodes(_ n: Int, rng: inout RandomGenerator) -> Tensor {
    Tensor.uniformOnSphere(n, codeDimension, rng: &rng)
  }
}

let ageHistoryKeys = ["kl_real", "kl_fake_e", "recon_x", "kl_fake_g", "recon_z", "recon_z_e", "code_var", "loss_e", "loss_g"]
let pix2pixHistoryKeys = ["loss_d", "gan_g", "l1"]

/// pix2pix's Adam learning rate (Isola et al.'s 2e-4, betas (0.5, 0.999)).
let pix2pixLR: Float = 2e-4

/// Iterations between checkpoints within an epoch (a guard stop goes back at most this far).
let checkpointEvery = 250

/// Builds the networks of `spec` and its training loop (without training them).
func makeRun(_ spec: RunSpec, data: LabImages, runsDir: String) -> ColorRun {
  var rng = RandomGenerator(seed: spec.seed)
  var ckpt = RunCheckpoint()
  var age: ConditionalAGETrainer?, pix: Pix2PixTrainer?
  switch spec.system {
  case .age:
    let e = makeColorizationEncoder(spec.net, rng: &rng), g = makeColorizationGenerator(spec.net, rng: &rng)
    let t = ConditionalAGETrainer(e: e, g: g, nz: spec.net.nz, config: spec.recipe.age,
                                      optimizer: spec.recipe.optimizer)
    ckpt.modules = ["e": e, "g": g]
    ckpt.optimizers = ["opt_e": (t.optE, e), "opt_g": (t.optG, g)]
    age = t
  case .pix2pix:
    let g = UNet(inChannels: 1 + 3, outChannels: 2, ngf: spec.net.ngf, downs: log2(spec.net.size), rng: &rng)
    let d = makePatchGAN(inChannels: 3, ndf: spec.net.ndf, layers: spec.net.size >= 64 ? 3 : 2, rng: &rng)
    let p = RunSpec.Pix2PixSettings()
    let t = Pix2PixTrainer(g: g, d: d, noiseMaps: spec.net.nz, lambdaL1: p.lambdaL1, optimizer: p.optimizer)
    ckpt.modules = ["pg": g, "pd": d]
    ckpt.optimizers = ["opt_pg": (t.optG, g), "opt_pd": (t.optD, d)]
    pix = t
  }
  ckpt.generators = ["z": rng.split(), "l": rng.split()]
  ckpt.sampler = BatchSampler(count: data.count, batchSize: batchSize, seed: spec.seed &+ 17)
  let loop = TrainingLoop(name: spec.label, identity: spec.identity, runsDir: runsDir, checkpoint: ckpt)
  return ColorRun(spec: spec, age: age, pix2pix: pix, loop: loop)
}

func log2(_ n: Int) -> Int { var k = 0; while (1 << (k + 1)) <= n { k += 1 }; return k }

/// Trains `spec` on `data` for `iterations`, resuming from its checkpoint unless `fresh`.
func train(_ spec: RunSpec, data: LabImages, iterations: Int, runsDir: String, fresh: Bool) throws -> ColorRun {
  _ = try checkedBatches(count: data.count, name: "\(spec.name) training images")
  let run = makeRun(spec, data: data, runsDir: runsDir)
  let loop = run.loop
  loop.checkpointEvery = checkpointEvery
  try loop.start(fresh: fresh)
  run.generator.train()
  (run.age?.e ?? run.pix2pix!.d).train()
  let collapseFloor = 0.01 / Float(spec.net.nz)
  var lowVarianceRun = 0
  try loop.train(until: iterations, step: { batch, streams in
    var z = streams["z"]!, lr = streams["l"]!
    defer { streams["z"] = z; streams["l"] = lr }
    let (l, ab) = data.batch(batch)
    if let t = run.age {
      let s = t.step(l: l, ab: ab, nextBatch: { data.batch((0..<batchSize).map { _ in lr.int(below: data.count) }) }, rng: &z)
      return zip(ageHistoryKeys, [s.klReal, s.klFakeE, s.reconX, s.klFakeG, s.reconZ, s.reconZE, s.codeVariance, s.lossE, s.lossG])
        .map { ($0, $1) }
    }
    let s = run.pix2pix!.step(l: l, ab: ab, rng: &z)
    return zip(pix2pixHistoryKeys, [s.lossD, s.ganG, s.l1]).map { ($0, $1) }
  }, check: { values in
    guard let v = values.first(where: { $0.name == "code_var" })?.value else { return nil }
    lowVarianceRun = v < collapseFloor ? lowVarianceRun + 1 : 0
    guard lowVarianceRun >= 50 else { return nil }
    return String(format: "the real codes collapsed (per-dimension variance %.2g for 50 iterations; 1/M = %.3g)",
                  v, 1 / Float(spec.net.nz))
  }, epochStart: { epoch in
    guard let t = run.age else { return }
    let lr = spec.recipe.lr(epoch: epoch)
    t.optE.lr = lr; t.optG.lr = lr
  })
  return run
}
