//===--- Losses.swift -----------------------------------------------------===//
// Losses composed from the differentiable ops, so their gradients come from the
// ops' VJPs (tinygrad's rule: a small primitive set, everything else composed).
//===----------------------------------------------------------------------===//
import Libm

/// mean |x - y| over all elements (torch.nn.L1Loss).
public func l1Loss(_ x: Tensor, _ y: Tensor) -> Tensor { (x - y).abs().mean() }

/// mean (x - y)^2 over all elements (torch.nn.MSELoss).
public func mseLoss(_ x: Tensor, _ y: Tensor) -> Tensor { (x - y).square().mean() }

/// The released AGE code's cosine "match" term on [N, M] codes (github.com/DmitryUlyanov/AGE, `src/utils.py`, `match`):
/// 2 - mean over all N*M elements of normalize(x) * normalize(y), i.e. 2 - (1/M) mean_b cos(x_b, y_b).
public func cosineLoss(_ x: Tensor, _ y: Tensor) -> Tensor {
  2 - (x.l2Normalized() * y.l2Normalized()).mean()
}

/// Binary cross-entropy on logits (torch.nn.BCEWithLogitsLoss, mean reduction):
/// mean( softplus(l) - t l ), stable for any logit l.
public func bceWithLogits(_ logits: Tensor, _ targets: Tensor) -> Tensor {
  (logits.softplus() - targets * logits).mean()
}
/// BCE with logits against a constant target (1 for "real", 0 for "fake").
public func bceWithLogits(_ logits: Tensor, target: Float) -> Tensor {
  target == 0 ? logits.softplus().mean() : (logits.softplus() - logits * target).mean()
}

/// Which form of the AGE divergence to use.
public enum GaussianFitVariant: String, CaseIterable, Codable, Sendable {
  /// The paper's eq. (7) with s_j the standard deviation, averaged over the M dimensions:
  /// (1/M) sum_j ( (s_j^2 + m_j^2)/2 - log s_j ) - 1/2. (The printed equation has -M/2 in front of the
  /// averaged sum, which would give N(0, I) itself a negative divergence; -1/2 is the KL of N(m, s^2)
  /// to N(0, 1) averaged over dimensions, and is what the PyTorch yardstick computes.)
  case paper
  /// The released code's KLN01Loss (github.com/DmitryUlyanov/AGE, `src/losses.py`): the variance v_j in place of s_j,
  /// and the mean over dimensions: mean_j ( (v_j^2 + m_j^2)/2 - log v_j - 1/2 ).
  case officialCode = "official-code"
}

/// The Gaussian-fit divergence of a batch of codes [N, M] from N(0, I), AGE eq. (7):
/// fit a diagonal Gaussian (per-dimension batch mean m_j and biased variance) and take its
/// closed-form KL to the unit Gaussian, averaged over dimensions. `.paper` uses the standard
/// deviation as printed; `.officialCode` reproduces the released code (variance in its place).
public func gaussianFitKL(_ codes: Tensor, variant: GaussianFitVariant = .paper) -> Tensor {
  precondition(codes.rank == 2 && codes.shape[0] > 1, "gaussianFitKL: codes must be [N > 1, M], got \(codes.shape)")
  let m = codes.mean(axes: [0], keepDims: true)               // [1, M]
  let v = (codes - m).square().mean(axes: [0], keepDims: true)  // biased variance [1, M]
  switch variant {
  case .paper:
    // (s^2 + m^2)/2 - log s - 1/2 with log s = (1/2) log v
    let t = (v + m.square()) * 0.5 - v.log() * 0.5 - 0.5
    return t.mean()
  case .officialCode:
    let t = (v.square() + m.square()) * 0.5 - v.log() - 0.5
    return t.mean()
  }
}

/// `gaussianFitKL(_, variant: .paper)` of the uniform distribution on the sphere S^{M-1}
/// (per-dimension mean 0 and variance 1/M): -1/2 + 1/(2M) + log(M)/2. It is the minimum of
/// eq. (7) over codes on the sphere (chapter 1 checks this), the floor of AGE's divergences.
public func gaussianFitKLSphereMinimum(_ m: Int) -> Double {
  -0.5 + 1 / (2 * Double(m)) + 0.5 * Math.log(Double(m))
}

/// Gaussian reparameterization z = mu + exp(logvar / 2) * eps with eps ~ N(0, I).
public func reparameterize(mu: Tensor, logVar: Tensor, rng: inout RandomGenerator) -> Tensor {
  let eps = Tensor.normal(mu.shape, rng: &rng)
  return mu + (logVar * 0.5).exp() * eps
}

/// KL( N(mu, diag exp(logvar)) || N(0, I) ), summed over dimensions and averaged over the batch
/// (the VAE's regularizer): mean_b sum_j (mu^2 + e^logvar - 1 - logvar) / 2.
public func gaussianKL(mu: Tensor, logVar: Tensor) -> Tensor {
  let t = (mu.square() + logVar.exp() - logVar - 1) * 0.5
  return t.sum() * (1 / Float(mu.shape[0]))
}

/// Cross-entropy of logits [N, K] against class indices (PyTorch's CrossEntropyLoss, mean over N):
/// -(1/N) sum_i log softmax(x_i)[y_i].
public func crossEntropy(_ logits: Tensor, labels: [Int]) -> Tensor {
  precondition(logits.rank == 2 && logits.shape[0] == labels.count,
               "crossEntropy: logits \(logits.shape) for \(labels.count) labels")
  let k = logits.shape[1]
  var onehot = [Float](repeating: 0, count: logits.count)
  for (i, y) in labels.enumerated() {
    precondition((0..<k).contains(y), "crossEntropy: label \(y) outside 0..<\(k)")
    onehot[i * k + y] = 1
  }
  let mask = Tensor(shape: logits.shape, data: onehot)
  return (logits.logSoftmax() * mask).sum() * (-1 / Float(labels.count))
}
