//===--- DCGAN32.swift ----------------------------------------------------===//
// Two 32x32 encoder-generator pairs (NCHW):
// - `reduced`, the DCGAN-style pair the chapters train at narrow widths and the PyTorch
//   yardstick of `make bench` uses:
//   g: z [N, M] -> ConvT(M, 4ngf, k4 s1 p0) BN ReLU -> ConvT(4ngf, 2ngf, k4 s2 p1) BN ReLU
//      -> ConvT(2ngf, ngf, k4 s2 p1) BN ReLU -> ConvT(ngf, C, k4 s2 p1) Tanh -> x [N, C, 32, 32]
//   e: x -> Conv(C, ndf, k4 s2 p1) LReLU(0.2) -> Conv(ndf, 2ndf) BN LReLU -> Conv(2ndf, 4ndf) BN LReLU
//      -> Conv(4ndf, M, k4 s1 p0, bias) -> [N, M], projected onto the unit sphere.
// - `dcgan32px`, the released code's pair (github.com/DmitryUlyanov/AGE, `models/dcgan32px.py`),
//   with ngf = ndf = 64 there:
//   g: z -> ConvT(M, 8ngf, k4 s1 p0) BN ReLU -> ConvT(8ngf, 4ngf) BN ReLU -> ConvT(4ngf, 2ngf) BN ReLU
//      -> ConvT(2ngf, 2ngf) BN ReLU -> Conv(2ngf, C, k1, bias) Tanh
//   e: x -> Conv(C, ndf) LReLU -> Conv(ndf, 2ndf) BN LReLU -> Conv(2ndf, 4ndf) BN LReLU
//      -> Conv(4ndf, M, k4 s2 p1, bias) [N, M, 2, 2] -> AvgPool(2) -> [N, M] on the sphere.
//   At width 64 and M = 128, C = 3 it has 3.93 M generator and 1.18 M encoder parameters.
// No biases before batch norm. Introduced for chapter 2; shared by the benchmark.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Which 32x32 pair (see the file header).
public enum DCGAN32Arch: String, CaseIterable, Codable, Sendable {
  case reduced
  case dcgan32px
}

/// Sizes of the 32x32 DCGAN pair.
public struct DCGAN32Config: Codable, Equatable, Sendable {
  /// The layer plan; `reduced` unless set.
  public var arch: DCGAN32Arch = .reduced
  /// Image channels C (1 for MNIST-like data, 3 for CIFAR-10).
  public var channels: Int
  /// Latent dimension M.
  public var nz: Int
  /// Generator and encoder widths.
  public var ngf: Int, ndf: Int
  /// Project encoder outputs onto the unit sphere (AGE) or leave them in R^M.
  public var sphere: Bool = true
  /// The reduced pair for `channels`-channel 32x32 images and an nz-dimensional code.
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
  if c.arch == .dcgan32px { return makeGeneratorDCGAN32px(c, rng: &rng) }
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
  if c.arch == .dcgan32px { return makeEncoderDCGAN32px(c, rng: &rng) }
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

/// The released `dcgan32px` generator: [N, M] -> [N, C, 32, 32].
func makeGeneratorDCGAN32px(_ c: DCGAN32Config, rng: inout RandomGenerator) -> Sequential {
  let w = c.ngf
  let g = Sequential(
    Unflatten(),
    ConvTranspose2d(c.nz, w * 8, kernelSize: 4, stride: 1, padding: 0, bias: false, rng: &rng),  // 4x4
    BatchNorm2d(w * 8), ReLU(),
    ConvTranspose2d(w * 8, w * 4, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 8x8
    BatchNorm2d(w * 4), ReLU(),
    ConvTranspose2d(w * 4, w * 2, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 16x16
    BatchNorm2d(w * 2), ReLU(),
    ConvTranspose2d(w * 2, w * 2, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 32x32
    BatchNorm2d(w * 2), ReLU(),
    Conv2d(w * 2, c.channels, kernelSize: 1, stride: 1, padding: 0, bias: true, rng: &rng),
    Tanh())
  dcganInit(g, rng: &rng)
  return g
}

/// The released `dcgan32px` encoder: [N, C, 32, 32] -> [N, M], on the unit sphere when `sphere`.
func makeEncoderDCGAN32px(_ c: DCGAN32Config, rng: inout RandomGenerator) -> Sequential {
  let w = c.ndf
  var layers: [Module] = [
    Conv2d(c.channels, w, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng), LeakyReLU(0.2),  // 16x16
    Conv2d(w, w * 2, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 8x8
    BatchNorm2d(w * 2), LeakyReLU(0.2),
    Conv2d(w * 2, w * 4, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng),  // 4x4
    BatchNorm2d(w * 4), LeakyReLU(0.2),
    Conv2d(w * 4, c.nz, kernelSize: 4, stride: 2, padding: 1, bias: true, rng: &rng),  // 2x2
    Lambda("AvgPool2d(2)") { $0.avgPool2d(2) },  // 1x1
    Flatten(),
  ]
  if c.sphere { layers.append(L2Normalize()) }
  let e = Sequential(layers)
  dcganInit(e, rng: &rng)
  return e
}

/// Parameters of a module (all trainable tensors).
public func parameterCount(_ m: Module) -> Int { m.parameters.reduce(0) { $0 + $1.count } }
