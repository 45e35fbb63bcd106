//===--- VAE.swift --------------------------------------------------------===//
// The variational autoencoder (Kingma and Welling 2014) with the DCGAN32 pair: a
// Gaussian encoder q(z|x) = N(mu(x), sigma(x)^2), a standard Gaussian prior and a
// Gaussian observation model p(x|z) = N(g(z), s^2 I) with a fixed s. It minimizes
// the negative ELBO per image:
//   sum_pixels (x - g(z))^2 / (2 s^2) + KL(q(z|x) || N(0, I)),  z = mu + sigma * eps.
// Adam lr 2e-4, betas (0.5, 0.999), as AGE.
//===----------------------------------------------------------------------===//
import DeepLearning

/// The variational autoencoder (see the file's header).
public final class VAESystem: GenerativeSystem {
  public let e: Sequential, g: Sequential
  public let opt: Adam
  public let nz: Int
  /// The observation model's standard deviation s (on the [-1, 1] pixel scale).
  public let observationSD: Float
  public let recipe: SystemRecipe
  public let key = "vae"
  /// One module holding both networks, so one Adam updates them.
  let pair: Sequential
  public var modules: [String: Module] { ["e": e, "g": g] }
  public var optimizers: [String: (Adam, Module)] { ["opt": (opt, pair)] }

  /// From its networks: e gives [N, 2M] (mean, log sd), g maps [N, M] to images.
  public init(e: Sequential, g: Sequential, nz: Int, observationSD: Float = 0.2, optimizer: AdamSettings = .dcgan) {
    self.e = e; self.g = g; self.nz = nz; self.observationSD = observationSD
    recipe = SystemRecipe(optimizer: optimizer, weights: ["observation_sd": observationSD])
    pair = Sequential(e, g)
    opt = Adam(pair.parameters, optimizer)
  }
  /// With the DCGAN32 pair.
  public convenience init(_ net: DCGAN32Config, observationSD: Float = 0.2, optimizer: AdamSettings = .dcgan, rng: inout RandomGenerator) {
    var ec = net; ec.sphere = false; ec.nz = 2 * net.nz
    let e = makeEncoder32(ec, rng: &rng)
    var gc = net; gc.sphere = false
    self.init(e: e, g: makeGenerator32(gc, rng: &rng), nz: net.nz, observationSD: observationSD, optimizer: optimizer)
  }

  public func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float] {
    let n = Float(x.shape[0])
    let (mu, logSigma) = splitGaussian(e(x))
    let z = mu + logSigma.exp() * Tensor.normal(mu.shape, rng: &rng)
    let xr = g(z)
    let s2 = observationSD * observationSD
    let recon = (xr - x).square().sum() * (1 / (2 * s2 * n))        // E_q[-log p(x|z)] + const, per image
    let kl = gaussianKL(mu: mu, logVar: logSigma * 2)                  // per image
    opt.zeroGrad()
    (recon + kl).backward()
    opt.step()
    return ["recon": recon.item, "kl": kl.item, "l1": l1Loss(xr, x).item]
  }

  public func decode(_ z: Tensor) -> Tensor { g(z) }
  public func encode(_ x: Tensor) -> Tensor? { splitGaussian(e(x)).mu }
  public func features(_ x: Tensor) -> Tensor { encoderFeatures(e, x) { splitGaussian($0).mu } }
}
