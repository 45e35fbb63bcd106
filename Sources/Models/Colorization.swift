//===--- Colorization.swift -----------------------------------------------===//
// The conditional AGE networks of the paper's Section 3.2 (colorization), after the
// released code's `cAGE` branch (github.com/DmitryUlyanov/AGE, `models/conditional_64px.py`), at any size divisible by 8:
//   g(z | L): [L, z tiled into constant maps] [N, 1+M, S, S]
//             -> Conv(1+M, ngf, k5 s2 p2) BN ReLU -> Conv(ngf, ngf, k5 s2 p2)        (S/4)
//             -> `blocks` x ResidualBlock(ngf)
//             -> Conv(ngf, 2*16, k3 p1, bias) -> PixelShuffle(4) -> ab [N, 2, S, S]   (no output nonlinearity)
//   e(x | L): the DCGAN encoder on the whole Lab image [N, 3, S, S] -> [N, M] on the unit sphere.
// Lab is scaled as pix2pix scales it: L/50 - 1 and ab/110 (Datasets/LabImages.swift).
//===----------------------------------------------------------------------===//
import DeepLearning

/// Sizes of the conditional AGE pair.
public struct ColorizationConfig: Codable, Equatable, Sendable {
  /// Latent dimension M (3 in the paper, 16 in the released code).
  public var nz: Int
  /// Generator and encoder widths.
  public var ngf: Int, ndf: Int
  /// Residual blocks in the generator (10 in the released code).
  public var blocks: Int
  /// Image side S (32 for CIFAR-10, 64 for Stanford Cars).
  public var size: Int
  /// The released cAGE networks' sizes (see the properties).
  public init(nz: Int = 3, ngf: Int = 64, ndf: Int = 64, blocks: Int = 10, size: Int = 32) {
    precondition(size % 8 == 0 && size >= 16, "ColorizationConfig: size must be a multiple of 8, at least 16")
    self.nz = nz; self.ngf = ngf; self.ndf = ndf; self.blocks = blocks; self.size = size
  }
}

/// x + body(x) with body = [ReflectionPad(1), Conv3x3, BN, ReLU, ReflectionPad(1), Conv3x3, BN]
/// (the released code's ResNet block). Input and output [N, C, H, W].
public final class ResidualBlock: Module {
  public let body: Sequential
  public var isTraining = true
  /// A residual block on `channels` channels.
  public init(_ channels: Int, rng: inout RandomGenerator) {
    body = Sequential(
      ReflectionPad2d(1), Conv2d(channels, channels, kernelSize: 3, bias: false, rng: &rng), BatchNorm2d(channels), ReLU(),
      ReflectionPad2d(1), Conv2d(channels, channels, kernelSize: 3, bias: false, rng: &rng), BatchNorm2d(channels))
  }
  public var children: [(String, Module)] { [("body", body)] }
  public func forward(_ x: Tensor) -> Tensor { x + body(x) }
}

/// torch.nn.ReflectionPad2d(p).
public func ReflectionPad2d(_ p: Int) -> Lambda { Lambda("ReflectionPad2d(\(p))") { $0.reflectionPad2d(p) } }

/// The generator body: [N, 1 + M, S, S] -> ab [N, 2, S, S]. Use `colorize` to call it with (L, z).
public func makeColorizationGenerator(_ c: ColorizationConfig, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = [
    Conv2d(1 + c.nz, c.ngf, kernelSize: 5, stride: 2, padding: 2, bias: false, rng: &rng), BatchNorm2d(c.ngf), ReLU(),
    Conv2d(c.ngf, c.ngf, kernelSize: 5, stride: 2, padding: 2, rng: &rng),
  ]
  for _ in 0..<c.blocks { layers.append(ResidualBlock(c.ngf, rng: &rng)) }
  layers += [Conv2d(c.ngf, 2 * 16, kernelSize: 3, padding: 1, rng: &rng), Lambda("PixelShuffle(4)") { $0.pixelShuffle(4) }]
  let g = Sequential(layers)
  dcganInit(g, rng: &rng)   // the released code's weights_init overwrites the ResNet's own init
  return g
}

/// The encoder: Lab [N, 3, S, S] -> [N, M] on the unit sphere (DCGAN discriminator layout:
/// stride-2 convolutions down to 4x4, then a 4x4 convolution to M).
public func makeColorizationEncoder(_ c: ColorizationConfig, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = [Conv2d(3, c.ndf, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng), LeakyReLU(0.2)]
  var side = c.size / 2, width = c.ndf
  while side > 4 {
    layers += [Conv2d(width, width * 2, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),
               BatchNorm2d(width * 2), LeakyReLU(0.2)]
    width *= 2; side /= 2
  }
  layers += [Conv2d(width, c.nz, kernelSize: 4, stride: 1, padding: 0, bias: true, rng: &rng), Flatten(), L2Normalize()]
  let e = Sequential(layers)
  dcganInit(e, rng: &rng)
  return e
}

/// g(z | L): the lightness L [N, 1, S, S] with the codes z [N, M] tiled into constant maps.
public func colorize(_ g: Module, l: Tensor, z: Tensor) -> Tensor {
  g(Tensor.concat([l, z.tileSpatial(l.shape[2], l.shape[3])], axis: 1))
}

/// e(x | L): the code of the Lab image [L, ab].
public func encodeLab(_ e: Module, l: Tensor, ab: Tensor) -> Tensor {
  e(Tensor.concat([l, ab], axis: 1))
}
