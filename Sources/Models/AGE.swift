//===--- AGE.swift --------------------------------------------------------===//
// One iteration of Adversarial Generator-Encoder training (Ulyanov et al. 2017,
// Section 2.3): one encoder update, then `generatorSteps` generator updates.
//
// With Delta the Gaussian-fit divergence of eq. (7), Z the prior (uniform on the
// sphere) and X the data:
//   encoder maximizes   V2 - mu L_X   with V2 = Delta(e(g(Z)) || Y) - Delta(e(X) || Y)   (eq. 5)
//     i.e. minimizes    Delta(e(X)) - Delta(e(g(Z))) + mu |x - g(e(x))|_1                (the L1 of the code)
//     [the released cAGE commands also weigh Delta(e(g(Z))) by kappa and add lambda_E L_Z(z, e(g(z)))]
//   generator minimizes V2 + lambda L_Z, L_Z = |z - e(g(z))|^2 (paper) or cosine (code)   (eq. 6)
// Real and generated batches go through the encoder separately, so batch-norm
// statistics are per batch, as in the released code.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Which latent reconstruction loss L_Z the generator uses.
public enum LatentLoss: String, CaseIterable, Codable, Sendable {
  /// Mean squared error, as the paper prints it.
  case l2
  /// The released code's cosine term (github.com/DmitryUlyanov/AGE, `src/utils.py`, `match`).
  case cosine
}

/// Hyperparameters of the AGE game.
public struct AGEConfig: Codable, Equatable, Sendable {
  public var mu: Float = 10
  public var lambda: Float = 1000
  public var generatorSteps = 2
  public var divergence: GaussianFitVariant = .paper
  public var latentLoss: LatentLoss = .l2
  /// Weight of L_X inside the generator objective (Fig. 9's ablation; 0 in AGE).
  public var generatorLX: Float = 0
  /// Drop both reconstruction terms (Fig. 5c's ablation: alignment only).
  public var alignmentOnly = false
  /// kappa: weight of Delta(e(g(Z))) in the encoder objective (1 in eq. 5; 0.5 in the released
  /// cAGE commands, `--e_updates "1;KL_fake:0.5,..."`).
  public var encoderFakeWeight: Float = 1
  /// lambda_E: weight of L_Z(z, e(g(z))) in the encoder objective (0 in eq. 5; 10 in the released
  /// `cars_reconstruction` command, `match_z:10` in `--e_updates`): it trains e to read z back out of g(z).
  public var encoderLZ: Float = 0
  /// The paper's recipe: mu 10, lambda 1000, two generator steps, eq. (7) with the standard deviation, L2 latent loss.
  public init() {}
  /// The released code's choices: variance in place of sd, mean over dims, cosine L_Z.
  public static var officialCode: AGEConfig {
    var c = AGEConfig(); c.divergence = .officialCode; c.latentLoss = .cosine; return c
  }
}

/// Losses of one iteration (generator losses averaged over its steps).
public struct AGEStepStats: Sendable {
  public var klReal: Float = 0, klFakeE: Float = 0, reconX: Float = 0, lossE: Float = 0
  public var klFakeG: Float = 0, reconZ: Float = 0, lossG: Float = 0
  /// L_Z(z, e(g(z))) in the encoder update (recorded when its weight lambda_E > 0).
  public var reconZE: Float = 0
  /// Mean over dimensions of the batch variance of the real codes e(x) (1/M when they are
  /// spread uniformly over the sphere; near 0 when the encoder collapses).
  public var codeVariance: Float = 0
  public var isFinite: Bool {
    [klReal, klFakeE, reconX, lossE, klFakeG, reconZ, lossG, reconZE, codeVariance].allSatisfy { $0.isFinite }
  }
}

/// An encoder e, a generator g, their Adam optimizers and the prior sampler.
public final class AGETrainer {
  public let e: Sequential, g: Sequential
  public let optE: Adam, optG: Adam
  public var config: AGEConfig
  public let nz: Int
  /// Sphere prior (normalized Gaussians) or a standard Gaussian prior.
  public let spherePrior: Bool
  /// The optimiser settings of both networks.
  public let optimizer: AdamSettings

  /// AGE on encoder e ([N, C, H, W] -> [N, nz]) and generator g ([N, nz] -> images), each with its own Adam.
  public init(e: Sequential, g: Sequential, nz: Int, config: AGEConfig, optimizer: AdamSettings = .dcgan, spherePrior: Bool = true) {
    self.e = e; self.g = g; self.nz = nz; self.config = config; self.spherePrior = spherePrior; self.optimizer = optimizer
    optE = Adam(e.parameters, optimizer)
    optG = Adam(g.parameters, optimizer)
  }

  /// z ~ Z: uniform on S^{M-1} (or N(0, I)), shape [n, M].
  public func sampleZ(_ n: Int, rng: inout RandomGenerator) -> Tensor {
    spherePrior ? Tensor.uniformOnSphere(n, nz, rng: &rng) : Tensor.normal([n, nz], rng: &rng)
  }

  /// One encoder update and `generatorSteps` generator updates on the real batch `x`
  /// (`nextRealBatch` feeds the Fig. 9 ablation's generator L_X).
  @discardableResult
  public func step(x: Tensor, nextRealBatch: () -> Tensor, rng: inout RandomGenerator) -> AGEStepStats {
    ageIteration(e: e, g: g, optE: optE, optG: optG, config: config, x: x, condition: (),
                 encode: { x, _ in e(x) }, generate: { z, _ in g(z) }, sampleZ: { sampleZ($0, rng: &rng) },
                 batchPerGeneratorStep: false, realBatch: { (nextRealBatch(), ()) })
  }
}

/// One AGE iteration (eq. 5-6), written once for unconditional AGE (condition Void) and
/// conditional AGE (condition L): `encode(x, c)` = e(x | c), `generate(z, c)` = g(z | c).
/// With `batchPerGeneratorStep` each generator step draws a fresh real batch for its condition
/// (conditional AGE); otherwise `realBatch` is drawn only for a generator L_X term.
func ageIteration<C>(e: Module, g: Module, optE: Adam, optG: Adam, config c: AGEConfig, x: Tensor, condition: C,
                     encode: (Tensor, C) -> Tensor, generate: (Tensor, C) -> Tensor, sampleZ: (Int) -> Tensor,
                     batchPerGeneratorStep: Bool, realBatch: () -> (x: Tensor, c: C)) -> AGEStepStats {
  var s = AGEStepStats()
  // ---- encoder update: minimize Delta(e(x)) - Delta(e(g(z))) + mu L_X, g frozen.
  g.requiresGrad(false); e.requiresGrad(true)
  optE.zeroGrad()
  let ex = encode(x, condition)
  s.codeVariance = meanColumnVariance(ex)
  let klReal = gaussianFitKL(ex, variant: c.divergence)
  var lossE = klReal
  if !c.alignmentOnly {
    let reconX = l1Loss(generate(ex, condition), x)           // L_X = |x - g(e(x))|_1
    lossE = lossE + reconX * c.mu
    s.reconX = reconX.item
  }
  let zE = sampleZ(x.shape[0])
  let fake = withNoGrad { generate(zE, condition) }
  let egzE = encode(fake, condition)
  let klFake = gaussianFitKL(egzE, variant: c.divergence)
  lossE = lossE - klFake * c.encoderFakeWeight
  if c.encoderLZ > 0 {
    let rz = latentLoss(egzE, zE, c)
    lossE = lossE + rz * c.encoderLZ
    s.reconZE = rz.item
  }
  lossE.backward()
  optE.step()
  s.klReal = klReal.item; s.klFakeE = klFake.item; s.lossE = lossE.item

  // ---- generator updates: minimize Delta(e(g(z))) + lambda L_Z [+ nu L_X], e frozen.
  e.requiresGrad(false); g.requiresGrad(true)
  for _ in 0..<c.generatorSteps {
    optG.zeroGrad()
    let fresh = batchPerGeneratorStep ? realBatch() : nil
    let cond = fresh?.c ?? condition
    let z = sampleZ(fresh?.x.shape[0] ?? x.shape[0])
    let egz = encode(generate(z, cond), cond)
    let kl = gaussianFitKL(egz, variant: c.divergence)
    var lossG = kl
    if !c.alignmentOnly {
      let rz = latentLoss(egz, z, c)
      lossG = lossG + rz * c.lambda
      s.reconZ += rz.item / Float(c.generatorSteps)
    }
    if c.generatorLX > 0 {
      let r = fresh ?? realBatch()
      lossG = lossG + l1Loss(generate(encode(r.x, r.c), r.c), r.x) * c.generatorLX
    }
    lossG.backward()
    optG.step()
    s.klFakeG += kl.item / Float(c.generatorSteps); s.lossG += lossG.item / Float(c.generatorSteps)
  }
  e.requiresGrad(true)
  return s
}

/// L_Z(z, e(g(z))): mean squared error (the paper) or the released code's cosine term.
func latentLoss(_ egz: Tensor, _ z: Tensor, _ c: AGEConfig) -> Tensor {
  c.latentLoss == .l2 ? mseLoss(egz, z) : cosineLoss(egz, z)
}

/// Mean over columns of the biased variance of each column of [N, M].
func meanColumnVariance(_ t: Tensor) -> Float {
  let n = t.shape[0], m = t.count / n
  var total = 0.0
  for j in 0..<m {
    var s = 0.0, s2 = 0.0
    for i in 0..<n { let v = Double(t.data[i * m + j]); s += v; s2 += v * v }
    total += s2 / Double(n) - (s / Double(n)) * (s / Double(n))
  }
  return Float(total / Double(m))
}
