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
import Kernels

/// Functional batch norm. `runningMean`/`runningVar` ([C]) are updated in training mode.
/// Channels are split across threads; each channel's sums run in one thread, in a fixed order.
public func batchNorm(_ x: Tensor, weight gamma: Tensor?, bias beta: Tensor?, runningMean: Tensor?,
                      runningVar: Tensor?, training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
  precondition(x.rank >= 2, "batchNorm: input \(x.shape) needs [N, C, ...]")
  let n = x.shape[0], c = x.shape[1], hw = x.count / max(1, n * c), m = n * hw
  var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
  var batchVar = [Double](repeating: 0, count: c)
  let threads = x.count >= 1 << 15 ? KernelConfig.threads : 1
  if training {
    precondition(m > 1, "batchNorm: training needs more than one value per channel, got input \(x.shape)")
    x.data.withUnsafeBufferPointer { px in mean.withUnsafeMutableBufferPointer { pm in
      invStd.withUnsafeMutableBufferPointer { ps in batchVar.withUnsafeMutableBufferPointer { pv in
        let xb = px.baseAddress!, mb = pm.baseAddress!, sb = ps.baseAddress!, vb = pv.baseAddress!
        parallelFor(threads) { part in
          for j in chunkRange(c, parts: threads, index: part) {
            var s = 0.0
            for i in 0..<n { s += sumContiguous(xb + (i * c + j) * hw, hw) }
            let mu = s / Double(m)
            var v = 0.0
            for i in 0..<n { v += sumSquaredDeviations(xb + (i * c + j) * hw, hw, from: Float(mu)) }
            v /= Double(m)
            mb[j] = Float(mu); vb[j] = v; sb[j] = Float(1 / (v + Double(eps)).squareRoot())
          }
        }
      } }
    } }
    if let rm = runningMean, let rv = runningVar {
      for j in 0..<c {
        rm.data[j] = (1 - momentum) * rm.data[j] + momentum * mean[j]
        rv.data[j] = (1 - momentum) * rv.data[j] + momentum * Float(batchVar[j] * Double(m) / Double(m - 1))
      }
    }
  } else {
    precondition(runningMean != nil && runningVar != nil, "batchNorm: evaluation needs running statistics")
    for j in 0..<c { mean[j] = runningMean!.data[j]; invStd[j] = 1 / (runningVar!.data[j] + eps).squareRoot() }
  }
  let gd = gamma?.data ?? [Float](repeating: 1, count: c), bd = beta?.data ?? [Float](repeating: 0, count: c)
  var xhat = uninitializedFloats(x.count)
  var y = uninitializedFloats(x.count)
  x.data.withUnsafeBufferPointer { px in xhat.withUnsafeMutableBufferPointer { ph in y.withUnsafeMutableBufferPointer { py in
    let xb = px.baseAddress!, hb = ph.baseAddress!, yb = py.baseAddress!
    parallelFor(threads) { part in
      for j in chunkRange(c, parts: threads, index: part) {
        let mu = mean[j], s = invStd[j], ga = gd[j], be = bd[j]
        for i in 0..<n {
          let o = (i * c + j) * hw
          for k in 0..<hw { let h = (xb[o + k] - mu) * s; hb[o + k] = h; yb[o + k] = ga * h + be }
        }
      }
    }
  } } }
  var inputs = [x]
  if let gamma { inputs.append(gamma) }
  if let beta { inputs.append(beta) }
  return Tensor(shape: x.shape, data: y, inputs: inputs) { [xhat, invStd] g, need in
    var dgamma = [Float](repeating: 0, count: c), dbeta = [Float](repeating: 0, count: c)
    var dx = need[0] ? uninitializedFloats(g.count) : []
    g.withUnsafeBufferPointer { pg in xhat.withUnsafeBufferPointer { ph in dx.withUnsafeMutableBufferPointer { pdx in
      dgamma.withUnsafeMutableBufferPointer { pdg in dbeta.withUnsafeMutableBufferPointer { pdb in
        let gb = pg.baseAddress!, hb = ph.baseAddress!, dgb = pdg.baseAddress!, dbb = pdb.baseAddress!
        let dxb: UnsafeMutablePointer<Float>? = pdx.count > 0 ? pdx.baseAddress : nil
        parallelFor(threads) { part in
          for j in chunkRange(c, parts: threads, index: part) {
            var a = 0.0, b = 0.0
            for i in 0..<n {
              let o = (i * c + j) * hw
              a += sumContiguous(gb + o, hw); b += dotContiguous(gb + o, hb + o, hw)
            }
            dbb[j] = Float(a); dgb[j] = Float(b)
            guard let dxb else { continue }
            let ga = gd[j], s = invStd[j] * ga
            let mDy = Float(a / Double(m)), mDyH = Float(b / Double(m))
            for i in 0..<n {
              let o = (i * c + j) * hw
              if training {
                for k in 0..<hw { dxb[o + k] = s * (gb[o + k] - mDy - hb[o + k] * mDyH) }
              } else {
                for k in 0..<hw { dxb[o + k] = s * gb[o + k] }
              }
            }
          }
        }
      } }
    } } }
    var r: [[Float]?] = [need[0] ? dx : nil]
    if gamma != nil { r.append(need[1] ? dgamma : nil) }
    if beta != nil { r.append(need[gamma != nil ? 2 : 1] ? dbeta : nil) }
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
