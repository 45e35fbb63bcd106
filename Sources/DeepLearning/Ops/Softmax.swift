//===--- Softmax.swift ----------------------------------------------------===//
// Row-wise softmax and log-softmax of logits [N, K] (the classifier head of the
// evaluation networks). Log-softmax subtracts the row maximum for stability:
//   y_ik = x_ik - max_k x - log sum_k exp(x_ik - max_k x);  dx = g - softmax * sum_k g.
//===----------------------------------------------------------------------===//
import Libm

extension Tensor {
  /// log softmax over the last axis of [N, K].
  public func logSoftmax() -> Tensor {
    precondition(rank == 2, "logSoftmax: expects [N, K], got \(shape)")
    let n = shape[0], k = shape[1]
    var y = [Float](repeating: 0, count: count)
    for i in 0..<n {
      var mx = -Float.infinity
      for j in 0..<k { mx = Swift.max(mx, data[i * k + j]) }
      var s: Double = 0
      for j in 0..<k { s += Double(Math.exp(data[i * k + j] - mx)) }
      let lse = mx + Float(Math.log(Float(s)))
      for j in 0..<k { y[i * k + j] = data[i * k + j] - lse }
    }
    return Tensor(shape: shape, data: y, inputs: [self]) { [y] g, _ in
      var gx = [Float](repeating: 0, count: g.count)
      for i in 0..<n {
        var sg: Float = 0
        for j in 0..<k { sg += g[i * k + j] }
        for j in 0..<k { gx[i * k + j] = g[i * k + j] - Math.exp(y[i * k + j]) * sg }
      }
      return [gx]
    }
  }

  /// softmax over the last axis of [N, K] (no gradient needed by the chapters; built on logSoftmax).
  public func softmax() -> Tensor { logSoftmax().exp() }
}
