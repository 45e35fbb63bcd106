//===--- ToyGames.swift ---------------------------------------------------===//
// The three games of the toy protocol on the protocol's networks: a GAN and ALI
// as PacGAN's code trains them (the discriminator and the generator side updated
// together from one forward pass, Blocks' `ali_algorithm`), and AGE with its own
// alternation (one encoder update, then two generator updates, per iteration).
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Models

/// A system trained on 2-D points.
protocol ToySystem: AnyObject {
  /// One training iteration on a real batch x [N, 2]; returns its losses.
  func step(_ x: Tensor, rng: inout RandomGenerator) -> StepValues
  var generator: Sequential { get }
  /// The networks and optimizers a checkpoint of the run holds, by name.
  var modules: [String: Module] { get }
  var optimizers: [String: (Adam, Module)] { get }
  /// n codes [n, 2] from the system's prior.
  func prior(_ n: Int, rng: inout RandomGenerator) -> Tensor
}

/// Batches of prior codes the generator's batch-norm statistics are estimated on before sampling.
let preciseBatches = 50

extension ToySystem {
  func prior(_ n: Int, rng: inout RandomGenerator) -> Tensor { Tensor.normal([n, 2], rng: &rng) }

  /// n samples [n, 2] from the generator in evaluation mode, its batch-norm statistics estimated on
  /// `preciseBatches` batches of 100 prior codes (precise BN; the training statistics are restored
  /// afterwards). AGE's generator also normalises batches of codes e(x) in training, so its running
  /// statistics mix two populations; a GAN's or ALI's generator sees only prior codes.
  func sample(_ n: Int, rng: inout RandomGenerator) -> Tensor {
    let saved = BatchNormStatistics([generator])
    defer { saved.restore(); generator.train() }
    var r = rng.split()
    estimatePreciseStatistics([generator], batches: preciseBatches) { _ in _ = generator(prior(100, rng: &r)) }
    return withNoGrad { generator(prior(n, rng: &rng)) }.detach()
  }
}

/// Backward passes of a discriminator loss and a generator-side loss computed from one forward pass,
/// then both updates (Blocks' `ali_algorithm`: the gradient of each loss with respect to its own players).
private func simultaneousUpdate(lossD: Tensor, d: Module, optD: Adam, lossG: Tensor, players: [Module], optG: [Adam]) {
  for o in optG { o.zeroGrad() }
  optD.zeroGrad()
  d.requiresGrad(false)
  lossG.backward()
  d.requiresGrad(true); for p in players { p.requiresGrad(false) }
  lossD.backward()
  for p in players { p.requiresGrad(true) }
  for o in optG { o.step() }
  optD.step()
}

/// GAN with the non-saturating generator loss: D minimizes softplus(-D(x)) + softplus(D(g(z))),
/// g minimizes softplus(-D(g(z))) (PacGAN's `compute_losses`).
final class ToyGAN: ToySystem {
  let g: Sequential, d: Sequential
  let optG: Adam, optD: Adam
  var generator: Sequential { g }
  init(_ p: ToyProtocol, rng: inout RandomGenerator) {
    g = p.generator(rng: &rng); d = p.discriminator(inputs: 2, rng: &rng)
    optG = Adam(g.parameters, p.optimizer); optD = Adam(d.parameters, p.optimizer)
  }
  var modules: [String: Module] { ["g": g, "d": d] }
  var optimizers: [String: (Adam, Module)] { ["opt_g": (optG, g), "opt_d": (optD, d)] }
  func step(_ x: Tensor, rng: inout RandomGenerator) -> StepValues {
    let z = Tensor.normal([x.shape[0], 2], rng: &rng)
    let dReal = d(x), dFake = d(g(z))
    let lossD = bceWithLogits(dReal, target: 1) + bceWithLogits(dFake, target: 0)
    let lossG = bceWithLogits(dFake, target: 1)
    simultaneousUpdate(lossD: lossD, d: d, optD: optD, lossG: lossG, players: [g], optG: [optG])
    return [("loss_d", lossD.item), ("loss_g", lossG.item)]
  }
}

/// ALI (Dumoulin et al. 2017) as in its mixture experiment: the encoder maps [x, eps], eps ~ N(0, I_2),
/// to z_hat; D sees joint pairs [x, z]; the encoder and generator minimize the swapped losses.
final class ToyALI: ToySystem {
  let g: Sequential, e: Sequential, d: Sequential
  let optG: Adam, optE: Adam, optD: Adam
  var generator: Sequential { g }
  init(_ p: ToyProtocol, rng: inout RandomGenerator) {
    g = p.generator(rng: &rng); e = p.encoder(inputs: 4, rng: &rng); d = p.discriminator(inputs: 4, rng: &rng)
    optG = Adam(g.parameters, p.optimizer); optE = Adam(e.parameters, p.optimizer)
    optD = Adam(d.parameters, p.optimizer)
  }
  var modules: [String: Module] { ["g": g, "e": e, "d": d] }
  var optimizers: [String: (Adam, Module)] { ["opt_g": (optG, g), "opt_e": (optE, e), "opt_d": (optD, d)] }
  func step(_ x: Tensor, rng: inout RandomGenerator) -> StepValues {
    let n = x.shape[0]
    let zHat = e(Tensor.concat([x, Tensor.normal([n, 2], rng: &rng)], axis: 1))
    let z = Tensor.normal([n, 2], rng: &rng)
    let dReal = d(Tensor.concat([x, zHat], axis: 1)), dFake = d(Tensor.concat([g(z), z], axis: 1))
    let lossD = bceWithLogits(dReal, target: 1) + bceWithLogits(dFake, target: 0)
    let lossG = bceWithLogits(dReal, target: 0) + bceWithLogits(dFake, target: 1)
    simultaneousUpdate(lossD: lossD, d: d, optD: optD, lossG: lossG, players: [g, e], optG: [optG, optE])
    return [("loss_d", lossD.item), ("loss_g", lossG.item)]
  }
}

/// AGE's latent space on the toys.
enum ToyLatent: String, CaseIterable, Sendable {
  /// Z = N(0, I_2), the encoder's output bounded to (-3, 3) by 3 tanh.
  case gaussian
  /// Z uniform on S^1, the encoder's output L2-normalized (the paper's image setting).
  case sphere
}

/// AGE (eq. 5-6 with the paper's formulas) on the protocol's generator, with the ALI encoder's trunk
/// (x -> 2 x 400 BN-ReLU -> 2) followed by the latent space's output map.
final class ToyAGE: ToySystem {
  let trainer: AGETrainer
  let latent: ToyLatent
  var generator: Sequential { trainer.g }
  init(_ p: ToyProtocol, latent: ToyLatent, mu: Float, lambda: Float, rng: inout RandomGenerator) {
    self.latent = latent
    let g = p.generator(rng: &rng)
    let trunk = p.encoder(inputs: 2, rng: &rng)
    let e = latent == .sphere ? Sequential(trunk, L2Normalize()) : Sequential(trunk, Tanh(), Lambda("Scale(3)") { $0 * 3 })
    var c = AGEConfig()
    c.mu = mu; c.lambda = lambda
    trainer = AGETrainer(e: e, g: g, nz: 2, config: c, optimizer: p.optimizer, spherePrior: latent == .sphere)
  }
  var modules: [String: Module] { ["e": trainer.e, "g": trainer.g] }
  var optimizers: [String: (Adam, Module)] { ["opt_e": (trainer.optE, trainer.e), "opt_g": (trainer.optG, trainer.g)] }
  func step(_ x: Tensor, rng: inout RandomGenerator) -> StepValues {
    let s = trainer.step(x: x, nextRealBatch: { x }, rng: &rng)
    return [("loss_e", s.lossE), ("loss_g", s.lossG), ("kl_real", s.klReal), ("kl_fake", s.klFakeE), ("recon_x", s.reconX),
            ("recon_z", s.reconZ)]
  }
  func prior(_ n: Int, rng: inout RandomGenerator) -> Tensor { trainer.sampleZ(n, rng: &rng) }
}

/// Where and how the toy runs keep their checkpoints.
struct ToyRuns {
  /// The checkpoint folder (runs/01-theory/<profile> unless --runs).
  let dir: String
  /// Whether to ignore existing checkpoints (--fresh).
  let fresh: Bool
}

/// What identifies one toy run: its checkpoint is refused by any other.
struct ToyRunSpec: Codable {
  let mixture: String
  /// The run's key in the study ("GAN seed 3", "sweep sphere mu 10 lambda 100 seed 1000", ...).
  let run: String
  let steps: Int
  let seed: UInt64
  let settings: ToyProtocol
}

/// Trains `system` for `steps` iterations through the library's `TrainingLoop` (checkpoint at every
/// epoch end, resume, non-finite guard) on batches of a fixed training set of the protocol,
/// reshuffled every epoch, then scores it. The training set and the batch order come from a stream
/// split off `rng`; the steps draw from `rng` itself.
func trainAndScore(_ system: ToySystem, spec: ToyRunSpec, runs: ToyRuns, mix: Mixture, protocol p: ToyProtocol,
                   rng: inout RandomGenerator) throws -> (score: ToyScore, samples: Tensor) {
  var dataRng = rng.split()
  let data = p.trainingSet(mix, rng: &dataRng)
  let first = dataRng.permutation(p.trainingSetSize)
  var c = RunCheckpoint()
  c.modules = system.modules
  c.optimizers = system.optimizers
  c.generators = ["train": rng]
  c.sampler = BatchSampler(count: p.trainingSetSize, batchSize: p.batch,
                           state: (epoch: 0, position: 0, order: first, rng: dataRng.state))
  let name = "toy-\(spec.mixture)-" + spec.run.map { $0 == " " || $0 == "=" ? "-" : $0 }
  let loop = TrainingLoop(name: name, identity: RunCheckpoint.canonicalJSON(spec), runsDir: runs.dir, checkpoint: c)
  loop.showsProgress = false
  try loop.start(fresh: runs.fresh)
  var batch = [Float](repeating: 0, count: 2 * p.batch)
  try loop.train(until: spec.steps) { indices, streams in
    for (i, j) in indices.enumerated() { batch[2 * i] = data[2 * j]; batch[2 * i + 1] = data[2 * j + 1] }
    return system.step(Tensor(shape: [p.batch, 2], data: batch), rng: &streams["train"]!)
  }
  if let stop = loop.stop { log("  \(name): \(stop.description); scored as it stands") }
  rng = loop.checkpoint.generators["train"]!
  return score(system, mix: mix, protocol: p, rng: &rng)
}

/// The protocol's scores of a trained system (2,500 samples; ALI's rule on 10,000).
func score(_ system: ToySystem, mix: Mixture, protocol p: ToyProtocol, rng: inout RandomGenerator) -> (score: ToyScore, samples: Tensor) {
  let s = system.sample(p.evalSamples, rng: &rng)
  var sc = mix.score(s)
  sc.modesALI = Double(mix.modesALI(system.sample(p.aliRuleSamples, rng: &rng)))
  return (sc, s)
}
