//===--- DCGAN32.swift ----------------------------------------------------===//
// A reduced DCGAN-style 32x32 encoder and generator, the pair the PyTorch yardstick of
// `make bench` also uses. The released code's `dcgan32px` (github.com/DmitryUlyanov/AGE,
// `models/`) is wider: its generator has 512-256-128-128 channels and a 1x1 head.
//   g: z [N, M] -> ConvT(M, 4ngf, k4 s1 p0) BN ReLU -> ConvT(4ngf, 2ngf, k4 s2 p1) BN ReLU
//      -> ConvT(2ngf, ngf, k4 s2 p1) BN ReLU -> ConvT(ngf, C, k4 s2 p1) Tanh -> x [N, C, 32, 32]
//   e: x -> Conv(C, ndf, k4 s2 p1) LReLU(0.2) -> Conv(ndf, 2ndf) BN LReLU -> Conv(2ndf, 4ndf) BN LReLU
//      -> Conv(4ndf, M, k4 s1 p0, bias) -> [N, M], projected onto the unit sphere.
// No biases before batch norm. Introduced for chapter 2; shared by the benchmark.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Sizes of the 32x32 DCGAN pair.
public struct DCGAN32Config: Sendable, Equatable {
  /// Image channels C (1 for MNIST-like data, 3 for CIFAR-10).
  public var channels: Int
  /// Latent dimension M.
  public var nz: Int
  /// Generator and encoder widths.
  public var ngf: Int, ndf: Int
  /// Project encoder outputs onto the unit sphere (AGE) or leave them in R^M.
  public var sphere: Bool = true
  public init(channels: Int, nz: Int, ngf: Int = 64, ndf: Int = 64, sphere: Bool = true) {
    self.channels = channels; self.nz = nz; self.ngf = ngf; self.ndf = ndf; self.sphere = sphere
  }
  /// The benchmark's `mnist32` configuration.
  public static let mnist32 = DCGAN32Config(channels: 1, nz: 64)
  /// The benchmark's `cifar32` configuration.
  public static let cifar32 = DCGAN32Config(channels: 3, nz: 128)
}

/// g(z): [N, M] -> [N, C, 32, 32] in [-1, 1].
public func makeGenerator32(_ c: DCGAN32Config, rng: inout RandomGenerator) -> Sequential {
  let g = Sequential(
    Unflatten(),
    ConvTranspose2d(c.nz, c.ngf * 4, kernelSize: 4, stride: 1, padding: 0, bias: false, rng: &rng),  // 4x4
    BatchNorm2d(c.ngf * 4), ReLU(),
    ConvTranspose2d(c.ngf * 4, c.ngf * 2, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 8x8
    BatchNorm2d(c.ngf * 2), ReLU(),
    ConvTranspose2d(c.ngf * 2, c.ngf, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 16x16
    BatchNorm2d(c.ngf), ReLU(),
    ConvTranspose2d(c.ngf, c.channels, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 32x32
    Tanh())
  dcganInit(g, rng: &rng)
  return g
}

/// e(x): [N, C, 32, 32] -> [N, M], on the unit sphere when `sphere`.
public func makeEncoder32(_ c: DCGAN32Config, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = [
    Conv2d(c.channels, c.ndf, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng), LeakyReLU(0.2),  // 16x16
    Conv2d(c.ndf, c.ndf * 2, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 8x8
    BatchNorm2d(c.ndf * 2), LeakyReLU(0.2),
    Conv2d(c.ndf * 2, c.ndf * 4, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 4x4
    BatchNorm2d(c.ndf * 4), LeakyReLU(0.2),
    Conv2d(c.ndf * 4, c.nz, kernelSize: 4, stride: 1, padding: 0, bias: true, rng: &rng),  // 1x1
    Flatten(),
  ]
  if c.sphere { layers.append(L2Normalize()) }
  let e = Sequential(layers)
  dcganInit(e, rng: &rng)
  return e
}
