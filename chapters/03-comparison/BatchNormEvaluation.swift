//===--- BatchNormEvaluation.swift ----------------------------------------===//
// Every system scored in the three batch-norm modes of Evaluation/BatchNormModes.swift:
// running statistics as trained, batch statistics of evaluation batches of the
// training size, and precise BN (running statistics re-estimated on 100 real-only or
// prior-only training batches). The chapter's verdicts read `evaluationMode`.
//
// Why precise BN: the systems normalise different populations in training (AGE's
// encoder sees real and generated batches, ALI's and the VAE's only real ones; AGE's
// generator sees prior draws and codes of real images, ALI's only prior draws), so the
// running averages mix populations differently from system to system. Re-estimating
// them on the population each evaluation feeds puts every system on the same footing,
// as chapters 2 and 4 do.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Evaluation
import Models

/// The chapter's batch-norm mode for every verdict, figure and probe.
let evaluationMode = BatchNormMode.precise
/// Real (or prior) training batches of 64 for precise BN.
let preciseBatches = 100

/// A system's generator and encoder in one batch-norm mode. Precise BN estimates e on real training
/// batches, g on prior batches and, separately, g on the codes of real batches (PairInMode.swift).
/// A system without an encoder (DCGAN) gets an identity e whose "real batches" are prior draws, so
/// both of g's estimates are on the prior. `finish()` restores the trained statistics and training mode.
final class SystemInMode {
  let system: GenerativeSystem
  let mode: BatchNormMode
  let hasEncoder: Bool
  private let pair: PairInMode
  /// e's raw output [N, M] or [N, 2M] -> the code [N, M] (the mean half for Gaussian encoders).
  private let code: (Tensor) -> Tensor

  init(_ s: GenerativeSystem, mode: BatchNormMode, train: ImageDataset, seed: UInt64) {
    system = s; self.mode = mode
    let e = s.modules["e"]
    let gaussian = s is VAESystem || (s as? ALISystem)?.stochastic == true
    let codeOf: (Tensor) -> Tensor = gaussian ? { splitGaussian($0).mu } : { $0 }
    hasEncoder = e != nil; code = codeOf
    var orderRNG = RandomGenerator(seed: seed)
    let order = orderRNG.permutation(train.count)
    var priorRNG = RandomGenerator(seed: seed &+ 1)
    let prior = { (n: Int) in s.samplePrior(n, rng: &priorRNG) }
    let realBatch = { (k: Int) in train.batch((0..<64).map { order[(k * 64 + $0) % order.count] }) }
    s.eval()   // the networks outside the pair (discriminators) too: DCGAN's probe features come from D
    pair = PairInMode(e: e ?? Sequential(), g: s.modules["g"]!, mode: mode, batchSize: 64, preciseBatches: preciseBatches,
                      realBatch: e == nil ? { _ in prior(64) } : realBatch, prior: prior,
                      codeInput: { c, _ in codeOf(c) })
  }

  /// g(z) for prior draws z [N, M].
  func sample(_ z: Tensor) -> Tensor { pair.sample(z) }
  /// g(e(x)) for images x [N, C, H, W] (nil without an encoder).
  func reconstruct(_ x: Tensor) -> Tensor? { hasEncoder ? pair.decode(code(pair.encode(x))) : nil }
  /// Probe features of images x (running or precise statistics: the encoder's are left in place by g's passes).
  func features(_ x: Tensor) -> Tensor {
    precondition(mode != .batch, "SystemInMode.features: probes run with running or precise statistics")
    return withNoGrad { system.features(x) }
  }
  func finish() { pair.finish(); system.train() }
}
