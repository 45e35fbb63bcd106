//===--- AlphaGAN.swift ---------------------------------------------------===//
// alpha-GAN (Rosca et al. 2017), the variational-autoencoder GAN: an encoder, a
// generator, an image discriminator D and a code discriminator C, each updated
// separately per batch (Algorithm 1; the code-discriminator labels as corrected in
// later versions of Rosca et al. 2017, arXiv:1706.04987). With x^ = g(e(x)), x~ = g(z), z ~ N(0, I):
//   E, G:  lambda |x - x^|_1 + BCE(C(e(x)), 1) + BCE(D(x^), 1) + BCE(D(x~), 1)   (non-saturating)
//   D:     BCE(D(x), 1) + BCE(D(x^), 0) + BCE(D(x~), 0)
//   C:     BCE(C(z), 1) + BCE(C(e(x)), 0)
// lambda = 10 (the reference port's README); Adam lr 2e-4, betas (0.5, 0.999) for all four.
//===----------------------------------------------------------------------===//
import DeepLearning

/// alpha-GAN (see the file's header).
public final class AlphaGANSystem: GenerativeSystem {
  public let e: Sequential, g: Sequential, d: Sequential, c: Sequential
  public let optE: Adam, optG: Adam, optD: Adam, optC: Adam
  public let nz: Int
  public let lambda: Float
  public let recipe: SystemRecipe
  public let key = "alpha_gan"
  public var modules: [String: Module] { ["e": e, "g": g, "d": d, "c": c] }
  public var optimizers: [String: (Adam, Module)] {
    ["opt_e": (optE, e), "opt_g": (optG, g), "opt_d": (optD, d), "opt_c": (optC, c)]
  }

  /// With the DCGAN32 pair, image and code discriminators, and reconstruction weight `lambda`.
  public init(_ net: DCGAN32Config, lambda: Float = 10, optimizer: AdamSettings = .dcgan, rng: inout RandomGenerator) {
    nz = net.nz; self.lambda = lambda
    recipe = SystemRecipe(optimizer: optimizer, weights: ["lambda": lambda])
    var n = net; n.sphere = false
    e = makeEncoder32(n, rng: &rng)
    g = makeGenerator32(n, rng: &rng)
    d = makeImageDiscriminator32(channels: net.channels, ndf: net.ndf, rng: &rng)
    c = makeCodeDiscriminator(nz: net.nz, rng: &rng)
    optE = Adam(e.parameters, optimizer); optG = Adam(g.parameters, optimizer)
    optD = Adam(d.parameters, optimizer); optC = Adam(c.parameters, optimizer)
  }

  public func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float] {
    let n = x.shape[0]
    // ---- E and G, with D and C frozen.
    d.requiresGrad(false); c.requiresGrad(false)
    optE.zeroGrad(); optG.zeroGrad()
    let code = e(x)
    let xHat = g(code), xTilde = g(samplePrior(n, rng: &rng))
    let recon = l1Loss(xHat, x)
    let codeAdv = bceWithLogits(c(code), target: 1)
    let imageAdv = bceWithLogits(d(xHat), target: 1) + bceWithLogits(d(xTilde), target: 1)
    (recon * lambda + codeAdv + imageAdv).backward()
    optE.step(); optG.step()
    d.requiresGrad(true); c.requiresGrad(true)
    // ---- D on the same reconstructions and samples (detached).
    optD.zeroGrad()
    let lossD = bceWithLogits(d(x), target: 1) + bceWithLogits(d(xHat.detach()), target: 0)
      + bceWithLogits(d(xTilde.detach()), target: 0)
    lossD.backward()
    optD.step()
    // ---- C on prior samples and the codes.
    optC.zeroGrad()
    let lossC = bceWithLogits(c(samplePrior(n, rng: &rng)), target: 1) + bceWithLogits(c(code.detach()), target: 0)
    lossC.backward()
    optC.step()
    return ["recon_x": recon.item, "code_adv": codeAdv.item, "image_adv": imageAdv.item, "loss_d": lossD.item,
            "loss_c": lossC.item]
  }

  public func decode(_ z: Tensor) -> Tensor { g(z) }
  public func encode(_ x: Tensor) -> Tensor? { e(x) }
  public func features(_ x: Tensor) -> Tensor { encoderFeatures(e, x) }
}
