//===--- Module.swift -----------------------------------------------------===//
// The PyTorch-style module protocol: a module owns parameters (trainable),
// buffers (e.g. batch-norm running statistics) and child modules, has a
// training/evaluation mode, and maps a tensor to a tensor.
//===----------------------------------------------------------------------===//

/// A network or layer (torch.nn.Module): parameters, buffers, children, a mode, and `forward`.
public protocol Module: AnyObject {
  /// The forward pass.
  func forward(_ x: Tensor) -> Tensor
  /// This module's own trainable tensors, by name (not the children's).
  var localParameters: [(String, Tensor)] { get }
  /// This module's own non-trainable state, by name.
  var localBuffers: [(String, Tensor)] { get }
  /// Child modules, by name.
  var children: [(String, Module)] { get }
  /// Training mode (batch statistics, dropout) or evaluation mode.
  var isTraining: Bool { get set }
}

extension Module {
  public var localParameters: [(String, Tensor)] { [] }
  public var localBuffers: [(String, Tensor)] { [] }
  public var children: [(String, Module)] { [] }

  /// `m(x)` is `m.forward(x)`.
  public func callAsFunction(_ x: Tensor) -> Tensor { forward(x) }

  /// All parameters, named as PyTorch's `named_parameters()` does ("0.weight", "main.3.bias").
  public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
    localParameters.map { (prefix + $0.0, $0.1) }
      + children.flatMap { $0.1.namedParameters(prefix: prefix + $0.0 + ".") }
  }
  /// All buffers, named like parameters.
  public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
    localBuffers.map { (prefix + $0.0, $0.1) }
      + children.flatMap { $0.1.namedBuffers(prefix: prefix + $0.0 + ".") }
  }
  /// Every trainable tensor of this module and its children, in a fixed order.
  public var parameters: [Tensor] { namedParameters().map { $0.1 } }
  /// Every module in the tree, self first.
  public var modules: [Module] { [self] + children.flatMap { $0.1.modules } }
  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// Sets training (true) or evaluation (false) mode on the whole tree.
  public func train(_ on: Bool = true) { for m in modules { m.isTraining = on } }
  /// Evaluation mode for this module and its children (batch norm uses running statistics, dropout is off).
  public func eval() { train(false) }
  /// Freezes (false) or unfreezes (true) every parameter; gradients still flow through
  /// the module to its inputs, as needed when one AGE network is updated through the other.
  public func requiresGrad(_ on: Bool) { for p in parameters { p.requiresGrad = on } }
  /// Clears every parameter's gradient.
  public func zeroGrad() { for p in parameters { p.grad = nil } }
}
