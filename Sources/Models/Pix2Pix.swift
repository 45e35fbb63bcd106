//===--- Pix2Pix.swift ----------------------------------------------------===//
// pix2pix (Isola et al. 2017) as the paper's colorization baseline, "with added
// noise maps" (github.com/junyanz/pytorch-CycleGAN-and-pix2pix, `models/networks.py`):
// the U-Net generator sees L and three constant
// noise maps, a conditional PatchGAN discriminator sees [L, ab], and the losses are
//   D: 0.5 [BCE(D(L, G(L, n)), 0) + BCE(D(L, ab), 1)]
//   G: BCE(D(L, G(L, n)), 1) + 100 |G(L, n) - ab|_1
// one D step, then one G step per batch; Adam 2e-4, betas (0.5, 0.999).
//===----------------------------------------------------------------------===//
import DeepLearning

/// The U-Net of pix2pix (`UnetGenerator`) with `downs` stride-2 levels (log2 S to reach 1x1):
/// down i: [LeakyReLU(0.2) unless i = 0] Conv4x4 s2 [BN unless outermost or innermost];
/// up i:   ReLU ConvT4x4 s2 [BN, then concat with the skip of level i-1 | Tanh at the outermost].
/// Channels ngf * min(2^i, 8). Input [N, inChannels, S, S] -> [N, outChannels, S, S].
public final class UNet: Module {
  public let downs: [Conv2d], downNorms: [BatchNorm2d?]
  public let ups: [ConvTranspose2d], upNorms: [BatchNorm2d?]
  public var isTraining = true

  /// A U-Net [N, inChannels, S, S] -> [N, outChannels, S, S] with `depth` stride-2 levels (S = 2^depth).
  public init(inChannels: Int, outChannels: Int, ngf: Int, downs depth: Int, rng: inout RandomGenerator) {
    let widths = (0..<depth).map { ngf * min(1 << $0, 8) }
    var d: [Conv2d] = [], dn: [BatchNorm2d?] = [], u: [ConvTranspose2d] = [], un: [BatchNorm2d?] = []
    for i in 0..<depth {
      let inC = i == 0 ? inChannels : widths[i - 1]
      d.append(Conv2d(inC, widths[i], kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng))
      dn.append(i == 0 || i == depth - 1 ? nil : BatchNorm2d(widths[i]))
      let upIn = i == depth - 1 ? widths[i] : 2 * widths[i]
      let upOut = i == 0 ? outChannels : widths[i - 1]
      u.append(ConvTranspose2d(upIn, upOut, kernelSize: 4, stride: 2, padding: 1, bias: i == 0, rng: &rng))
      un.append(i == 0 ? nil : BatchNorm2d(upOut))
    }
    downs = d; downNorms = dn; ups = u; upNorms = un
    dcganInit(self, rng: &rng)
  }

  public var children: [(String, Module)] {
    var c: [(String, Module)] = []
    for i in downs.indices {
      c.append(("down\(i)", downs[i]))
      if let n = downNorms[i] { c.append(("down\(i)_norm", n)) }
      c.append(("up\(i)", ups[i]))
      if let n = upNorms[i] { c.append(("up\(i)_norm", n)) }
    }
    return c
  }

  public func forward(_ x: Tensor) -> Tensor {
    var skips: [Tensor] = []
    var h = x
    for i in downs.indices {
      if i > 0 { h = h.leakyRelu(0.2) }
      h = downs[i](h)
      if let n = downNorms[i] { h = n(h) }
      skips.append(h)
    }
    for i in downs.indices.reversed() {
      h = ups[i](h.relu())
      if let n = upNorms[i] { h = Tensor.concat([skips[i - 1], n(h)], axis: 1) } else { h = h.tanh() }
    }
    return h
  }
}

/// The PatchGAN discriminator (`NLayerDiscriminator`): Conv4 s2 LReLU, then `layers - 1`
/// Conv4 s2 BN LReLU, one Conv4 s1 BN LReLU and a Conv4 s1 to one logit per patch.
/// [N, C, S, S] -> [N, 1, P, P].
public func makePatchGAN(inChannels: Int, ndf: Int, layers: Int, rng: inout RandomGenerator) -> Sequential {
  var m: [Module] = [Conv2d(inChannels, ndf, kernelSize: 4, stride: 2, padding: 1, rng: &rng), LeakyReLU(0.2)]
  var width = ndf
  for n in 1...layers {
    let next = ndf * min(1 << n, 8)
    m += [Conv2d(width, next, kernelSize: 4, stride: n < layers ? 2 : 1, padding: 1, bias: false, rng: &rng),
          BatchNorm2d(next), LeakyReLU(0.2)]
    width = next
  }
  m.append(Conv2d(width, 1, kernelSize: 4, stride: 1, padding: 1, rng: &rng))
  let d = Sequential(m)
  dcganInit(d, rng: &rng)
  return d
}

/// Losses of one pix2pix iteration.
public struct Pix2PixStepStats: Sendable {
  public var lossD: Float = 0, ganG: Float = 0, l1: Float = 0
  public var isFinite: Bool { lossD.isFinite && ganG.isFinite && l1.isFinite }
}

/// pix2pix with `noiseMaps` constant noise maps (codes on the sphere, tiled as AGE tiles z).
public final class Pix2PixTrainer {
  public let g: UNet, d: Sequential
  public let optG: Adam, optD: Adam
  public let noiseMaps: Int
  public var lambdaL1: Float

  /// pix2pix on generator g and PatchGAN discriminator d, with `noiseMaps` noise channels and L1 weight `lambdaL1`.
  public init(g: UNet, d: Sequential, noiseMaps: Int = 3, lambdaL1: Float = 100, optimizer: AdamSettings = .dcgan) {
    self.g = g; self.d = d; self.noiseMaps = noiseMaps; self.lambdaL1 = lambdaL1
    optG = Adam(g.parameters, optimizer)
    optD = Adam(d.parameters, optimizer)
  }

  /// The noise codes [n, noiseMaps], uniform on the sphere like AGE's z.
  public func sampleNoise(_ n: Int, rng: inout RandomGenerator) -> Tensor { Tensor.uniformOnSphere(n, noiseMaps, rng: &rng) }

  /// G(L, n): ab [N, 2, S, S] in [-1, 1].
  public func generate(l: Tensor, noise: Tensor) -> Tensor { colorize(g, l: l, z: noise) }

  @discardableResult
  public func step(l: Tensor, ab: Tensor, rng: inout RandomGenerator) -> Pix2PixStepStats {
    var s = Pix2PixStepStats()
    let fake = generate(l: l, noise: sampleNoise(l.shape[0], rng: &rng))
    // ---- D: real pairs -> 1, generated pairs -> 0.
    d.requiresGrad(true)
    optD.zeroGrad()
    let lossD = (bceWithLogits(d(Tensor.concat([l, fake.detach()], axis: 1)), target: 0)
                 + bceWithLogits(d(Tensor.concat([l, ab], axis: 1)), target: 1)) * 0.5
    lossD.backward()
    optD.step()
    // ---- G: fool D, stay close to the true colours.
    d.requiresGrad(false)
    optG.zeroGrad()
    let gan = bceWithLogits(d(Tensor.concat([l, fake], axis: 1)), target: 1)
    let l1 = l1Loss(fake, ab)
    (gan + l1 * lambdaL1).backward()
    optG.step()
    d.requiresGrad(true)
    s.lossD = lossD.item; s.ganG = gan.item; s.l1 = l1.item
    return s
  }
}
