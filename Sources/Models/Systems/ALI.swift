//===--- ALI.swift --------------------------------------------------------===//
// ALI (Dumoulin et al. 2017) and its deterministic-encoder twin BiGAN (Donahue et
// al. 2017). A discriminator D(x, z) tells encoder pairs (x, z^ ~ q(z|x)) from
// decoder pairs (x~ = G(z), z ~ N(0, I)); with logits d = D(x, z^), s = D(x~, z):
//   L_D = softplus(-d) + softplus(s)                    (D says 1 for encoder pairs)
//   L_G = softplus(d) + softplus(-s)                    (E and G swap the labels: non-saturating)
// As ALI's code does (github.com/IshmaelBelghazi/ALI, `ali/bricks.py`, `ALI.compute_losses`):
// real and generated pairs go through D in one
// batch of 2N, and D, E and G are updated simultaneously from that one forward pass
// (no alternation). ALI's encoder is Gaussian, z^ = mu(x) + sigma(x) * eps; BiGAN's is
// deterministic. Adam lr 1e-4, betas (0.5, 0.999) as ALI's scripts.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Splits a Gaussian encoder's output [N, 2M] into the mean and the log standard deviation, [N, M] each.
public func splitGaussian(_ h: Tensor) -> (mu: Tensor, logSigma: Tensor) {
  let m = h.shape[1] / 2
  return (h.narrow(axis: 1, start: 0, length: m), h.narrow(axis: 1, start: m, length: m))
}

/// ALI (Gaussian encoder) or BiGAN (deterministic encoder) (see the file's header).
public final class ALISystem: GenerativeSystem {
  public let e: Sequential, g: Sequential, d: JointDiscriminator
  public let optE: Adam, optG: Adam, optD: Adam
  /// ALI (Gaussian encoder) or BiGAN (deterministic encoder).
  public let stochastic: Bool
  public let recipe: SystemRecipe
  public let nz: Int
  public var key: String { stochastic ? "ali" : "bigan" }
  public var modules: [String: Module] { ["e": e, "g": g, "d": d] }
  public var optimizers: [String: (Adam, Module)] { ["opt_e": (optE, e), "opt_g": (optG, g), "opt_d": (optD, d)] }

  /// From its networks: e gives [N, 2M] (mean, log sd) for ALI or [N, M] for BiGAN.
  public init(e: Sequential, g: Sequential, d: JointDiscriminator, nz: Int, stochastic: Bool, optimizer: AdamSettings = .ali) {
    self.e = e; self.g = g; self.d = d; self.nz = nz; self.stochastic = stochastic
    recipe = SystemRecipe(optimizer: optimizer, stochasticEncoder: stochastic)
    optE = Adam(e.parameters, optimizer)
    optG = Adam(g.parameters, optimizer)
    optD = Adam(d.parameters, optimizer)
  }

  /// With the DCGAN32 pair and ALI's joint discriminator at width ndf.
  public convenience init(_ net: DCGAN32Config, stochastic: Bool, optimizer: AdamSettings = .ali, seed: UInt64,
                          rng: inout RandomGenerator) {
    var ec = net; ec.sphere = false
    if stochastic { ec.nz = 2 * net.nz }
    let e = makeEncoder32(ec, rng: &rng)
    var gc = net; gc.sphere = false
    let g = makeGenerator32(gc, rng: &rng)
    let d = JointDiscriminator(channels: net.channels, nz: net.nz, ndf: net.ndf, seed: seed, rng: &rng)
    self.init(e: e, g: g, d: d, nz: net.nz, stochastic: stochastic, optimizer: optimizer)
  }

  /// z^ ~ q(z | x): mu + sigma * eps for ALI, e(x) for BiGAN.
  func posteriorSample(_ x: Tensor, rng: inout RandomGenerator) -> Tensor {
    guard stochastic else { return e(x) }
    let (mu, logSigma) = splitGaussian(e(x))
    return mu + logSigma.exp() * Tensor.normal(mu.shape, rng: &rng)
  }

  public func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float] {
    let n = x.shape[0]
    let z = Tensor.normal([n, nz], rng: &rng)
    let zHat = posteriorSample(x, rng: &rng)
    let xTilde = g(z)
    let xIn = Tensor.concat([x, xTilde], axis: 0), zIn = Tensor.concat([zHat, z], axis: 0)
    let logits = d(x: xIn, z: zIn)                                   // [2N, 1]: one forward pass
    let dEnc = logits.narrow(axis: 0, start: 0, length: n), dDec = logits.narrow(axis: 0, start: n, length: n)
    let lossD = (-dEnc).softplus().mean() + dDec.softplus().mean()
    let lossG = dEnc.softplus().mean() + (-dDec).softplus().mean()
    optD.zeroGrad(); optE.zeroGrad(); optG.zeroGrad()
    // dL_D/dD: stop the backward pass at D's inputs (E and G take no part in it).
    xIn.requiresGrad = false; zIn.requiresGrad = false
    lossD.backward()
    xIn.requiresGrad = true; zIn.requiresGrad = true
    // dL_G/d(E, G) through D, with D's weights left out.
    d.requiresGrad(false)
    lossG.backward()
    d.requiresGrad(true)
    optD.step(); optE.step(); optG.step()
    return ["loss_d": lossD.item, "loss_g": lossG.item, "d_enc": dEnc.sigmoid().mean().item,
            "d_dec": dDec.sigmoid().mean().item]
  }

  public func decode(_ z: Tensor) -> Tensor { g(z) }
  public func encode(_ x: Tensor) -> Tensor? { stochastic ? splitGaussian(e(x)).mu : e(x) }
  public func features(_ x: Tensor) -> Tensor { encoderFeatures(e, x) { stochastic ? splitGaussian($0).mu : $0 } }
  /// Reseeds D's dropout masks (at each epoch, so a resumed run repeats them).
  public func prepareEpoch(_ epoch: Int, seed: UInt64) { d.reseedDropout(seed &+ UInt64(epoch) &* 1000) }
}
