//===--- AGESystem.swift --------------------------------------------------===//
// AGE (Ulyanov et al. 2017) as one of chapter 3's systems: the DCGAN32 pair of
// chapter 2, trained by AGETrainer (eq. 5-6). The code is e(x) on the sphere.
//===----------------------------------------------------------------------===//
import DeepLearning

/// AGE as a chapter 3 system.
public final class AGESystem: GenerativeSystem {
  public let trainer: AGETrainer
  public let key = "age"
  public var nz: Int { trainer.nz }
  public var recipe: SystemRecipe {
    SystemRecipe(optimizer: trainer.optimizer, age: trainer.config, spherePrior: trainer.spherePrior)
  }
  public var modules: [String: Module] { ["e": trainer.e, "g": trainer.g] }
  public var optimizers: [String: (Adam, Module)] { ["opt_e": (trainer.optE, trainer.e), "opt_g": (trainer.optG, trainer.g)] }

  /// Wraps a trainer.
  public init(trainer: AGETrainer) { self.trainer = trainer }
  /// With the DCGAN32 pair of chapter 2 (codes and prior on the sphere).
  public convenience init(_ net: DCGAN32Config, config: AGEConfig, rng: inout RandomGenerator) {
    var c = net; c.sphere = true
    let e = makeEncoder32(c, rng: &rng), g = makeGenerator32(c, rng: &rng)
    self.init(trainer: AGETrainer(e: e, g: g, nz: c.nz, config: config))
  }

  public func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float] {
    let s = trainer.step(x: x, nextRealBatch: { x }, rng: &rng)
    return ["kl_real": s.klReal, "kl_fake": s.klFakeE, "recon_x": s.reconX, "recon_z": s.reconZ,
            "code_var": s.codeVariance]
  }
  public func samplePrior(_ n: Int, rng: inout RandomGenerator) -> Tensor { trainer.sampleZ(n, rng: &rng) }
  public func decode(_ z: Tensor) -> Tensor { trainer.g(z) }
  public func encode(_ x: Tensor) -> Tensor? { trainer.e(x) }
  public func features(_ x: Tensor) -> Tensor { encoderFeatures(trainer.e, x) }
}
