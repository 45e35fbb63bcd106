import DeepLearning
import Evaluation
import Foundation
import Models
import TestSupport
import Testing


/// Chapter 3's systems: shapes, finite training steps, ALI's one-pass update, learning on a fixed batch.
@Suite("Generative systems: AGE, ALI, BiGAN, AAE, alpha-GAN, VAE, DCGAN")
struct SystemsTests {
  static let net = DCGAN32Config(channels: 1, nz: 4, ngf: 4, ndf: 4)

  static func make(_ key: String, seed: UInt64 = 1, lr: Float? = nil) -> GenerativeSystem {
    var rng = RandomGenerator(seed: seed)
    switch key {
    case "age": return AGESystem(net, config: AGEConfig(), rng: &rng)
    case "ali": return ALISystem(net, stochastic: true, optimizer: AdamSettings(lr: lr ?? AdamSettings.ali.lr, beta1: AdamSettings.ali.beta1), seed: 9, rng: &rng)
    case "bigan": return ALISystem(net, stochastic: false, optimizer: AdamSettings(lr: lr ?? AdamSettings.ali.lr, beta1: AdamSettings.ali.beta1), seed: 9, rng: &rng)
    case "aae": return AAESystem(net, rng: &rng)
    case "alpha_gan": return AlphaGANSystem(net, rng: &rng)
    case "vae": return VAESystem(net, rng: &rng)
    default: return DCGANSystem(net, rng: &rng)
    }
  }

  @Test(arguments: ["age", "ali", "bigan", "aae", "alpha_gan", "vae", "dcgan"])
  func shapesAndFiniteSteps(key: String) {
    let s = SystemsTests.make(key)
    #expect(s.key == key)
    let x = fixture([8, 1, 32, 32], seed: 2, requiresGrad: false)
    var rng = RandomGenerator(seed: 3)
    let before = s.modules.values.flatMap { $0.parameters.flatMap { $0.data } }
    for _ in 0..<2 {
      let losses = s.step(x: x, rng: &rng)
      #expect(!losses.isEmpty && losses.values.allSatisfy { $0.isFinite }, "\(key): \(losses)")
    }
    let after = s.modules.values.flatMap { $0.parameters.flatMap { $0.data } }
    #expect(before != after)
    s.eval()
    withNoGrad {
      #expect(s.decode(s.samplePrior(5, rng: &rng)).shape == [5, 1, 32, 32])
      if let z = s.encode(x) { #expect(z.shape == [8, 4]) } else { #expect(key == "dcgan") }
      let f = s.features(x)
      #expect(f.shape[0] == 8 && f.shape[1] == 16 * 4 + (key == "dcgan" ? 0 : 4))
    }
  }

  /// ALI updates D, E and G from one forward pass with two backward passes that stop at D's
  /// inputs (for D) or skip D's weights (for E and G). The gradients must equal those of the
  /// textbook form: L_D with the encoder and decoder outputs detached, L_G with D frozen.
  @Test func aliGradientsFromOnePass() {
    let s = SystemsTests.make("ali", lr: 0) as! ALISystem   // lr 0: the step leaves its gradients, not new weights
    s.d.eval()                                             // no dropout, so both computations see the same D
    let x = fixture([6, 1, 32, 32], seed: 4, requiresGrad: false)
    var rng = RandomGenerator(seed: 5)
    var replay = rng
    _ = s.step(x: x, rng: &rng)
    let grads = { (m: Module) in m.parameters.map { $0.grad ?? [Float](repeating: 0, count: $0.count) } }
    let (gd, ge, gg) = (grads(s.d), grads(s.e), grads(s.g))

    s.d.zeroGrad(); s.e.zeroGrad(); s.g.zeroGrad()
    let z = Tensor.normal([6, 4], rng: &replay)
    let (mu, logSigma) = splitGaussian(s.e(x))
    let zHat = mu + logSigma.exp() * Tensor.normal(mu.shape, rng: &replay)
    let xTilde = s.g(z)
    let dEnc = s.d(x: x, z: zHat), dDec = s.d(x: xTilde, z: z)
    let dEncDet = s.d(x: x, z: zHat.detach()), dDecDet = s.d(x: xTilde.detach(), z: z)
    ((-dEncDet).softplus().mean() + dDecDet.softplus().mean()).backward()
    let refD = grads(s.d)
    s.d.requiresGrad(false)
    (dEnc.softplus().mean() + (-dDec).softplus().mean()).backward()
    s.d.requiresGrad(true)
    let (refE, refG) = (grads(s.e), grads(s.g))
    for (a, b) in zip(gd + ge + gg, refD + refE + refG) {
      #expect(closeness(a, b, atol: 1e-5, rtol: 1e-3) <= 1)
    }
  }

  /// Systems whose encoder-generator objective contains the reconstruction error lower it on one fixed
  /// batch (alpha-GAN less: at width 4 its two adversarial terms pull against the L1 term).
  @Test(arguments: ["vae", "aae", "alpha_gan"])
  func learnsToReconstructOneBatch(key: String) {
    let s = SystemsTests.make(key, seed: 7)
    // Four smooth patterns (learnable by a width-4 pair), each four times.
    var px: [Float] = []
    for i in 0..<16 { for r in 0..<32 { for c in 0..<32 {
      let f = Float(i % 4 + 1)
      px.append(Float(0.8 * Foundation.sin(Double(f) * Double(r) / 10) * Foundation.cos(Double(c) / Double(5 + i % 4))))
    } } }
    let x = Tensor(shape: [16, 1, 32, 32], data: px)
    var rng = RandomGenerator(seed: 9)
    func error() -> Float {
      s.eval(); defer { s.train() }
      return withNoGrad { l1Loss(s.decode(s.encode(x)!), x).item }
    }
    let e0 = error()
    for _ in 0..<200 { _ = s.step(x: x, rng: &rng) }
    let e1 = error()
    #expect(e1 < (key == "alpha_gan" ? 0.98 : 0.8) * e0, "\(key): L1 \(e0) -> \(e1)")
  }
}

/// Annealed importance sampling against the exact likelihood of a linear-Gaussian decoder.
@Suite("AIS log-likelihood")
struct AISTests {
  /// The Woodbury form of the linear-Gaussian log-density equals the direct D x D computation.
  @Test func exactLinearGaussian() {
    var rng = RandomGenerator(seed: 1)
    let d = 6, m = 2
    let w = (0..<(d * m)).map { _ in rng.normal() }, c = (0..<d).map { _ in rng.normal() }
    let x = (0..<(3 * d)).map { _ in rng.normal() }
    let s2 = 0.3
    let ours = linearGaussianLogLikelihood(images: x, weight: w, bias: c, nz: m, sigma2: s2)
    // Direct: covariance W W^T + s2 I, its inverse by Gauss-Jordan, its determinant by elimination.
    var cov = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for i in 0..<d { for j in 0..<d {
      cov[i][j] = (0..<m).reduce(0.0) { $0 + Double(w[i * m + $1]) * Double(w[j * m + $1]) } + (i == j ? s2 : 0)
    } }
    var a = cov, inv = (0..<d).map { i in (0..<d).map { $0 == i ? 1.0 : 0.0 } }
    var det = 1.0
    for col in 0..<d {
      let p = a[col][col]; det *= p
      for j in 0..<d { a[col][j] /= p; inv[col][j] /= p }
      for r in 0..<d where r != col {
        let f = a[r][col]
        for j in 0..<d { a[r][j] -= f * a[col][j]; inv[r][j] -= f * inv[col][j] }
      }
    }
    for i in 0..<3 {
      let r = (0..<d).map { Double(x[i * d + $0] - c[$0]) }
      var q = 0.0
      for a in 0..<d { for b in 0..<d { q += r[a] * inv[a][b] * r[b] } }
      let direct = -0.5 * (q + Foundation.log(det) + Double(d) * Foundation.log(2 * Double.pi))
      #expect(abs(direct - ours[i]) < 1e-6 * max(1, abs(direct)), "image \(i): \(ours[i]) vs \(direct)")
    }
  }

  /// A frozen Linear decoder [m -> d], `images` latents z ~ N(0, I) and images x = dec(z) + s eps drawn from it,
  /// and their exact log p(x).
  func simulatedLinearGaussian(images n: Int, d: Int, m: Int, sigma2 s2: Double, rng: inout RandomGenerator)
    -> (dec: Linear, z: Tensor, x: [Float], exact: [Double]) {
    let dec = Linear(m, d, rng: &rng)
    dec.requiresGrad(false)
    let z = Tensor.normal([n, m], rng: &rng)
    let x = withNoGrad { dec(z) }.data.map { $0 + Float(s2.squareRoot()) * rng.normal() }
    let exact = linearGaussianLogLikelihood(images: x, weight: dec.weight.data, bias: dec.bias!.data, nz: m, sigma2: s2)
    return (dec, z, x, exact)
  }

  /// AIS through a Linear decoder matches the exact log p(x) within a fraction of a nat.
  @Test func aisMatchesExact() {
    var rng = RandomGenerator(seed: 2)
    let d = 16, m = 3, s2 = 0.05
    let (dec, _, x, exact) = simulatedLinearGaussian(images: 6, d: d, m: m, sigma2: s2, rng: &rng)
    var settings = AISSettings()
    settings.distributions = 1000; settings.chains = 32; settings.leapfrogSteps = 5
    let r = aisLogLikelihood(images: x, dimension: d, nz: m, sigma2: s2, settings: settings, rng: &rng) { dec($0) }
    let (est, acc) = (r.logLikelihood, r.acceptance)
    let err = zip(est, exact).map { abs($0 - $1) }.reduce(0, +) / Double(exact.count)
    #expect(err < 0.2, "mean |AIS - exact| = \(err) nats (estimates \(est), exact \(exact))")
    #expect(acc > 0.3 && acc < 0.95, "acceptance \(acc)")
    // The posterior's expected squared error: the noise's D s^2, less what the M-dimensional code explains.
    let se = r.posteriorSquaredError.reduce(0, +) / Double(r.posteriorSquaredError.count)
    #expect(se > 0.3 * s2 * Double(d - m) && se < 1.5 * s2 * Double(d), "posterior squared error \(se)")
  }

  /// BDMC: on data simulated from the model, forward AIS from the prior bounds log p(x) from below and
  /// reverse AIS from the simulating latent bounds it from above (on average over images); with a short
  /// schedule the gap is wide, with a long one both close in on the exact value.
  @Test func bdmcSandwichesExact() {
    var rng = RandomGenerator(seed: 5)
    let d = 24, m = 3, s2 = 0.01
    let (dec, z, x, exact) = simulatedLinearGaussian(images: 8, d: d, m: m, sigma2: s2, rng: &rng)
    func meanOf(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
    var gaps: [Double] = []
    for t in [5, 4000] {
      var settings = AISSettings()
      settings.distributions = t; settings.chains = 4; settings.leapfrogSteps = 5
      let fwd = aisLogLikelihood(images: x, dimension: d, nz: m, sigma2: s2, settings: settings, rng: &rng) { dec($0) }
      let rev = aisLogLikelihood(images: x, dimension: d, nz: m, sigma2: s2, settings: settings, rng: &rng, start: z.data) { dec($0) }
      let (lo, hi, ex) = (meanOf(fwd.logLikelihood), meanOf(rev.logLikelihood), meanOf(exact))
      #expect(lo <= ex + 0.1 && hi >= ex - 0.1, "T = \(t): forward \(lo), exact \(ex), reverse \(hi)")
      gaps.append(hi - lo)
    }
    #expect(gaps[1] < 0.5 && gaps[1] < gaps[0] / 4, "BDMC gaps \(gaps)")
  }
}

/// Linear probes separate separable features and report the protocol's mean and spread.
@Suite("Linear probe")
struct LinearProbeTests {
  @Test func separableBlobs() {
    var rng = RandomGenerator(seed: 4)
    let k = 3, f = 5
    func blob(_ n: Int) -> LabelledFeatures {
      var x: [Float] = [], y: [Int] = []
      for i in 0..<n {
        let c = i % k
        y.append(c)
        x += (0..<f).map { j in (j == c ? 3 : 0) + rng.normal() * 0.7 }
      }
      return LabelledFeatures(features: x, labels: y, dimension: f)
    }
    let r = probeError(pool: blob(600), validation: blob(150), test: blob(300), classes: k, perClass: 20, draws: 4, seed: 1)
    #expect(r.errors.count == 4)
    #expect(r.mean < 0.08, "error \(r.mean)")
    // With labels unrelated to the features, the probe is at chance (it does not see the test labels).
    var shuffled = blob(300)
    shuffled.labels = rng.permutation(300).map { shuffled.labels[$0] }
    let chance = probeError(pool: blob(600), validation: blob(150), test: shuffled, classes: k, perClass: 20, draws: 4, seed: 1)
    #expect(chance.mean > 0.5, "error \(chance.mean) on shuffled labels")
  }
}

/// Probabilistic PCA recovers a planted low-rank model.
@Suite("PPCA")
struct PPCATests {
  @Test func recoversPlantedModel() {
    var rng = RandomGenerator(seed: 6)
    let d = 8, q = 2, n = 4000
    let w = (0..<(d * q)).map { _ in rng.normal() * 2 }, c = (0..<d).map { _ in rng.normal() }
    let s2: Float = 0.09
    var x: [Float] = []
    for _ in 0..<n {
      let z = (0..<q).map { _ in rng.normal() }
      for r in 0..<d { x.append(c[r] + (0..<q).reduce(0) { $0 + w[r * q + $1] * z[$1] } + s2.squareRoot() * rng.normal()) }
    }
    let p = PPCA(fit: x, dimension: d, components: q)
    #expect(abs(p.sigma2 - Double(s2)) < 0.02, "s^2 \(p.sigma2)")
    // W W^T is identified (W only up to a rotation); sampling error is relative to its largest entry.
    let scale = (0..<d).map { a in (0..<q).reduce(Float(0)) { $0 + w[a * q + $1] * w[a * q + $1] } }.max()!
    for a in 0..<d { for b in 0..<d {
      let fit = (0..<q).reduce(Float(0)) { $0 + p.weight[a * q + $1] * p.weight[b * q + $1] }
      let true_ = (0..<q).reduce(Float(0)) { $0 + w[a * q + $1] * w[b * q + $1] }
      #expect(abs(fit - true_) < 0.05 * scale, "WW^T[\(a), \(b)] \(fit) vs \(true_)")
    } }
    // The fitted model's mean log-likelihood on its data is at least the true model's minus a little.
    let ll = p.logLikelihood(Array(x.prefix(200 * d))).reduce(0, +) / 200
    let llTrue = linearGaussianLogLikelihood(images: Array(x.prefix(200 * d)), weight: w, bias: c, nz: q, sigma2: Double(s2))
      .reduce(0, +) / 200
    #expect(ll > llTrue - 0.1, "\(ll) vs true \(llTrue)")
  }
}
