//===--- Tensor.swift -----------------------------------------------------===//
// A dense Float32 tensor in row-major (NCHW for images) layout, and a node of
// the autodiff graph. Every op makes a new tensor; when any input requires a
// gradient (and gradients are enabled), the result records its inputs and a
// backward closure, so `loss.backward()` can walk the recorded operations in
// reverse (see Autodiff/Backward.swift).
//===----------------------------------------------------------------------===//
import Synchronization

/// A dense Float32 tensor (row-major; NCHW for images) and a node of the autodiff graph.
public final class Tensor {
  /// The shape, outermost first: [N, C, H, W] for images, [N, M] for codes.
  public let shape: [Int]
  /// The elements, contiguous in row-major order.
  public var data: [Float]
  /// The accumulated gradient of the last `backward()` calls (leaves only), or nil.
  public var grad: [Float]?
  /// Whether gradients flow to (and accumulate in) this tensor.
  public var requiresGrad: Bool
  /// The operation that produced this tensor, when it is part of a recorded graph.
  let node: Node?
  /// Creation order: a topological order of the graph (inputs are always older).
  let id: Int

  /// A leaf tensor with the given shape and elements.
  public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
    precondition(shape.reduce(1, *) == data.count,
                 "Tensor: shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
    self.shape = shape; self.data = data; self.requiresGrad = requiresGrad
    self.node = nil; self.id = Tensor.nextID()
  }

  /// A tensor produced by an operation; records the graph only when needed.
  init(shape: [Int], data: [Float], inputs: [Tensor], backward: @escaping BackwardFn) {
    self.shape = shape; self.data = data
    let needs = GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    self.requiresGrad = needs
    self.node = needs ? Node(inputs: inputs, backward: backward) : nil
    self.id = Tensor.nextID()
  }

  private static let counter = Atomic<Int>(0)
  private static func nextID() -> Int { counter.add(1, ordering: .relaxed).newValue }

  /// Number of elements.
  public var count: Int { data.count }
  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Row-major strides, in elements.
  public var strides: [Int] { Tensor.strides(of: shape) }
  /// Row-major strides of `shape` (the last axis has stride 1).
  public static func strides(of shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
    return s
  }
  /// The single element of a one-element tensor.
  public var item: Float {
    precondition(data.count == 1, "item: tensor of shape \(shape) has \(data.count) elements")
    return data[0]
  }
  /// The same values, cut from the graph: no gradient flows through the result.
  public func detach() -> Tensor { Tensor(shape: shape, data: data) }
  /// Clears the accumulated gradient.
  public func zeroGrad() { grad = nil }

  /// Element access by multi-index (slow; for tests and small code).
  public subscript(_ index: Int...) -> Float {
    get { data[offset(index)] }
    set { data[offset(index)] = newValue }
  }
  func offset(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) for shape \(shape)")
    var o = 0
    for (i, d) in zip(index, shape) { precondition(i >= 0 && i < d, "index \(index) out of shape \(shape)"); o = o * d + i }
    return o
  }
}

// MARK: - Construction

extension Tensor {
  /// A tensor of zeros.
  public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
    self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
  }
  /// A tensor whose every element is `value`.
  public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
    self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
  }
  /// A rank-0-like scalar of shape [1].
  public convenience init(_ scalar: Float) { self.init(shape: [1], data: [scalar]) }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let shown = data.prefix(8).map { String(format3($0)) }.joined(separator: ", ")
    return "Tensor(\(shape), [\(shown)\(data.count > 8 ? ", ..." : "")])"
  }
}

@usableFromInline func format3(_ x: Float) -> String {
  let r = (Double(x) * 1000).rounded() / 1000
  return "\(r)"
}
