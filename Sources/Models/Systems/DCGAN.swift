//===--- DCGAN.swift ------------------------------------------------------===//
// DCGAN (Radford et al. 2016), the sample-quality baseline of the paper's Fig. 5b:
// the DCGAN32 generator against an image discriminator of the encoder's shape, with
// the non-saturating loss and one D and one G update per batch:
//   D: BCE(D(x), 1) + BCE(D(g(z)), 0)        G: BCE(D(g(z)), 1)
// Adam lr 2e-4, betas (0.5, 0.999). No encoder: its probe features are D's last hidden layer.
//===----------------------------------------------------------------------===//
import DeepLearning

/// DCGAN, a generator without an encoder (see the file's header).
public final class DCGANSystem: GenerativeSystem {
  public let g: Sequential, d: Sequential
  public let optG: Adam, optD: Adam
  public let nz: Int
  public let recipe: SystemRecipe
  public let key = "dcgan"
  public var modules: [String: Module] { ["g": g, "d": d] }
  public var optimizers: [String: (Adam, Module)] { ["opt_g": (optG, g), "opt_d": (optD, d)] }

  /// From its networks: g [N, M] -> images, d images -> logits [N, 1].
  public init(g: Sequential, d: Sequential, nz: Int, optimizer: AdamSettings = .dcgan) {
    self.g = g; self.d = d; self.nz = nz
    recipe = SystemRecipe(optimizer: optimizer)
    optG = Adam(g.parameters, optimizer); optD = Adam(d.parameters, optimizer)
  }
  /// With the DCGAN32 generator and an image discriminator of the encoder's shape.
  public convenience init(_ net: DCGAN32Config, optimizer: AdamSettings = .dcgan, rng: inout RandomGenerator) {
    var n = net; n.sphere = false
    let g = makeGenerator32(n, rng: &rng)
    self.init(g: g, d: makeImageDiscriminator32(channels: net.channels, ndf: net.ndf, rng: &rng), nz: net.nz, optimizer: optimizer)
  }

  public func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float] {
    let fake = g(samplePrior(x.shape[0], rng: &rng))
    d.requiresGrad(true)
    optD.zeroGrad()
    let lossD = bceWithLogits(d(x), target: 1) + bceWithLogits(d(fake.detach()), target: 0)
    lossD.backward()
    optD.step()
    d.requiresGrad(false)
    optG.zeroGrad()
    let lossG = bceWithLogits(d(fake), target: 1)
    lossG.backward()
    optG.step()
    d.requiresGrad(true)
    return ["loss_d": lossD.item, "loss_g": lossG.item]
  }

  public func decode(_ z: Tensor) -> Tensor { g(z) }
  public func encode(_ x: Tensor) -> Tensor? { nil }
  public func features(_ x: Tensor) -> Tensor { hiddenAndOutput(d, x).hidden }
}
