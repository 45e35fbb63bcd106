//===--- MLP.swift --------------------------------------------------------===//
// The fully connected networks of Wu et al. (2017), "On the quantitative analysis
// of decoder-based generative models", whose MNIST log-likelihoods the AGE paper
// quotes: a 10-d code, a decoder 10-64-256-256-1024-784 with tanh hidden units, and
// (ours, mirrored) an encoder 784-1024-256-256-64-out. Outputs are in [-1, 1] (tanh)
// where Wu et al. use a sigmoid on [0, 1]: the same family of means, rescaled.
// Also the MLP discriminators for GAN and ALI on 28x28 images.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Sizes of the MLP family.
public struct MLPConfig: Codable, Equatable, Sendable {
  public var nz = 10
  public var hidden = [64, 256, 256, 1024]
  /// Image shape [C, H, W] (MNIST: [1, 28, 28]).
  public var image = [1, 28, 28]
  /// Wu et al.'s MNIST networks with an nz-dimensional code.
  public init(nz: Int = 10) { self.nz = nz }
  public var pixels: Int { image.reduce(1, *) }
}

/// g(z): [N, M] -> [N, C, H, W] in [-1, 1]: Linear layers with tanh through `hidden`, then tanh.
public func makeMLPGenerator(_ c: MLPConfig, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = []
  var width = c.nz
  for h in c.hidden { layers += [Linear(width, h, rng: &rng), Tanh()]; width = h }
  layers += [Linear(width, c.pixels, rng: &rng), Tanh(), Lambda("Reshape") { $0.reshape([$0.shape[0]] + c.image) }]
  return Sequential(layers)
}

/// e(x): [N, C, H, W] -> [N, outputs], the generator's layers mirrored (tanh hidden, linear output).
public func makeMLPEncoder(_ c: MLPConfig, outputs: Int, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = [Flatten()]
  var width = c.pixels
  for h in c.hidden.reversed() { layers += [Linear(width, h, rng: &rng), Tanh()]; width = h }
  layers.append(Linear(width, outputs, rng: &rng))
  return Sequential(layers)
}

/// D(x): [N, C, H, W] -> logits [N, 1]: 784-512-256-1 with LeakyReLU(0.2).
public func makeMLPDiscriminator(_ c: MLPConfig, rng: inout RandomGenerator) -> Sequential {
  Sequential(Flatten(), Linear(c.pixels, 512, rng: &rng), LeakyReLU(0.2), Linear(512, 256, rng: &rng), LeakyReLU(0.2),
             Linear(256, 1, rng: &rng))
}

/// ALI's D(x, z) with fully connected branches and maxout (the layout of its MNIST-sized models):
/// dx Drop(0.2) 784 -> 1024 maxout -> Drop(0.5) 512 -> 1024 maxout; dz Drop(0.2) M -> 1024 maxout;
/// joint Drop(0.5) 1024 -> 1024 maxout -> Drop(0.5) 512 -> 1.
public func makeMLPJointDiscriminator(_ c: MLPConfig, seed: UInt64, rng: inout RandomGenerator) -> JointDiscriminator {
  var s = seed
  func drop(_ p: Float) -> Dropout { s &+= 1; return Dropout(p, seed: s) }
  let dx = Sequential(Flatten(), drop(0.2), Linear(c.pixels, 1024, rng: &rng), Maxout(2),
                      drop(0.5), Linear(512, 1024, rng: &rng), Maxout(2))
  let dz = Sequential(drop(0.2), Linear(c.nz, 1024, rng: &rng), Maxout(2))
  let joint = Sequential(drop(0.5), Linear(1024, 1024, rng: &rng), Maxout(2), drop(0.5), Linear(512, 1, rng: &rng))
  return JointDiscriminator(dx: dx, dz: dz, joint: joint)
}
