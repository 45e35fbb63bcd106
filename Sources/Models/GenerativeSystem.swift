//===--- GenerativeSystem.swift -------------------------------------------===//
// What chapter 3 needs from every system it compares (AGE, ALI, BiGAN, AAE,
// alpha-GAN, VAE, DCGAN): one training iteration, a generator g(z), an encoder
// where the system has one, the prior, and features for linear probes. Every
// system works on 32x32 images in [-1, 1] with the DCGAN32 networks at the
// same widths, so the comparison is on equal footing.
//===----------------------------------------------------------------------===//
import DeepLearning

/// What a system trains with beyond its networks, as a run records it (and hashes into its checkpoint's
/// identity): the optimiser, and the weights and switches of its objective under the papers' names.
public struct SystemRecipe: Codable, Equatable, Sendable {
  public var optimizer: AdamSettings
  /// Loss weights by name: AAE's rho, alpha-GAN's lambda, the VAE's observation sd...
  public var weights: [String: Float] = [:]
  /// AGE's configuration (eq. 5-6's weights, formula set, generator steps), for AGE only.
  public var age: AGEConfig?
  /// Whether the encoder is Gaussian (ALI) or deterministic (BiGAN), for those two only.
  public var stochasticEncoder: Bool?
  /// AGE's prior: uniform on the sphere (true) or N(0, I), for AGE only.
  public var spherePrior: Bool?
  /// A recipe; each system fills in what applies to it.
  public init(optimizer: AdamSettings, weights: [String: Float] = [:], age: AGEConfig? = nil, stochasticEncoder: Bool? = nil,
              spherePrior: Bool? = nil) {
    self.optimizer = optimizer; self.weights = weights; self.age = age; self.stochasticEncoder = stochasticEncoder
    self.spherePrior = spherePrior
  }
}

/// A generative model chapter 3 trains and scores (see the file's header).
public protocol GenerativeSystem: AnyObject {
  /// The results key: "age", "ali", "bigan", "aae", "alpha_gan", "vae", "dcgan".
  var key: String { get }
  /// Latent dimension M.
  var nz: Int { get }
  /// The optimiser and objective settings it trains with.
  var recipe: SystemRecipe { get }
  /// Networks by name (checkpoints, parameter counts, train/eval switching).
  var modules: [String: Module] { get }
  /// Optimizers with the module each updates (checkpoints).
  var optimizers: [String: (Adam, Module)] { get }
  /// One training iteration on a real batch x [N, C, 32, 32]; returns the named losses.
  func step(x: Tensor, rng: inout RandomGenerator) -> [String: Float]
  /// z ~ the prior, [n, M] (N(0, I) unless the system says otherwise).
  func samplePrior(_ n: Int, rng: inout RandomGenerator) -> Tensor
  /// g(z): [n, M] -> [n, C, 32, 32] (call inside `withNoGrad` in evaluation mode).
  func decode(_ z: Tensor) -> Tensor
  /// The code of x (the posterior mean for Gaussian encoders), [n, M]; nil without an encoder.
  func encode(_ x: Tensor) -> Tensor?
  /// Features for a linear probe, [n, F]: the encoder's last hidden layer and its code, or
  /// the discriminator's last hidden layer for a system without an encoder.
  func features(_ x: Tensor) -> Tensor
  /// Called before each training epoch, so per-epoch state (dropout masks) restarts identically on resume.
  func prepareEpoch(_ epoch: Int, seed: UInt64)
}

extension GenerativeSystem {
  public func samplePrior(_ n: Int, rng: inout RandomGenerator) -> Tensor { Tensor.normal([n, nz], rng: &rng) }
  public func prepareEpoch(_ epoch: Int, seed: UInt64) {}
  /// Training mode for every network.
  public func train() { for m in modules.values { m.train() } }
  /// Evaluation mode for every network.
  public func eval() { for m in modules.values { m.eval() } }
  public var parameterCount: Int { modules.values.reduce(0) { $0 + $1.parameterCount } }
}

/// An encoder's probe features [N, hidden + M]: its last hidden layer (see `hiddenAndOutput`) beside its code,
/// `code(output)` (the mean half for Gaussian encoders).
public func encoderFeatures(_ e: Sequential, _ x: Tensor, code: (Tensor) -> Tensor = { $0 }) -> Tensor {
  let (h, out) = hiddenAndOutput(e, x)
  return Tensor.concat([h, code(out)], axis: 1)
}

/// The output of a network's last hidden layer (the input of its final convolution or linear layer)
/// beside the network's output. Feature maps are average-pooled 2x2 and flattened (a DCGAN32 encoder
/// gives [N, 4 ndf * 4] instead of 4 ndf x 4 x 4, which keeps probes cheap).
public func hiddenAndOutput(_ net: Sequential, _ x: Tensor) -> (hidden: Tensor, output: Tensor) {
  guard let last = net.layers.lastIndex(where: { $0 is Conv2d || $0 is Linear }) else {
    preconditionFailure("hiddenAndOutput: the network has no convolution or linear layer")
  }
  var h = x
  for l in net.layers[..<last] { h = l(h) }
  var y = h
  for l in net.layers[last...] { y = l(y) }
  return (h.rank == 4 ? h.avgPool2d(2).flatten() : h.flatten(), y)
}
