//===--- Normalization.swift ----------------------------------------------===//
// Batch normalization over the channel axis of [N, C, ...] (BatchNorm1d on
// [N, C], BatchNorm2d on [N, C, H, W]) and per-row L2 normalization.
//
// Training: per channel mean m and biased variance v over N and the spatial
// positions; xhat = (x - m) / sqrt(v + eps); y = gamma xhat + beta. Running
// statistics move by `momentum` toward m and the unbiased variance (PyTorch).
// Evaluation: the running statistics stand in for m and v.
// Backward (training), with M values per channel and dxhat = dy gamma:
//   dx = (1 / sqrt(v + eps)) (dxhat - mean(dxhat) - xhat mean(dxhat xhat))
//===----------------------------------------------------------------------===//

/// Functional batch norm. `runningMean`/`runningVar` ([C]) are updated in training mode.
public func batchNorm(_ x: Tensor, weight gamma: Tensor?, bias beta: Tensor?, runningMean: Tensor?,
                      runningVar: Tensor?, training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
  precondition(x.rank >= 2, "batchNorm: input \(x.shape) needs [N, C, ...]")
  let n = x.shape[0], c = x.shape[1], hw = x.count / max(1, n * c), m = n * hw
  var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
  let xd = x.data
  if training {
    precondition(m > 1, "batchNorm: training needs more than one value per channel, got input \(x.shape)")
    xd.withUnsafeBufferPointer { px in
      for j in 0..<c {
        var s = 0.0
        for i in 0..<n { let p = px.baseAddress! + (i * c + j) * hw; for k in 0..<hw { s += Double(p[k]) } }
        let mu = s / Double(m)
        var v = 0.0
        for i in 0..<n { let p = px.baseAddress! + (i * c + j) * hw; for k in 0..<hw { let d = Double(p[k]) - mu; v += d * d } }
        v /= Double(m)
        mean[j] = Float(mu); invStd[j] = Float(1 / (v + Double(eps)).squareRoot())
        if let rm = runningMean, let rv = runningVar {
          rm.data[j] = (1 - momentum) * rm.data[j] + momentum * Float(mu)
          rv.data[j] = (1 - momentum) * rv.data[j] + momentum * Float(v * Double(m) / Double(m - 1))
        }
      }
    }
  } else {
    precondition(runningMean != nil && runningVar != nil, "batchNorm: evaluation needs running statistics")
    for j in 0..<c { mean[j] = runningMean!.data[j]; invStd[j] = 1 / (runningVar!.data[j] + eps).squareRoot() }
  }
  let gd = gamma?.data, bd = beta?.data
  var xhat = [Float](repeating: 0, count: x.count)
  var y = [Float](repeating: 0, count: x.count)
  xd.withUnsafeBufferPointer { px in xhat.withUnsafeMutableBufferPointer { ph in y.withUnsafeMutableBufferPointer { py in
    for i in 0..<n { for j in 0..<c {
      let o = (i * c + j) * hw, mu = mean[j], s = invStd[j]
      let ga = gd?[j] ?? 1, be = bd?[j] ?? 0
      for k in 0..<hw { let h = (px[o + k] - mu) * s; ph[o + k] = h; py[o + k] = ga * h + be }
    } }
  } } }
  var inputs = [x]
  if let gamma { inputs.append(gamma) }
  if let beta { inputs.append(beta) }
  return Tensor(shape: x.shape, data: y, inputs: inputs) { [xhat] g, need in
    var dgamma = [Float](repeating: 0, count: c), dbeta = [Float](repeating: 0, count: c)
    var dx: [Float]? = nil
    g.withUnsafeBufferPointer { pg in xhat.withUnsafeBufferPointer { ph in
      var sumDy = [Double](repeating: 0, count: c), sumDyH = [Double](repeating: 0, count: c)
      for i in 0..<n { for j in 0..<c {
        let o = (i * c + j) * hw
        var a = 0.0, b = 0.0
        for k in 0..<hw { a += Double(pg[o + k]); b += Double(pg[o + k] * ph[o + k]) }
        sumDy[j] += a; sumDyH[j] += b
      } }
      for j in 0..<c { dbeta[j] = Float(sumDy[j]); dgamma[j] = Float(sumDyH[j]) }
      if need[0] {
        var out = [Float](repeating: 0, count: g.count)
        for i in 0..<n { for j in 0..<c {
          let o = (i * c + j) * hw, ga = gd?[j] ?? 1
          if training {
            let mDy = Float(sumDy[j] / Double(m)), mDyH = Float(sumDyH[j] / Double(m)), s = invStd[j] * ga
            for k in 0..<hw { out[o + k] = s * (pg[o + k] - mDy - ph[o + k] * mDyH) }
          } else {
            let s = invStd[j] * ga
            for k in 0..<hw { out[o + k] = s * pg[o + k] }
          }
        } }
        dx = out
      }
    } }
    var r: [[Float]?] = [dx]
    if gamma != nil { r.append(dgamma) }
    if beta != nil { r.append(dbeta) }
    return r
  }
}

extension Tensor {
  /// Each row of [N, M] divided by its Euclidean norm: projection onto the unit sphere.
  /// With u = x / |x|: du = (g - u (u . g)) / |x|.
  public func l2Normalized(eps: Float = 1e-12) -> Tensor {
    precondition(rank == 2, "l2Normalized: expects [N, M], got \(shape)")
    let n = shape[0], d = shape[1]
    var u = [Float](repeating: 0, count: count), norms = [Float](repeating: 0, count: n)
    for i in 0..<n {
      var s = 0.0
      for j in 0..<d { s += Double(data[i * d + j]) * Double(data[i * d + j]) }
      let nr = Float(Swift.max(s.squareRoot(), Double(eps)))
      norms[i] = nr
      for j in 0..<d { u[i * d + j] = data[i * d + j] / nr }
    }
    return Tensor(shape: shape, data: u, inputs: [self]) { [u] g, _ in
      var gx = [Float](repeating: 0, count: g.count)
      for i in 0..<n {
        var dot: Float = 0
        for j in 0..<d { dot += u[i * d + j] * g[i * d + j] }
        for j in 0..<d { gx[i * d + j] = (g[i * d + j] - u[i * d + j] * dot) / norms[i] }
      }
      return [gx]
    }
  }
}
