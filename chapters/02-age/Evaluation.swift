//===--- Evaluation.swift -------------------------------------------------===//
// What the chapter measures on a trained AGE pair, all in evaluation mode
// (batch-norm running statistics, as the released evaluate.ipynb does):
// - classifier Inception Score and Frechet distance of samples g(z), z uniform on the sphere;
// - test reconstruction error |x - g(e(x))| (L1 and MSE per pixel on [-1, 1]) and the
//   classifier's accuracy on the reconstructions;
// - latent reconstruction |z - e(g(z))|^2 (summed over the M dimensions; 2 - 2 cos on the sphere);
// - sharpness: mean absolute difference between neighbouring pixels, relative to real images;
// - the codes of test images: per-dimension mean and variance, and eq. (7) against its minimum.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Kernels
import Models

/// The measurements of one trained pair.
struct Scores {
  var isSamples: (mean: Double, std: Double) = (0, 0)
  var fdSamples = 0.0
  var reconL1 = 0.0, reconMSE = 0.0, reconAccuracy = 0.0
  var latentRecon = 0.0
  var sharpness = 0.0
  var codeMean: [Double] = [], codeVariance: [Double] = []
  var codeKL = 0.0
  var json: [String: Any] {
    ["is_samples": ["mean": isSamples.mean, "std": isSamples.std], "fd_samples": fdSamples,
     "recon_l1": reconL1, "recon_mse": reconMSE, "recon_accuracy": reconAccuracy, "latent_recon": latentRecon,
     "sharpness": sharpness, "code_kl": codeKL,
     "code_variance_times_m": codeVariance.reduce(0, +),
     "code_mean_abs_max": codeMean.map(abs).max() ?? 0]
  }
}

/// `count` samples g(z) in evaluation mode, `batch` at a time, from a fixed seed.
func generate(_ t: AGETrainer, count: Int, seed: UInt64, batch: Int = 250) -> Tensor {
  var rng = RandomGenerator(seed: seed)
  t.g.eval(); defer { t.g.train() }
  var data: [Float] = []
  var shape: [Int] = []
  withNoGrad {
    var i = 0
    while i < count {
      let b = min(batch, count - i)
      let x = t.g(t.sampleZ(b, rng: &rng))
      data += x.data; shape = x.shape
      i += b
    }
  }
  shape[0] = count
  return Tensor(shape: shape, data: data)
}

/// e(x) for a batch in evaluation mode.
func encode(_ t: AGETrainer, _ x: Tensor) -> Tensor {
  t.e.eval(); defer { t.e.train() }
  return withNoGrad { t.e(x) }
}

/// g(z) for codes in evaluation mode.
func decode(_ t: AGETrainer, _ z: Tensor) -> Tensor {
  t.g.eval(); defer { t.g.train() }
  return withNoGrad { t.g(z) }
}

func evaluate(_ t: AGETrainer, reference r: RealReference, seed: UInt64) -> Scores {
  var sc = Scores()
  let net = r.classifier.network
  let n = r.evalCount
  let samples = generate(t, count: n, seed: seed)
  let per = samples.count / n
  func rows(_ x: Tensor, _ s: Int, _ c: Int) -> Tensor {
    var sh = x.shape; sh[0] = c
    return Tensor(shape: sh, data: Array(x.data[(s * per)..<((s + c) * per)]))
  }
  let out = net.evaluate(n) { s, c in rows(samples, s, c) }
  sc.isSamples = inceptionScore(probabilities: out.probabilities, classes: net.classes)
  sc.fdSamples = frechetDistance(out.features, r.testOutputs.features, dimension: net.featureCount)
  sc.sharpness = meanNeighbourDifference(samples) / r.sharpness

  // Reconstructions of the test images, and their codes.
  var l1 = 0.0, l2 = 0.0
  var codes: [Float] = []
  var recon: [Float] = []
  var i = 0
  while i < n {
    let b = min(250, n - i)
    let x = r.test.batch(Array(i..<(i + b)))
    let z = encode(t, x)
    let xr = decode(t, z)
    for k in 0..<x.count { let d = Double(xr.data[k] - x.data[k]); l1 += abs(d); l2 += d * d }
    codes += z.data; recon += xr.data
    i += b
  }
  sc.reconL1 = l1 / Double(n * per); sc.reconMSE = l2 / Double(n * per)
  let reconTensor = Tensor(shape: [n] + Array(samples.shape.dropFirst()), data: recon)
  sc.reconAccuracy = net.evaluate(n) { s, c in rows(reconTensor, s, c) }.accuracy(Array(r.test.labels.prefix(n)))
  let m = t.nz
  let (mean, cov) = meanAndCovariance(codes, dimension: m)
  sc.codeMean = mean
  sc.codeVariance = (0..<m).map { cov[$0 * m + $0] * Double(n - 1) / Double(n) }
  sc.codeKL = Double(gaussianFitKL(Tensor(shape: [n, m], data: codes), variant: .paper).item)

  // Latent reconstruction |z - e(g(z))|^2.
  var rng = RandomGenerator(seed: seed &+ 1)
  var lz = 0.0
  let zb = t.sampleZ(min(n, 1000), rng: &rng)
  let ez = encode(t, decode(t, zb))
  for k in 0..<zb.count { let d = Double(zb.data[k] - ez.data[k]); lz += d * d }
  sc.latentRecon = lz / Double(zb.shape[0])
  return sc
}
