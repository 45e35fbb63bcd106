//===--- Discriminators.swift ---------------------------------------------===//
// The discriminators of chapter 3's adversarial systems:
// - an image discriminator: the DCGAN32 encoder with one output (DCGAN, alpha-GAN);
// - a code discriminator on [N, M] codes: an MLP without batch norm (AAE, alpha-GAN;
//   alpha-GAN's authors advise against batch norm there);
// - ALI's joint discriminator D(x, z) (github.com/IshmaelBelghazi/ALI,
//   `experiments/ali_cifar10.py`), at a width
//   tied to ndf: an x branch of convolutions with maxout, a z branch of 1x1 layers with
//   maxout, and a joint branch on their concatenation, with dropout on layer inputs
//   (0.2 on the first layers, 0.5 elsewhere, as the paper's table) and no batch norm.
//===----------------------------------------------------------------------===//
import DeepLearning

/// D(x): [N, C, 32, 32] -> logits [N, 1] (the DCGAN32 encoder with M = 1, not on the sphere).
public func makeImageDiscriminator32(channels: Int, ndf: Int, rng: inout RandomGenerator) -> Sequential {
  makeEncoder32(DCGAN32Config(channels: channels, nz: 1, ngf: ndf, ndf: ndf, sphere: false), rng: &rng)
}

/// C(z): [N, M] -> logits [N, 1]: Linear(M, 512) LReLU(0.2) Linear(512, 256) LReLU(0.2) Linear(256, 1).
public func makeCodeDiscriminator(nz: Int, rng: inout RandomGenerator) -> Sequential {
  Sequential(Linear(nz, 512, rng: &rng), LeakyReLU(0.2), Linear(512, 256, rng: &rng), LeakyReLU(0.2),
             Linear(256, 1, rng: &rng))
}

/// ALI's discriminator on joint pairs, D(x, z) -> logits [N, 1]. With w = ndf:
///   D(x): Drop(0.2) Conv(C, 2w, k4 s2 p1) Maxout -> Drop(0.5) Conv(w, 4w) Maxout -> Drop(0.5) Conv(2w, 8w) Maxout
///         -> Drop(0.5) Conv(4w, 8w, k4 s1 p0) Maxout -> [N, 4w]
///   D(z): Drop(0.2) Linear(M, 8w) Maxout -> Drop(0.5) Linear(4w, 8w) Maxout -> [N, 4w]   (no biases, as ALI)
///   joint: Drop(0.5) Linear(8w, 16w) Maxout -> Drop(0.5) Linear(8w, 16w) Maxout -> Drop(0.5) Linear(8w, 1)
public final class JointDiscriminator: Module {
  public let dx: Sequential, dz: Sequential, joint: Sequential
  public var isTraining = true
  /// D from its three branches: dx [N, ...] -> [N, Fx], dz [N, M] -> [N, Fz], joint [N, Fx + Fz] -> [N, 1].
  public init(dx: Sequential, dz: Sequential, joint: Sequential) { self.dx = dx; self.dz = dz; self.joint = joint }

  /// ALI's CIFAR-10 layout at width w for 32x32 images (the table above).
  public convenience init(channels: Int, nz: Int, ndf w: Int, seed: UInt64, rng: inout RandomGenerator) {
    var s = seed
    func drop(_ p: Float) -> Dropout { s &+= 1; return Dropout(p, seed: s) }
    let dx = Sequential(
      drop(0.2), Conv2d(channels, 2 * w, kernelSize: 4, stride: 2, padding: 1, rng: &rng), Maxout(2),  // 16x16
      drop(0.5), Conv2d(w, 4 * w, kernelSize: 4, stride: 2, padding: 1, rng: &rng), Maxout(2),         // 8x8
      drop(0.5), Conv2d(2 * w, 8 * w, kernelSize: 4, stride: 2, padding: 1, rng: &rng), Maxout(2),     // 4x4
      drop(0.5), Conv2d(4 * w, 8 * w, kernelSize: 4, stride: 1, padding: 0, rng: &rng), Maxout(2),     // 1x1
      Flatten())
    let dz = Sequential(drop(0.2), Linear(nz, 8 * w, bias: false, rng: &rng), Maxout(2),
                        drop(0.5), Linear(4 * w, 8 * w, bias: false, rng: &rng), Maxout(2))
    let joint = Sequential(drop(0.5), Linear(8 * w, 16 * w, rng: &rng), Maxout(2),
                       drop(0.5), Linear(8 * w, 16 * w, rng: &rng), Maxout(2),
                           drop(0.5), Linear(8 * w, 1, rng: &rng))
    dcganInit(dx, rng: &rng)
    self.init(dx: dx, dz: dz, joint: joint)
  }
  public var children: [(String, Module)] { [("dx", dx), ("dz", dz), ("joint", joint)] }
  /// D(x, z): x [N, C, 32, 32], z [N, M] -> [N, 1].
  public func callAsFunction(x: Tensor, z: Tensor) -> Tensor {
    joint(Tensor.concat([dx(x), dz(z)], axis: 1))
  }
  /// The x branch's features [N, 4w] (what D "sees" of an image).
  public func forward(_ x: Tensor) -> Tensor { dx(x) }
  /// Restarts every dropout mask generator from `seed` (called at each epoch: exact resumption).
  public func reseedDropout(_ seed: UInt64) {
    for (i, m) in modules.enumerated() { (m as? Dropout)?.reseed(seed &+ UInt64(i)) }
  }
}
