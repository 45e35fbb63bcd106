//===--- GradCheck.swift --------------------------------------------------===//
// Test helpers shared by the test targets: closeness checks with stated
// tolerances, deterministic fixtures, and a finite-difference gradient check.
//===----------------------------------------------------------------------===//
import DeepLearning

/// max |a - b| / (atol + rtol |b|) over elements; <= 1 means "close".
public func closeness(_ a: [Float], _ b: [Float], atol: Double, rtol: Double) -> Double {
  precondition(a.count == b.count, "closeness: \(a.count) vs \(b.count) elements")
  var worst = 0.0
  for (x, y) in zip(a, b) {
    let e = abs(Double(x) - Double(y)) / (atol + rtol * abs(Double(y)))
    if !(e <= worst) { worst = e.isNaN ? .infinity : e }
  }
  return worst
}

/// A tensor of values uniform in [lo, hi) from a fixed seed.
public func fixture(_ shape: [Int], seed: UInt64, _ lo: Float = -1, _ hi: Float = 1, requiresGrad: Bool = true) -> Tensor {
  var rng = RandomGenerator(seed: seed)
  return Tensor.uniform(shape, lo, hi, rng: &rng, requiresGrad: requiresGrad)
}

/// The outcome of a gradient check: the worst closeness score over checked elements.
public struct GradCheckResult: CustomStringConvertible {
  public var worst: Double
  public var worstInput: Int, worstIndex: Int
  public var analytic: Double, numeric: Double
  public var description: String {
    "worst score \(worst) at input \(worstInput)[\(worstIndex)]: analytic \(analytic), numeric \(numeric)"
  }
}

/// Compares the gradient of L = sum_i w_i f(x)_i (w fixed pseudo-random weights, the sum
/// accumulated in Double) from `backward()` against central differences
/// (L(x + h e_j) - L(x - h e_j)) / 2h on up to `maxChecks` elements of each input.
public func gradCheck(_ inputs: [Tensor], h: Float = 1e-2, atol: Double = 1e-3, rtol: Double = 1e-2,
                      maxChecks: Int = 64, _ f: ([Tensor]) -> Tensor) -> GradCheckResult {
  for x in inputs { x.grad = nil }
  let y0 = f(inputs)
  var rng = RandomGenerator(seed: 7)
  let w = (0..<y0.count).map { _ in rng.uniform(-1, 1) }
  func loss() -> Double {
    let y = withNoGrad { f(inputs) }
    var s = 0.0
    for (a, b) in zip(y.data, w) { s += Double(a) * Double(b) }
    return s
  }
  y0.backward(seed: w)
  var res = GradCheckResult(worst: 0, worstInput: -1, worstIndex: -1, analytic: 0, numeric: 0)
  for (k, x) in inputs.enumerated() where x.requiresGrad {
    let g = x.grad ?? [Float](repeating: 0, count: x.count)
    let step = max(1, x.count / maxChecks)
    for j in stride(from: 0, to: x.count, by: step) {
      let old = x.data[j]
      x.data[j] = old + h; let lp = loss()
      x.data[j] = old - h; let lm = loss()
      x.data[j] = old
      let num = (lp - lm) / (2 * Double(h))
      let e = abs(Double(g[j]) - num) / (atol + rtol * abs(num))
      if !(e <= res.worst) {
        res = GradCheckResult(worst: e.isNaN ? .infinity : e, worstInput: k, worstIndex: j, analytic: Double(g[j]), numeric: num)
      }
    }
  }
  return res
}
