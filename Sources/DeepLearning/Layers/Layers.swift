//===--- Layers.swift -----------------------------------------------------===//
// Conv2d, ConvTranspose2d, BatchNorm2d (and 1d), Linear, with PyTorch's names,
// weight layouts and default initialization (kaiming_uniform with a = sqrt(5),
// i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases).
//===----------------------------------------------------------------------===//

/// PyTorch's default init bound 1/sqrt(fan_in).
func defaultInit(_ shape: [Int], fanIn: Int, rng: inout RandomGenerator) -> Tensor {
  let b = 1 / Float(fanIn).squareRoot()
  return Tensor.uniform(shape, -b, b, rng: &rng, requiresGrad: true)
}

/// 2-D convolution. Weight [out, in, k, k], bias [out]. Input NCHW.
public final class Conv2d: Module {
  public let weight: Tensor
  public let bias: Tensor?
  public let stride: Int, padding: Int
  public var isTraining = true
  /// A k x k convolution from `inChannels` to `outChannels` channels, PyTorch-initialised; output
  /// H_out = (H + 2 padding - k) / stride + 1.
  public init(_ inChannels: Int, _ outChannels: Int, kernelSize k: Int, stride: Int = 1, padding: Int = 0,
              bias: Bool = true, rng: inout RandomGenerator) {
    let fanIn = inChannels * k * k
    weight = defaultInit([outChannels, inChannels, k, k], fanIn: fanIn, rng: &rng)
    self.bias = bias ? defaultInit([outChannels], fanIn: fanIn, rng: &rng) : nil
    self.stride = stride; self.padding = padding
  }
  public func forward(_ x: Tensor) -> Tensor { conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding) }
  public var localParameters: [(String, Tensor)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }
}

/// Transposed 2-D convolution. Weight [in, out, k, k], bias [out]. Input NCHW.
public final class ConvTranspose2d: Module {
  public let weight: Tensor
  public let bias: Tensor?
  public let stride: Int, padding: Int, outputPadding: Int
  public var isTraining = true
  /// A k x k transposed convolution, PyTorch-initialised; output
  /// H_out = (H - 1) stride - 2 padding + k + outputPadding.
  public init(_ inChannels: Int, _ outChannels: Int, kernelSize k: Int, stride: Int = 1, padding: Int = 0,
              outputPadding: Int = 0, bias: Bool = true, rng: inout RandomGenerator) {
    // PyTorch computes fan_in from weight.size(1) * k * k for transposed convolutions.
    let fanIn = outChannels * k * k
    weight = defaultInit([inChannels, outChannels, k, k], fanIn: fanIn, rng: &rng)
    self.bias = bias ? defaultInit([outChannels], fanIn: fanIn, rng: &rng) : nil
    self.stride = stride; self.padding = padding; self.outputPadding = outputPadding
  }
  public func forward(_ x: Tensor) -> Tensor {
    convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
  }
  public var localParameters: [(String, Tensor)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }
}

/// Batch normalization over channels of [N, C, H, W] (or [N, C]); weight 1, bias 0,
/// running mean 0 and variance 1 at creation; momentum 0.1, eps 1e-5 (PyTorch's defaults).
public final class BatchNorm2d: Module {
  public let weight: Tensor, bias: Tensor
  public let runningMean: Tensor, runningVar: Tensor
  /// Weight of the newest batch in the running statistics (1/k re-estimates them as a plain average).
  public var momentum: Float
  public let eps: Float
  public var isTraining = true
  /// Batch norm over `features` channels; `momentum` weights the newest batch in the running statistics.
  public init(_ features: Int, momentum: Float = 0.1, eps: Float = 1e-5) {
    weight = Tensor(repeating: 1, shape: [features], requiresGrad: true)
    bias = Tensor(zeros: [features], requiresGrad: true)
    runningMean = Tensor(zeros: [features]); runningVar = Tensor(repeating: 1, shape: [features])
    self.momentum = momentum; self.eps = eps
  }
  public func forward(_ x: Tensor) -> Tensor {
    batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
              training: isTraining, momentum: momentum, eps: eps)
  }
  public var localParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }
  public var localBuffers: [(String, Tensor)] { [("running_mean", runningMean), ("running_var", runningVar)] }
}
/// The same layer on [N, C] inputs.
public typealias BatchNorm1d = BatchNorm2d

/// y = x W^T + b. Weight [out, in], bias [out].
public final class Linear: Module {
  public let weight: Tensor
  public let bias: Tensor?
  public var isTraining = true
  /// A fully connected layer [N, inFeatures] -> [N, outFeatures], PyTorch-initialised.
  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator) {
    weight = defaultInit([outFeatures, inFeatures], fanIn: inFeatures, rng: &rng)
    self.bias = bias ? defaultInit([outFeatures], fanIn: inFeatures, rng: &rng) : nil
  }
  public func forward(_ x: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }
  public var localParameters: [(String, Tensor)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }
}
