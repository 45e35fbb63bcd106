//===--- AAE.swift --------------------------------------------------------===//
// The adversarial autoencoder (Makhzani et al. 2016) with the DCGAN32 pair: a
// deterministic encoder, a code discriminator C telling prior samples z ~ N(0, I)
// from codes e(x), and per batch
//   C step:      BCE(C(z), 1) + BCE(C(e(x)), 0)
//   E, G step:   rho |x - g(e(x))|_1 + BCE(C(e(x)), 1)     (reconstruction and regularization)
// The paper's separate reconstruction and regularization phases are merged into one
// E, G update with weight rho on the reconstruction (10, AGE's mu), as common ports do
// (Makhzani et al. 2015, arXiv:1511.05644, Section 2). Adam lr 2e-4, betas (0.5, 0.999).
//===----------------------------------------------------------------------===//
import DeepLearning

/// The adversarial autoencoder (see the file's header).
public final class AAESystem: GenerativeSystem {
  public let e: Sequential, g: Sequential, c: Sequential
  public let optAE: Adam, optC: Adam
  public let nz: Int
  public let rho: Float
  public let recipe: SystemRecipe
  public let key = "aae"
  let pair: Sequential
  public var modules: [String: Module] { ["e": e, "g": g, "c": c] }
  public var optimizers: [String: (Adam, Module)] { ["opt_ae": (optAE, pair), "opt_c": (optC, c)] }

  /// With the DCGAN32 pair, a code discriminator and reconstruction weight `rho`.
  public init(_ net: DCGAN32Config, rho: Float = 10, optimizer: AdamSettings = .dcgan, rng: inout RandomGenerator) {
    nz = net.nz; self.rho = rho
    recipe = SystemRecipe(optimizer: optimizer, weights: ["rho": rho])
    var n = net; n.sphere = false
    e = makeEncoder32(n, rng: &rng)
    g = makeGenerator32(n, rng: &rng)
    c = makeCodeDiscriminator(nz: net.nz, rng: &rng)
    pair = Sequential(e, g)
    optAE = Adam(pair.parameters, optimizer)
    optC = Adam(c.parameters, optimizer)
  }

  public func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float] {
    // ---- C: prior samples -> 1, codes -> 0.
    let code = e(x)
    c.requiresGrad(true)
    optC.zeroGrad()
    let lossC = bceWithLogits(c(samplePrior(x.shape[0], rng: &rng)), target: 1)
      + bceWithLogits(c(code.detach()), target: 0)
    lossC.backward()
    optC.step()
    // ---- E, G: reconstruct, and make the codes look like prior samples.
    c.requiresGrad(false)
    optAE.zeroGrad()
    let recon = l1Loss(g(code), x)
    let adv = bceWithLogits(c(code), target: 1)
    (recon * rho + adv).backward()
    optAE.step()
    c.requiresGrad(true)
    return ["loss_c": lossC.item, "recon_x": recon.item, "adv": adv.item]
  }

  public func decode(_ z: Tensor) -> Tensor { g(z) }
  public func encode(_ x: Tensor) -> Tensor? { e(x) }
  public func features(_ x: Tensor) -> Tensor { encoderFeatures(e, x) }
}
