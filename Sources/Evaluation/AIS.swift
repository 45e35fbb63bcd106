//===--- AIS.swift --------------------------------------------------------===//
// Log-likelihood of a decoder-based model by annealed importance sampling (Neal
// 2001), as Wu et al. (2017) evaluate GANs, VAEs and (in the AGE paper) AGE and ALI:
// prior p(z) = N(0, I_M), observation p(x|z) = N(mu(z), s^2 I_D). From z ~ p(z), AIS
// moves through f_t(z) = p(z) p(x|z)^beta_t, 0 = beta_0 < ... < beta_T = 1 (a sigmoid
// schedule), accumulating log w += (beta_t - beta_{t-1}) log p(x|z) and leaving f_t
// invariant with one Hamiltonian Monte Carlo transition (L leapfrog steps, a
// per-chain step size adapted towards a target acceptance rate). Then
//   log p(x) ~= log (1/K) sum_k w_k
// over K chains: an unbiased estimate of p(x), so in expectation a lower bound on log p(x)
// that tightens as T grows. A linear-Gaussian decoder, whose log p(x) is exact, validates it.
// Bidirectional Monte Carlo (Grosse et al. 2015; Wu et al. section 4) runs the same chain
// backwards from an exact posterior sample of simulated data (z ~ p(z), x ~ p(x|z)), whose
// estimate bounds log p(x) from above: the gap between the two bounds the error of both.
//===----------------------------------------------------------------------===//
import DeepLearning
import Libm

/// Annealed importance sampling's settings: chains, intermediate distributions, HMC steps and step-size adaptation.
public struct AISSettings: Sendable {
  /// Intermediate distributions T.
  public var distributions = 500
  /// Independent chains K per image.
  public var chains = 16
  /// Leapfrog steps per HMC transition.
  public var leapfrogSteps = 10
  public var initialStepSize = 0.1
  public var targetAcceptance = 0.65
  /// Steepness of the sigmoid schedule (Wu et al.'s 4).
  public var scheduleSteepness = 4.0
  /// The defaults above: 500 distributions, 16 chains, 10 leapfrog steps.
  public init() {}

  /// beta_0 = 0, ..., beta_T = 1: a sigmoid of evenly spaced points, rescaled to [0, 1].
  public var schedule: [Double] {
    let t = distributions
    let s = (0...t).map { Math.sigmoid(scheduleSteepness * (2 * Double($0) / Double(t) - 1)) }
    return s.map { ($0 - s[0]) / (s[t] - s[0]) }
  }
}

/// What one AIS run gives per image.
public struct AISResult: Sendable {
  /// log p(x) estimates: forward AIS, a stochastic lower bound; reverse AIS (BDMC), an upper bound.
  public var logLikelihood: [Double]
  /// Mean HMC acceptance rate over chains and transitions.
  public var acceptance: Double
  /// The importance-weighted mean over chains of |x - mu(z)|^2 at the chains' final states (forward AIS:
  /// approximately E[|x - mu(z)|^2] under the posterior; its mean over images / D is the s^2 that maximises
  /// the marginal likelihood, an EM step).
  public var posteriorSquaredError: [Double]
}

/// AIS estimates of log p(x) per image (forward, from the prior), or with `start` BDMC's reverse
/// AIS from exact posterior samples (Grosse et al. 2015), whose estimate is a stochastic upper bound.
/// - images: N images flattened, [N * D], on the scale of `mean`'s outputs.
/// - mean: z [B, M] -> mu(z) [B, D] (or [B, C, H, W]), differentiable in z; the caller freezes its
///   parameters and puts it in evaluation mode.
/// - sigma2: the observation variance s^2.
/// - start: for reverse AIS, the latent [N * M] each image was simulated from (z ~ p(z), x ~ p(x|z)):
///   an exact posterior sample, which every chain of that image starts from.
public func aisLogLikelihood(images: [Float], dimension d: Int, nz m: Int, sigma2: Double, settings: AISSettings,
                             rng: inout RandomGenerator, start: [Float]? = nil, mean: (Tensor) -> Tensor) -> AISResult {
  let n = images.count / d, k = settings.chains, b = n * k
  precondition(n * d == images.count && n > 0, "aisLogLikelihood: \(images.count) values are not whole images of \(d)")
  precondition(start == nil || start!.count == n * m, "aisLogLikelihood: start needs \(n * m) values")
  // Row r = i * K + c is chain c of image i.
  var x = [Float](repeating: 0, count: b * d)
  for i in 0..<n { for c in 0..<k { for j in 0..<d { x[(i * k + c) * d + j] = images[i * d + j] } } }
  let logNorm = -0.5 * Double(d) * Math.log(2 * Double.pi * sigma2)
  var squaredError = [Double](repeating: 0, count: b)

  /// log p(x|z) per row and its gradient in z (the squared errors are kept for the last state).
  func likelihood(_ z: [Float]) -> (ll: [Double], grad: [Float], se: [Double]) {
    let zt = Tensor(shape: [b, m], data: z, requiresGrad: true)
    let out = mean(zt)
    precondition(out.count == b * d, "aisLogLikelihood: the decoder gave \(out.shape) for \(b) codes of \(d) pixels")
    var ll = [Double](repeating: logNorm, count: b), se = [Double](repeating: 0, count: b)
    var seed = [Float](repeating: 0, count: b * d)
    let inv = 1 / sigma2
    for r in 0..<b {
      var s = 0.0
      for j in 0..<d {
        let diff = Double(out.data[r * d + j] - x[r * d + j])
        s += diff * diff
        seed[r * d + j] = Float(-diff * inv)         // d log p(x|z) / d mu
      }
      ll[r] -= 0.5 * s * inv
      se[r] = s
    }
    out.backward(seed: seed)
    return (ll, zt.grad ?? [Float](repeating: 0, count: b * m), se)
  }

  // Forward: beta from 0 to 1, starting from the prior; reverse: from 1 to 0, starting from the posterior.
  var betas = settings.schedule
  var z: [Float]
  if let start {
    betas.reverse()
    z = (0..<b).flatMap { r in start[(r / k * m)..<(r / k * m + m)] }
  } else {
    z = (0..<(b * m)).map { _ in rng.normal() }
  }
  var (ll, grad, se) = likelihood(z)
  squaredError = se
  var logW = [Double](repeating: 0, count: b)
  var logStep = [Double](repeating: Math.log(settings.initialStepSize), count: b)
  var accepted = 0.0
  for t in 1..<betas.count {
    let beta = betas[t]
    for r in 0..<b { logW[r] += (beta - betas[t - 1]) * ll[r] }
    // One HMC transition leaving p(z) p(x|z)^beta invariant: U(z) = |z|^2 / 2 - beta log p(x|z).
    func gradU(_ z: [Float], _ g: [Float]) -> [Float] { (0..<(b * m)).map { z[$0] - Float(beta) * g[$0] } }
    func energy(_ z: [Float], _ ll: [Double], _ r: Int) -> Double {
      var s = 0.0
      for j in 0..<m { s += Double(z[r * m + j] * z[r * m + j]) }
      return 0.5 * s - beta * ll[r]
    }
    let eps = logStep.map { Float(Math.exp($0)) }
    var p = (0..<(b * m)).map { _ in rng.normal() }
    let h0 = (0..<b).map { r in energy(z, ll, r) + 0.5 * (0..<m).reduce(0.0) { $0 + Double(p[r * m + $1] * p[r * m + $1]) } }
    var zNew = z, llNew = ll, gNew = grad, seNew = se
    var gu = gradU(zNew, gNew)
    for i in 0..<(b * m) { p[i] -= 0.5 * eps[i / m] * gu[i] }
    for l in 1...settings.leapfrogSteps {
      for i in 0..<(b * m) { zNew[i] += eps[i / m] * p[i] }
      (llNew, gNew, seNew) = likelihood(zNew)
      gu = gradU(zNew, gNew)
      let f: Float = l < settings.leapfrogSteps ? 1 : 0.5
      for i in 0..<(b * m) { p[i] -= f * eps[i / m] * gu[i] }
    }
    for r in 0..<b {
      let h1 = energy(zNew, llNew, r) + 0.5 * (0..<m).reduce(0.0) { $0 + Double(p[r * m + $1] * p[r * m + $1]) }
      let accept = h1.isFinite && Math.log(rng.uniformDouble()) < h0[r] - h1
      if accept {
        for j in 0..<m { z[r * m + j] = zNew[r * m + j]; grad[r * m + j] = gNew[r * m + j] }
        ll[r] = llNew[r]; se[r] = seNew[r]
        accepted += 1
      }
      logStep[r] += 0.05 * ((accept ? 1 : 0) - settings.targetAcceptance)
    }
  }
  squaredError = se
  var result = AISResult(logLikelihood: [], acceptance: accepted / Double(b * (betas.count - 1)), posteriorSquaredError: [])
  for i in 0..<n {
    let w = logW[(i * k)..<((i + 1) * k)]
    let top = w.max()!
    let weights = w.map { Math.exp($0 - top) }
    let total = weights.reduce(0, +)
    let logMean = top + Math.log(total / Double(k))
    // Reverse AIS estimates 1 / p(x): its log is negated.
    result.logLikelihood.append(start == nil ? logMean : -logMean)
    result.posteriorSquaredError.append(zip(weights, squaredError[(i * k)..<((i + 1) * k)]).reduce(0.0) { $0 + $1.0 * $1.1 } / total)
  }
  return result
}

/// The exact log p(x) of the linear-Gaussian model x = W z + c + s eps, z ~ N(0, I_M), eps ~ N(0, I_D):
/// x ~ N(c, W W^T + s^2 I). With A = I_M + W^T W / s^2 (Woodbury and the determinant lemma):
///   log det(W W^T + s^2 I) = D log s^2 + log det A,
///   r^T (W W^T + s^2 I)^{-1} r = |r|^2 / s^2 - u^T A^{-1} u,  u = W^T r / s^2,  r = x - c.
/// images [N * D]; weight [D, M] row-major (the layout of Linear's weight); bias [D].
public func linearGaussianLogLikelihood(images: [Float], weight: [Float], bias: [Float], nz m: Int, sigma2: Double) -> [Double] {
  let d = bias.count, n = images.count / d
  var a = [Double](repeating: 0, count: m * m)
  for i in 0..<m { for j in 0..<m {
    var s = 0.0
    for r in 0..<d { s += Double(weight[r * m + i]) * Double(weight[r * m + j]) }
    a[i * m + j] = s / sigma2 + (i == j ? 1 : 0)
  } }
  let l = cholesky(a, m)
  var logDetA = 0.0
  for i in 0..<m { logDetA += 2 * Math.log(l[i * m + i]) }
  let logDet = Double(d) * Math.log(sigma2) + logDetA
  return (0..<n).map { i in
    var rr = 0.0
    var u = [Double](repeating: 0, count: m)
    for r in 0..<d {
      let v = Double(images[i * d + r] - bias[r])
      rr += v * v
      for j in 0..<m { u[j] += Double(weight[r * m + j]) * v / sigma2 }
    }
    let y = choleskySolve(l, u, m)
    let quad = rr / sigma2 - zip(u, y).reduce(0.0) { $0 + $1.0 * $1.1 }
    return -0.5 * (quad + logDet + Double(d) * Math.log(2 * Double.pi))
  }
}

/// The lower Cholesky factor L (L L^T = a) of a symmetric positive definite n x n matrix.
func cholesky(_ a: [Double], _ n: Int) -> [Double] {
  var l = [Double](repeating: 0, count: n * n)
  for i in 0..<n { for j in 0...i {
    var s = a[i * n + j]
    for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
    if i == j {
      precondition(s > 0, "cholesky: the matrix is not positive definite")
      l[i * n + i] = s.squareRoot()
    } else {
      l[i * n + j] = s / l[j * n + j]
    }
  } }
  return l
}

/// Solves (L L^T) y = u.
func choleskySolve(_ l: [Double], _ u: [Double], _ n: Int) -> [Double] {
  var w = u
  for i in 0..<n { for k in 0..<i { w[i] -= l[i * n + k] * w[k] }; w[i] /= l[i * n + i] }
  for i in stride(from: n - 1, through: 0, by: -1) {
    for k in (i + 1)..<n { w[i] -= l[k * n + i] * w[k] }
    w[i] /= l[i * n + i]
  }
  return w
}
