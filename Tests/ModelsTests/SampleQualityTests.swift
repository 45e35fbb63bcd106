import DeepLearning
import Evaluation
import Libm
import Models
import Testing

@Suite("Sample-quality scores (IS, Frechet distance)")
struct SampleQualityTests {
  @Test func inceptionScoreExtremes() {
    // Confident and balanced over K classes: IS = K. Uniform predictions: IS = 1.
    let k = 5, n = 100
    var onehot = [Float](repeating: 0, count: n * k)
    for i in 0..<n { onehot[i * k + i % k] = 1 }
    let sharp = inceptionScore(probabilities: onehot, classes: k, splits: 4)
    #expect(abs(sharp.mean - 5) < 1e-9 && sharp.std < 1e-9)
    let flat = inceptionScore(probabilities: [Float](repeating: 0.2, count: n * k), classes: k, splits: 4)
    #expect(abs(flat.mean - 1) < 1e-6)
    // Confident but all one class: IS = 1 (no diversity).
    var mono = [Float](repeating: 0, count: n * k)
    for i in 0..<n { mono[i * k] = 1 }
    #expect(abs(inceptionScore(probabilities: mono, classes: k, splits: 2).mean - 1) < 1e-9)
  }

  @Test func eigenDecompositionReconstructs() {
    var rng = RandomGenerator(seed: 4)
    let d = 7
    let b = (0..<(d * d)).map { _ in Double(rng.normal()) }
    var a = [Double](repeating: 0, count: d * d)   // A = B B^T, symmetric PSD
    for i in 0..<d { for j in 0..<d { for k in 0..<d { a[i * d + j] += b[i * d + k] * b[j * d + k] } } }
    let (l, v) = symmetricEigen(a, dimension: d)
    var worst = 0.0
    for i in 0..<d { for j in 0..<d {
      var s = 0.0
      for k in 0..<d { s += v[i * d + k] * l[k] * v[j * d + k] }
      worst = max(worst, abs(s - a[i * d + j]))
    } }
    #expect(worst < 1e-9, "reconstruction error \(worst)")
  }

  @Test func frechetDistanceClosedForms() {
    var rng = RandomGenerator(seed: 5)
    let d = 4, n = 20000
    let a = (0..<(n * d)).map { _ in rng.normal() }
    // Same distribution: about 0. A shift by c in every coordinate: about d c^2.
    // Scaling one set by s: sum over dims of (1 - s)^2 (diagonal covariances).
    let b = (0..<(n * d)).map { _ in rng.normal() }
    #expect(abs(frechetDistance(a, b, dimension: d)) < 0.02)
    let shifted = b.map { $0 + 0.5 }
    #expect(abs(frechetDistance(a, shifted, dimension: d) - 1.0) < 0.05)
    let scaled = b.map { $0 * 3 }
    #expect(abs(frechetDistance(a, scaled, dimension: d) - 16) < 0.5)
    // Exact closed form with full covariances: N(0, S) vs N(0, S) is 0.
    let s: [Double] = [2, 0.5, 0.5, 1]
    #expect(abs(frechetDistance(mean1: [0, 0], covariance1: s, mean2: [1, 0], covariance2: s) - 1) < 1e-9)
  }

  @Test func classifierLearnsASeparableProblem() {
    // Class 0: bright top half; class 1: bright bottom half (plus noise).
    var rng = RandomGenerator(seed: 6)
    func batch(_ n: Int) -> (Tensor, [Int]) {
      var px = [Float](repeating: 0, count: n * 32 * 32), labels: [Int] = []
      for i in 0..<n {
        let y = rng.int(below: 2); labels.append(y)
        for r in 0..<32 { for c in 0..<32 {
          px[i * 1024 + r * 32 + c] = ((r < 16) == (y == 0) ? 0.6 : -0.6) + rng.normal(std: 0.5)
        } }
      }
      return (Tensor(shape: [n, 1, 32, 32], data: px), labels)
    }
    let net = Classifier32(channels: 1, classes: 2, width: 8, rng: &rng)
    let opt = Adam(net.parameters, lr: 3e-3)
    for _ in 0..<30 {
      let (x, y) = batch(32)
      opt.zeroGrad(); crossEntropy(net(x), labels: y).backward(); opt.step()
    }
    let (xt, yt) = batch(200)
    let out = net.evaluate(200, batch: 64) { s, c in xt.narrow(axis: 0, start: s, length: c) }
    #expect(out.accuracy(yt) > 0.95, "accuracy \(out.accuracy(yt))")
    #expect(out.features.count == 200 * net.featureCount)
  }
}

@Suite("High-frequency energy (Fig. 9's blur measure)")
struct SpectrumTests {
  /// [1, 1, h, h] image from f(y, x).
  func image(_ h: Int, _ f: (Int, Int) -> Double) -> Tensor {
    Tensor(shape: [1, 1, h, h], data: (0..<(h * h)).map { Float(f($0 / h, $0 % h)) })
  }

  @Test func lowAndHighFrequencies() {
    let h = 16
    // Constant and one-cycle images have no energy above half the Nyquist frequency (radius > 4).
    #expect(highFrequencyEnergy(image(h) { _, _ in 0.7 })[0] < 1e-9)
    let slow = highFrequencyEnergy(image(h) { y, x in Math.cos(2 * Double.pi * Double(x + 2 * y) / Double(h)) })[0]
    #expect(slow < 1e-9)
    // A checkerboard (the Nyquist frequency in both axes) has all of its power there: Parseval gives
    // sum |F|^2 = h^2 sum |img - mean|^2 = h^2 * h^2 for values +-1.
    let checker = highFrequencyEnergy(image(h) { y, x in (x + y) % 2 == 0 ? 1 : -1 })[0]
    #expect(abs(checker - Double(h * h * h * h)) < 1e-6 * checker)
    // Frequency 6 along x only (radius 6 > 4): all power high; frequency 3 (radius 3): none.
    let f6 = highFrequencyEnergy(image(h) { _, x in Math.cos(2 * Double.pi * 6 * Double(x) / Double(h)) })[0]
    let f3 = highFrequencyEnergy(image(h) { _, x in Math.cos(2 * Double.pi * 3 * Double(x) / Double(h)) })[0]
    #expect(abs(f6 - Double(h * h) * Double(h * h) / 2) < 1e-6 * f6 && f3 < 1e-9)
  }
}
