//===--- Backward.swift ---------------------------------------------------===//
// Reverse-mode automatic differentiation over the recorded graph.
//
// Each op output that needs a gradient holds a Node: its inputs and a backward
// closure (the op's vector-Jacobian product). Tensors get increasing ids as they
// are created, so sorting the reachable nodes by id, newest first, replays the
// tape backwards: every node is visited after all the nodes that consume it.
// Gradients accumulate (+=) in leaves, as in PyTorch; intermediate gradients live
// only during the backward pass.
//===----------------------------------------------------------------------===//
import Kernels

/// An op's vector-Jacobian product: given dL/d(output) and which inputs need a gradient,
/// returns dL/d(input) for each input (nil where not needed).
public typealias BackwardFn = (_ gradOutput: [Float], _ needsGrad: [Bool]) -> [[Float]?]

final class Node {
  let inputs: [Tensor]
  let backward: BackwardFn
  init(inputs: [Tensor], backward: @escaping BackwardFn) { self.inputs = inputs; self.backward = backward }
}

/// Whether operations record the graph. Use `withNoGrad` for evaluation and sampling.
/// The flag is task-local (thread-local outside tasks), so concurrent tests or workers
/// cannot switch recording off for each other.
public enum GradMode {
  @TaskLocal public static var isEnabled = true
  /// Runs `body` with graph recording switched off (PyTorch's `torch.no_grad()`).
  public static func withNoGrad<T>(_ body: () throws -> T) rethrows -> T {
    try $isEnabled.withValue(false) { try body() }
  }
}

/// Shorthand for `GradMode.withNoGrad`.
public func withNoGrad<T>(_ body: () throws -> T) rethrows -> T { try GradMode.withNoGrad(body) }

extension Tensor {
  /// Accumulates d(self)/d(leaf) * seed into every leaf's `grad` that requires a gradient.
  /// `self` must have one element unless `seed` is given (same count as self).
  public func backward(seed: [Float]? = nil) {
    let g0 = seed ?? [Float](repeating: 1, count: count)
    precondition(g0.count == count, "backward: seed has \(g0.count) elements, tensor \(count)")
    guard requiresGrad else { return }
    guard node != nil else { accumulate(into: self, g0); return }

    // Collect the graph reachable from self through tensors that require gradients.
    var order: [Tensor] = []
    var seen = Set<ObjectIdentifier>()
    var stack: [Tensor] = [self]
    while let t = stack.popLast() {
      guard let node = t.node, seen.insert(ObjectIdentifier(t)).inserted else { continue }
      order.append(t)
      for i in node.inputs where i.requiresGrad && i.node != nil { stack.append(i) }
    }
    order.sort { $0.id > $1.id }

    var grads: [ObjectIdentifier: [Float]] = [ObjectIdentifier(self): g0]
    for t in order {
      guard let node = t.node, let gOut = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
      let needs = node.inputs.map { $0.requiresGrad }
      let gIn = node.backward(gOut, needs)
      for (input, g) in zip(node.inputs, gIn) {
        guard input.requiresGrad, let g else { continue }
        precondition(g.count == input.count, "backward: gradient size \(g.count) for input \(input.shape)")
        if input.node == nil {
          accumulate(into: input, g)
        } else {
          let key = ObjectIdentifier(input)
          if var acc = grads.removeValue(forKey: key) {
            addInPlace(&acc, g)
            grads[key] = acc
          } else {
            grads[key] = g
          }
        }
      }
    }
  }
}

private func accumulate(into t: Tensor, _ g: [Float]) {
  if t.grad == nil { t.grad = g } else { addInPlace(&t.grad!, g) }
}

@inline(__always) func addInPlace(_ a: inout [Float], _ b: [Float]) {
  a.withUnsafeMutableBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      let (da, db) = (pa.baseAddress!, pb.baseAddress!)
      parallelRanges(pa.count) { r in for i in r { da[i] += db[i] } }
    }
  }
}
