//===--- Containers.swift -------------------------------------------------===//
// Sequential, parameter-free activation layers, and DCGAN initialization.
//===----------------------------------------------------------------------===//

/// Applies its children in order; children are named "0", "1", ... as in PyTorch.
public final class Sequential: Module {
  public let layers: [Module]
  public var isTraining = true
  /// The layers, applied first to last.
  public init(_ layers: [Module]) { self.layers = layers }
  /// The layers, applied first to last.
  public convenience init(_ layers: Module...) { self.init(layers) }
  public func forward(_ x: Tensor) -> Tensor { layers.reduce(x) { $1.forward($0) } }
  public var children: [(String, Module)] { layers.enumerated().map { ("\($0.offset)", $0.element) } }
}

/// A parameter-free layer defined by a function (ReLU, Tanh, reshape, ...).
public final class Lambda: Module {
  public let name: String
  let f: (Tensor) -> Tensor
  public var isTraining = true
  /// A parameter-free layer applying `f`; `name` is what printing and checkpoints call it.
  public init(_ name: String, _ f: @escaping (Tensor) -> Tensor) { self.name = name; self.f = f }
  public func forward(_ x: Tensor) -> Tensor { f(x) }
}

/// max(x, 0) elementwise (torch.nn.ReLU).
public func ReLU() -> Lambda { Lambda("ReLU") { $0.relu() } }
/// max(x, slope x) elementwise (torch.nn.LeakyReLU).
public func LeakyReLU(_ slope: Float = 0.01) -> Lambda { Lambda("LeakyReLU(\(slope))") { $0.leakyRelu(slope) } }
/// tanh elementwise (torch.nn.Tanh).
public func Tanh() -> Lambda { Lambda("Tanh") { $0.tanh() } }
/// [N, ...] -> [N, product of the rest] (torch.nn.Flatten).
public func Flatten() -> Lambda { Lambda("Flatten") { $0.flatten() } }
/// Projects each row of [N, M] onto the unit sphere.
public func L2Normalize() -> Lambda { Lambda("L2Normalize") { $0.l2Normalized() } }
/// [N, M] -> [N, M, 1, 1], as DCGAN generators take their code.
public func Unflatten() -> Lambda { Lambda("Unflatten") { $0.reshape([$0.shape[0], -1, 1, 1]) } }

/// Dropout with its own seeded generator (so a run is reproducible).
public final class Dropout: Module {
  public let p: Float
  var rng: RandomGenerator
  public var isTraining = true
  /// Zeroes each element with probability `p` in training and scales the rest by 1 / (1 - p); `seed` starts its generator.
  public init(_ p: Float, seed: UInt64) { self.p = p; self.rng = RandomGenerator(seed: seed) }
  public func forward(_ x: Tensor) -> Tensor { x.dropout(p, training: isTraining, rng: &rng) }
  /// Restarts the mask generator (trainers reseed at every epoch, so a resumed run draws the same masks).
  public func reseed(_ seed: UInt64) { rng = RandomGenerator(seed: seed) }
}

/// DCGAN initialization (Radford et al. 2016, as in the AGE code): convolution weights
/// N(0, 0.02), batch-norm weights N(1, 0.02), all biases 0.
public func dcganInit(_ model: Module, rng: inout RandomGenerator) {
  for m in model.modules {
    switch m {
    case let c as Conv2d:
      fillNormal(c.weight, 0, 0.02, &rng); c.bias.map { fill($0, 0) }
    case let c as ConvTranspose2d:
      fillNormal(c.weight, 0, 0.02, &rng); c.bias.map { fill($0, 0) }
    case let b as BatchNorm2d:
      fillNormal(b.weight, 1, 0.02, &rng); fill(b.bias, 0)
    default: break
    }
  }
}

func fillNormal(_ t: Tensor, _ mean: Float, _ std: Float, _ rng: inout RandomGenerator) {
  for i in 0..<t.count { t.data[i] = rng.normal(mean: mean, std: std) }
}
func fill(_ t: Tensor, _ v: Float) { for i in 0..<t.count { t.data[i] = v } }
