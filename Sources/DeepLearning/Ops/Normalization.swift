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
    if hw == 1 {
      // [N, C]: channels are contiguous within a row, so accumulate row by row (vectorized over C).
      var s = [Double](repeating: 0, count: c), v = [Double](repeating: 0, count: c)
      x.data.withUnsafeBufferPointer { px in
        for i in 0..<n { let r = px.baseAddress! + i * c; for j in 0..<c { s[j] += Double(r[j]) } }
        // Deviations from the mean rounded to Float, as the per-channel path computes them.
        for j in 0..<c { s[j] /= Double(m) }
        let mf = s.map { Double(Float($0)) }
        for i in 0..<n {
          let r = px.baseAddress! + i * c
          for j in 0..<c { let d = Double(r[j]) - mf[j]; v[j] += d * d }
        }
      }
      for j in 0..<c {
        let vj = v[j] / Double(m)
        mean[j] = Float(s[j]); batchVar[j] = vj; invStd[j] = Float(1 / (vj + Double(eps)).squareRoot())
      }
    } else {
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
    }
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
    if hw == 1 {
      for i in 0..<n {
        let o = i * c
        for j in 0..<c { let h = (xb[o + j] - mean[j]) * invStd[j]; hb[o + j] = h; yb[o + j] = gd[j] * h + bd[j] }
      }
      return
    }
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
        if hw == 1 {
          batchNormRowsBackward(gb, hb, dxb, dgb, dbb, n: n, c: c, gamma: gd, invStd: invStd, training: training)
          return
        }
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

/// The backward pass of batch norm on [N, C] (one value per channel and example), row by row:
/// dbeta_j = sum_i g_ij, dgamma_j = sum_i g_ij xhat_ij, and in training
/// dx_ij = gamma_j invStd_j (g_ij - dbeta_j / N - xhat_ij dgamma_j / N).
private func batchNormRowsBackward(_ g: UnsafePointer<Float>, _ xhat: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                                   _ dgamma: UnsafeMutablePointer<Float>, _ dbeta: UnsafeMutablePointer<Float>,
                                   n: Int, c: Int, gamma: [Float], invStd: [Float], training: Bool) {
  var a = [Double](repeating: 0, count: c), b = [Double](repeating: 0, count: c)
  for i in 0..<n {
    let o = i * c
    for j in 0..<c { a[j] += Double(g[o + j]); b[j] += Double(g[o + j]) * Double(xhat[o + j]) }
  }
  for j in 0..<c { dbeta[j] = Float(a[j]); dgamma[j] = Float(b[j]) }
  guard let dx else { return }
  let scale = (0..<c).map { gamma[$0] * invStd[$0] }
  let mDy = a.map { Float($0 / Double(n)) }, mDyH = b.map { Float($0 / Double(n)) }
  for i in 0..<n {
    let o = i * c
    if training {
      for j in 0..<c { dx[o + j] = scale[j] * (g[o + j] - mDy[j] - xhat[o + j] * mDyH[j]) }
    } else {
      for j in 0..<c { dx[o + j] = scale[j] * g[o + j] }
    }
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
