//===--- Likelihood.swift -------------------------------------------------===//
// The paper's MNIST log-likelihood table (AGE 746, ALI 721, VAE 705.4, GAN 346.7
// nats) under Wu et al.'s protocol (WuProtocol.swift): the four 10-d models trained
// on dequantized digits, each scored by annealed importance sampling (Evaluation/AIS.swift)
// with an observation variance s^2 chosen on validation digits, beside what calibrates
// the numbers:
// - baselines: a constant decoder that always outputs the mean training digit (exact
//   log p(x) at its best s^2), and probabilistic PCA with 10 components (exact, and by
//   the same AIS: the check of the AIS code);
// - each model's s^2 and its ceiling -(D/2) ln(2 pi s^2), and its own reconstruction
//   error |x - g(e(x))|^2 where it has an encoder;
// - the AIS estimate against the number of distributions T on a few digits, and the
//   BDMC gap on digits simulated from each model (forward AIS bounds log p(x) from
//   below, reverse AIS from above);
// - per-epoch validation curves (reconstruction error, FD of 7x7-pooled samples) and
//   whether each model had stopped improving.
// s^2 is chosen by EM on validation digits with the test's AIS settings: starting from
// Wu et al.'s 0.03, each AIS run gives log p(x) at s^2 and the posterior's expected
// squared error, whose mean over digits / D is the next s^2 (the marginal likelihood's
// fixed point); the s^2 with the best validation log p(x) is kept.
// AGE here is the variant with a Gaussian latent (chapter 2's game with Z = N(0, I)).
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Models

/// One model's log-likelihood estimate and its calibration evidence.
struct LikelihoodScore {
  var key: String
  var sigma2 = 0.0
  /// The EM path of s^2 with the mean validation log p(x) at each value.
  var path: [(sigma2: Double, validation: Double)] = []
  /// AIS log p(x) per test digit.
  var test: [Double] = []
  var acceptance = 0.0
  /// |x - g(e(x))|^2 per test digit on [0, 1] (nil without an encoder).
  var reconSE: [Double]?
  /// Mean over test digits of the posterior's expected |x - g(z)|^2 (from the AIS chains).
  var posteriorSE = 0.0
  /// BDMC on simulated digits: mean forward (lower) and reverse (upper) estimates.
  var bdmcForward = 0.0, bdmcReverse = 0.0
  /// The AIS mean on the sweep digits for each T.
  var sweep: [(distributions: Int, mean: Double)] = []
  var trainSeconds = 0.0
  var epochs = 0
  /// Per-epoch validation curve: reconstruction squared error (empty without an encoder) and FD.
  var curveSE: [Float] = [], curveFD: [Float] = []
  var stopping = ""

  var mean: Double { test.reduce(0, +) / Double(max(test.count, 1)) }
  var interval: Interval { bootstrapMean(test, seed: 17) }
  var ceiling: Double { WuProtocol.ceiling(sigma2) }
  var json: [String: Any] {
    var j: [String: Any] = [
      "mean": mean, "interval": interval.json, "sigma2": sigma2, "ceiling": ceiling,
      "sigma2_path": path.map { ["sigma2": $0.sigma2, "validation_mean": $0.validation] },
      "hmc_acceptance": acceptance, "posterior_squared_error": posteriorSE,
      "bdmc": ["forward": bdmcForward, "reverse": bdmcReverse, "gap": bdmcReverse - bdmcForward],
      "sweep": sweep.map { ["distributions": $0.distributions, "mean": $0.mean] },
      "train_seconds": trainSeconds, "epochs": epochs, "stopping": stopping,
      "curve": ["recon_squared_error": curveSE, "fd_pooled": curveFD],
    ]
    j["recon_squared_error"] = reconSE.map { $0.reduce(0, +) / Double($0.count) } ?? "no encoder"
    return j
  }
}

struct LikelihoodResults {
  var dataset: DatasetName
  var scores: [LikelihoodScore] = []
  var settings: AISSettings
  var testImages = 0, trainImages = 0, validationImages = 0, selectionImages = 0
  /// The constant decoder: its s^2 (fitted on validation digits) and exact log p(x) per test digit.
  var meanImageSigma2 = 0.0, meanImage: [Double] = []
  /// PPCA (q = 10): s^2, exact and AIS log p(x) per test digit.
  var ppcaSigma2 = 0.0, ppcaExact: [Double] = [], ppcaAIS: [Double] = []
  var aisSeconds = 0.0
  func score(_ key: String) -> LikelihoodScore? { scores.first { $0.key == key } }

  /// Our VAE-10 and GAN-10 against Wu et al.'s: (ours, published, within tolerance); nil when not run.
  func calibration(_ key: String) -> (ours: Interval, published: Double, within: Bool)? {
    guard let s = score(key), let p = WuProtocol.published[key], let tol = WuProtocol.calibrationTolerance[key] else { return nil }
    let i = s.interval
    return (i, p, Swift.abs(i.value - p) <= tol)
  }
  var calibrated: Bool { (calibration("vae")?.within ?? false) && (calibration("gan")?.within ?? false) }
}

func meanOf(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(x.count, 1)) }

/// Trains the four models on dequantized digits and estimates their test log-likelihoods.
func runLikelihood(_ d: DatasetName, locator: DataLocator, budget: Budget, runsDir: String, fresh: Bool,
                   seed: UInt64) throws -> LikelihoodResults {
  let full = try locator.load(d, train: true), test = try locator.load(d, train: false)
  guard full.height == 28 && full.channels == 1 else {
    throw ValidationError("the likelihood part expects 28x28 grayscale digits; \(d.rawValue) has \(full.channels)x\(full.height)x\(full.width)")
  }
  let dim = WuProtocol.dimension
  let nValid = min(budget.likelihoodValidationImages, full.count / 2)
  let nTrain = min(budget.likelihoodTrainImages, full.count - nValid)
  let trainRows = dequantized(full, Array(0..<nTrain), seed: seed &+ 11)
  let validRows = dequantized(full, Array((full.count - nValid)..<full.count), seed: seed &+ 12)
  let nTest = min(budget.aisImages, test.count)
  let x = dequantized(test, Array(0..<nTest), seed: seed &+ 13)
  let nSelect = min(budget.aisSelectionImages, nValid)
  let xSelect = Array(validRows.prefix(nSelect * dim))
  let trainSet = imageSet("\(d.rawValue)-dequantized", rows: trainRows, like: full)
  var res = LikelihoodResults(dataset: d, settings: budget.ais)
  (res.trainImages, res.validationImages, res.testImages, res.selectionImages) = (nTrain, nValid, nTest, nSelect)
  log("likelihood (\(d.rawValue)): \(nTrain) training and \(nValid) validation digits (dequantized), AIS on \(nTest) test digits: "
      + "\(budget.ais.distributions) distributions, \(budget.ais.chains) chains, \(budget.ais.leapfrogSteps) leapfrog steps; "
      + "s^2 on \(nSelect) validation digits")

  // ---- Baselines: the mean training digit as a constant decoder, and PPCA (exact and by AIS).
  let t0 = Date()
  var meanDigit = [Double](repeating: 0, count: dim)
  for r in 0..<nTrain { for j in 0..<dim { meanDigit[j] += Double(trainRows[r * dim + j]) } }
  meanDigit = meanDigit.map { $0 / Double(nTrain) }
  func squaredErrors(_ rows: [Float], _ m: [Double]) -> [Double] {
    (0..<(rows.count / dim)).map { r in (0..<dim).reduce(0.0) { let e = Double(rows[r * dim + $1]) - m[$1]; return $0 + e * e } }
  }
  res.meanImageSigma2 = meanOf(squaredErrors(validRows, meanDigit)) / Double(dim)
  res.meanImage = squaredErrors(x, meanDigit).map { WuProtocol.ceiling(res.meanImageSigma2) - 0.5 * $0 / res.meanImageSigma2 }
  let ppca = PPCA(fit: Array(trainRows.prefix(min(10000, nTrain) * dim)), dimension: dim, components: 10)
  res.ppcaSigma2 = ppca.sigma2
  res.ppcaExact = ppca.logLikelihood(x)
  var rng = RandomGenerator(seed: seed &+ 500)
  res.ppcaAIS = aisLogLikelihood(images: x, dimension: dim, nz: 10, sigma2: ppca.sigma2, settings: budget.ais, rng: &rng) {
    ppca.decode($0)
  }.logLikelihood
  log(String(format: "likelihood: mean-digit decoder %.1f nats (s^2 = %.4f); PPCA exact %.1f, AIS %.1f (s^2 = %.4f)",
             meanOf(res.meanImage), res.meanImageSigma2, meanOf(res.ppcaExact), meanOf(res.ppcaAIS), ppca.sigma2))
  var aisSeconds = Date().timeIntervalSince(t0)

  // ---- The four models.
  let c = MLPConfig(nz: 10)
  let curveRows = Array(validRows.prefix(min(budget.likelihoodCurveDigits, nValid) * dim))
  let curve = likelihoodCurve(validation: curveRows, seed: seed &+ 21)
  for (i, key) in ["age", "ali", "vae", "gan"].enumerated() {
    var r = RandomGenerator(seed: seed &+ 1000 &+ UInt64(i))
    let system: GenerativeSystem
    switch key {
    case "age":
      var a = AGEConfig()
      a.lambda = 1000 / 64; a.latentLoss = .l2; a.divergence = .paper
      system = AGESystem(trainer: AGETrainer(e: makeMLPEncoder(c, outputs: 10, rng: &r), g: makeMLPGenerator(c, rng: &r),
                                             nz: 10, config: a, spherePrior: false))
    case "ali":
      system = ALISystem(e: makeMLPEncoder(c, outputs: 20, rng: &r), g: makeMLPGenerator(c, rng: &r),
                         d: makeMLPJointDiscriminator(c, seed: seed, rng: &r), nz: 10, stochastic: true)
    case "vae":
      system = VAESystem(e: makeMLPEncoder(c, outputs: 20, rng: &r), g: makeMLPGenerator(c, rng: &r), nz: 10)
    default:
      system = DCGANSystem(g: makeMLPGenerator(c, rng: &r), d: makeMLPDiscriminator(c, rng: &r), nz: 10)
    }
    // The MLPs train on dequantized digits (WuProtocol.swift), part of the networks' description.
    struct Networks: Encodable { let mlp: MLPConfig; let data = "dequantized" }
    let run = SystemRun(spec: SystemRunSpec(name: "\(d.rawValue)-mlp-\(key)", net: Networks(mlp: c), recipe: system.recipe,
                                            trainImages: trainSet.count, seed: seed), system: system)
    try train(run, data: trainSet, epochs: budget.likelihoodEpochs(key), runsDir: runsDir, fresh: fresh, curve: curve)
    if let stop = run.stopped { log("likelihood: \(key) \(stop); scoring the last good networks") }
    guard run.usable else { throw CheckpointError(path: runsDir, message: "likelihood model \(key): \(run.stopped ?? ""): no trained networks to score") }
    let t1 = Date()
    var sc = try score(key, system, x: x, xSelect: xSelect, budget: budget, seed: seed &+ UInt64(i))
    aisSeconds += Date().timeIntervalSince(t1)
    sc.trainSeconds = run.trainSeconds
    sc.epochs = run.epochsDone
    sc.curveSE = run.history["curve_l1"] ?? []
    sc.curveFD = run.history["curve_fd"] ?? []
    sc.stopping = sc.curveSE.isEmpty ? stoppingNote(sc.curveFD, what: "validation FD of samples")
      : stoppingNote(sc.curveSE, what: "validation reconstruction error")
    res.scores.append(sc)
  }
  res.aisSeconds = aisSeconds
  return res
}

/// The per-epoch validation point of a 28x28 model: (|x - g(e(x))|^2 per digit on [0, 1], nil without an
/// encoder; Frechet distance between 7x7-pooled samples and validation digits). Stored as the curve's
/// `curve_l1` and `curve_fd` histories.
func likelihoodCurve(validation rows: [Float], seed: UInt64) -> CurveProbe {
  let dim = WuProtocol.dimension, n = rows.count / dim
  let xv = Tensor(shape: [n, 1, 28, 28], data: rows.map { 2 * $0 - 1 })
  let pooledValid = pooled(xv)
  return CurveProbe { s in
    s.eval(); defer { s.train() }
    let rec: Double? = withNoGrad {
      guard let z = s.encode(xv) else { return nil }
      let g = s.decode(z)
      var e = 0.0
      for k in 0..<g.count { let d = Double(g.data[k] - xv.data[k]) / 2; e += d * d }
      return e / Double(n)
    }
    var rng = RandomGenerator(seed: seed)
    let samples = withNoGrad { s.decode(s.samplePrior(n, rng: &rng)) }
    let fd = frechetDistance(pooled(samples), pooledValid, dimension: 49)
    return (rec, fd)
  }
}

/// 4x4 average pooling of [N, 1, 28, 28] on [0, 1]: rows of 49.
func pooled(_ x: Tensor) -> [Float] {
  let n = x.shape[0]
  var out = [Float](repeating: 0, count: n * 49)
  for i in 0..<n { for y in 0..<28 { for xx in 0..<28 {
    out[i * 49 + (y / 4) * 7 + xx / 4] += (x.data[i * 784 + y * 28 + xx] + 1) / 2 / 16
  } } }
  return out
}

/// Whether a curve (lower is better) had stopped improving: its relative change over the last quarter of
/// epochs, read as "still improving" (fell by more than 2%), "getting worse" (rose by more than 2%) or "flat".
func stoppingNote(_ curve: [Float], what: String) -> String {
  guard curve.count >= 4 else { return "too few epochs to judge (\(curve.count))" }
  let span = curve.count / 4
  let a = Double(curve[curve.count - 1 - span]), b = Double(curve.last!)
  let change = (b - a) / max(Swift.abs(a), 1e-12)
  let over = span == 1 ? "the last epoch" : "the last \(span) epochs"
  if change < -0.02 { return String(format: "still improving: %@ fell %.1f%% over %@", what, -100 * change, over) }
  if change > 0.02 { return String(format: "getting worse: %@ rose %.1f%% over %@", what, 100 * change, over) }
  return String(format: "flat: %@ changed %+.1f%% over %@", what, 100 * change, over)
}

/// s^2 by EM on the selection digits, the test AIS, the sweep over T and BDMC for one trained model.
func score(_ key: String, _ s: GenerativeSystem, x: [Float], xSelect: [Float], budget: Budget, seed: UInt64) throws -> LikelihoodScore {
  s.eval()
  for m in s.modules.values { m.requiresGrad(false) }
  defer { for m in s.modules.values { m.requiresGrad(true) }; s.train() }
  let dim = WuProtocol.dimension
  let decode = { (z: Tensor) in ((s.decode(z) + 1) * 0.5).flatten() }
  var rng = RandomGenerator(seed: seed &+ 77)
  var sc = LikelihoodScore(key: key)
  var s2 = WuProtocol.publishedSigma2["vae"]!
  for _ in 0..<budget.sigma2Steps {
    let r = aisLogLikelihood(images: xSelect, dimension: dim, nz: s.nz, sigma2: s2, settings: budget.ais, rng: &rng, mean: decode)
    sc.path.append((s2, meanOf(r.logLikelihood)))
    s2 = min(0.25, max(1e-3, meanOf(r.posteriorSquaredError) / Double(dim)))
  }
  sc.sigma2 = sc.path.max { $0.validation < $1.validation }!.sigma2
  let r = aisLogLikelihood(images: x, dimension: dim, nz: s.nz, sigma2: sc.sigma2, settings: budget.ais, rng: &rng, mean: decode)
  sc.test = r.logLikelihood
  sc.acceptance = r.acceptance
  sc.posteriorSE = meanOf(r.posteriorSquaredError)
  let n = x.count / dim
  let xt = Tensor(shape: [n, 1, 28, 28], data: x.map { 2 * $0 - 1 })
  sc.reconSE = withNoGrad { s.encode(xt).map { z in
    let g = s.decode(z)
    return (0..<n).map { i in (0..<dim).reduce(0.0) { let d = Double(g.data[i * dim + $1] - xt.data[i * dim + $1]) / 2; return $0 + d * d } }
  } }
  if budget.aisSweepModels.contains(key) {
    let xs = Array(x.prefix(min(budget.aisSweepImages, n) * dim))
    for t in budget.aisSweep {
      var st = budget.ais
      st.distributions = t
      sc.sweep.append((t, meanOf(aisLogLikelihood(images: xs, dimension: dim, nz: s.nz, sigma2: sc.sigma2, settings: st, rng: &rng,
                                                  mean: decode).logLikelihood)))
    }
  }
  // BDMC: digits simulated from the model (z ~ N(0, I), x = g(z) + s eps), both directions.
  let z = Tensor.normal([budget.bdmcImages, s.nz], rng: &rng)
  let sd = Float(sc.sigma2.squareRoot())
  let xSim = withNoGrad { decode(z) }.data.map { $0 + sd * rng.normal() }
  sc.bdmcForward = meanOf(aisLogLikelihood(images: xSim, dimension: dim, nz: s.nz, sigma2: sc.sigma2, settings: budget.ais,
                                           rng: &rng, mean: decode).logLikelihood)
  sc.bdmcReverse = meanOf(aisLogLikelihood(images: xSim, dimension: dim, nz: s.nz, sigma2: sc.sigma2, settings: budget.ais,
                                           rng: &rng, start: z.data, mean: decode).logLikelihood)
  log(String(format: "likelihood: %@ log p(x) = %@ nats (s^2 = %.4f, ceiling %.0f, acceptance %.2f; BDMC gap %.1f)", key,
             sc.interval.text(1), sc.sigma2, sc.ceiling, sc.acceptance, sc.bdmcReverse - sc.bdmcForward))
  return sc
}
