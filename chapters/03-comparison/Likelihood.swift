//===--- Likelihood.swift -------------------------------------------------===//
// The paper's MNIST log-likelihood table (AGE 746, ALI 721, VAE 705.4, GAN 346.7
// nats), measured as Wu et al. (2017) measure it: fully connected models with a
// 10-d Gaussian code (Models/MLP.swift), a Gaussian observation model
// N(g(z), s^2 I) on pixels in [0, 1] with s^2 chosen on validation images, and
// annealed importance sampling with HMC (Models/AIS.swift). AGE here is the variant
// with a Gaussian latent (chapter 2's game with Z = N(0, I) and the codes in R^10).
// Before any model, the same AIS settings are checked against the exact likelihood
// of probabilistic PCA fitted to the same images.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Models

/// One model's log-likelihood estimate.
struct LikelihoodScore {
  var key: String
  var sigma2: Double
  /// Mean AIS log p(x) over the test images, its standard error, and the validation scores per s^2.
  var mean: Double, stderr: Double
  var validation: [Double]
  var trainSeconds: Double
  var epochs: Int
  var acceptance: Double
}

struct LikelihoodResults {
  var dataset: DatasetName
  var scores: [LikelihoodScore] = []
  /// PPCA check: exact and AIS means, mean |AIS - exact| and mean (AIS - exact).
  var ppcaExact = 0.0, ppcaAIS = 0.0, ppcaAbsError = 0.0, ppcaBias = 0.0, ppcaSigma2 = 0.0
  var settings: AISSettings
  var images = 0, trainImages = 0
  var aisSeconds = 0.0
  func score(_ key: String) -> LikelihoodScore? { scores.first { $0.key == key } }
}

/// Images [n, 1, 28, 28] in [-1, 1] -> rows on [0, 1], [n * 784].
func unitScale(_ d: ImageDataset, _ idx: [Int]) -> [Float] { d.batch(idx).data.map { ($0 + 1) / 2 } }

/// Trains the four models on `d` (28x28) and estimates their test log-likelihoods.
func runLikelihood(_ d: DatasetName, locator: DataLocator, budget: Budget, runsDir: String, fresh: Bool,
                   seed: UInt64) throws -> LikelihoodResults {
  let full = try locator.load(d, train: true), test = try locator.load(d, train: false)
  precondition(full.height == 28 && full.channels == 1, "the likelihood part expects 28x28 grayscale images")
  let heldOut = budget.aisValidationImages
  let valid = full.subset(Array((full.count - heldOut)..<full.count))
  let trainSet = full.prefix(min(budget.likelihoodTrainImages ?? full.count, full.count - 1000))
  var res = LikelihoodResults(dataset: d, settings: budget.ais)
  res.trainImages = trainSet.count
  let nTest = min(budget.aisImages, test.count)
  res.images = nTest
  let x = unitScale(test, Array(0..<nTest)), xValid = unitScale(valid, Array(0..<valid.count))
  let dim = 784
  log("likelihood (\(d.rawValue)): \(trainSet.count) training images, AIS on \(nTest) test images, "
      + "\(budget.ais.distributions) distributions, \(budget.ais.chains) chains, \(budget.ais.leapfrogSteps) leapfrog steps")

  // ---- The AIS check on probabilistic PCA (q = 10) fitted to (up to) 10,000 training images.
  let t0 = Date()
  let ppca = PPCA(fit: unitScale(trainSet, Array(0..<min(10000, trainSet.count))), dimension: dim, components: 10)
  let exact = ppca.logLikelihood(x)
  var rng = RandomGenerator(seed: seed &+ 500)
  let ais = aisLogLikelihood(images: x, dimension: dim, nz: 10, sigma2: ppca.sigma2, settings: budget.ais, rng: &rng) {
    ppca.decode($0)
  }.logLikelihood
  res.ppcaExact = exact.reduce(0, +) / Double(nTest)
  res.ppcaAIS = ais.reduce(0, +) / Double(nTest)
  res.ppcaAbsError = zip(ais, exact).map { abs($0 - $1) }.reduce(0, +) / Double(nTest)
  res.ppcaBias = res.ppcaAIS - res.ppcaExact
  res.ppcaSigma2 = ppca.sigma2
  log(String(format: "likelihood: PPCA exact %.1f nats, AIS %.1f (mean |error| %.2f nats, s^2 = %.4f)",
             res.ppcaExact, res.ppcaAIS, res.ppcaAbsError, ppca.sigma2))

  // ---- The four models.
  let c = MLPConfig(nz: 10)
  for (i, key) in ["age", "ali", "vae", "gan"].enumerated() {
    var r = RandomGenerator(seed: seed &+ 1000 &+ UInt64(i))
    let system: GenerativeSystem
    var settings = "mlp nz10"
    switch key {
    case "age":
      var a = AGEConfig()
      a.lambda = 1000 / 64; a.latentLoss = .l2; a.divergence = .paper
      settings += " mu\(a.mu) lambda\(a.lambda) gaussian-prior"
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
    let run = SystemRun(spec: SystemRunSpec(name: "\(d.rawValue)-mlp-\(key)", settings: settings, trainImages: trainSet.count,
                                      seed: seed), system: system)
    try train(run, data: trainSet, epochs: budget.likelihoodEpochs, runsDir: runsDir, fresh: fresh, curve: nil)
    if let stop = run.stopped { log("likelihood: \(key) \(stop); scoring the last good networks") }
    guard run.usable else { throw CheckpointError(path: runsDir, message: "likelihood model \(key): \(run.stopped ?? ""): no trained networks to score") }
    res.scores.append(try score(key, system, run: run, x: x, xValid: xValid, budget: budget, seed: seed &+ UInt64(i)))
  }
  res.aisSeconds = Date().timeIntervalSince(t0) - res.scores.reduce(0) { $0 + $1.trainSeconds }
  return res
}

/// s^2 by validation AIS, then the test AIS of one trained model.
func score(_ key: String, _ s: GenerativeSystem, run: SystemRun, x: [Float], xValid: [Float], budget: Budget,
           seed: UInt64) throws -> LikelihoodScore {
  s.eval()
  for m in s.modules.values { m.requiresGrad(false) }
  defer { for m in s.modules.values { m.requiresGrad(true) }; s.train() }
  let decode = { (z: Tensor) in ((s.decode(z) + 1) * 0.5).flatten() }
  var rng = RandomGenerator(seed: seed &+ 77)
  var validation: [Double] = []
  for s2 in budget.sigma2Grid {
    let v = aisLogLikelihood(images: xValid, dimension: 784, nz: s.nz, sigma2: s2, settings: budget.aisSelection,
                             rng: &rng, mean: decode).logLikelihood
    validation.append(v.reduce(0, +) / Double(v.count))
  }
  let best = budget.sigma2Grid[validation.indices.max { validation[$0] < validation[$1] }!]
  let r = aisLogLikelihood(images: x, dimension: 784, nz: s.nz, sigma2: best, settings: budget.ais, rng: &rng,
                           mean: decode)
  let (ll, acc) = (r.logLikelihood, r.acceptance)
  let n = Double(ll.count), mean = ll.reduce(0, +) / n
  let sd = (ll.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / max(n - 1, 1)).squareRoot()
  log(String(format: "likelihood: %@ log p(x) = %.1f ± %.1f nats (s^2 = %.4f, acceptance %.2f)", key, mean,
             sd / n.squareRoot(), best, acc))
  return LikelihoodScore(key: key, sigma2: best, mean: mean, stderr: sd / n.squareRoot(), validation: validation,
                         trainSeconds: run.trainSeconds, epochs: run.epochsDone, acceptance: acc)
}
