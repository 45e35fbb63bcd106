//===--- Classifier.swift -------------------------------------------------===//
// The evaluation classifier: a small convolutional network trained on each
// dataset's labels, standing in for Inception-v3 (which the paper uses for
// CIFAR-10 and which a pure-Swift CPU workspace cannot ship). Its class
// probabilities give a classifier-based Inception Score, its penultimate
// features a Frechet distance (an FID analogue). Scores from it are relative to
// the same score of real images, never comparable to Inception-v3 numbers.
//   x [N, C, 32, 32] -> Conv(C, w, k4 s2 p1) BN ReLU                 16x16
//     -> Conv(w, 2w, k4 s2 p1) BN ReLU -> Conv(2w, 4w, k3 s1 p1) BN ReLU   8x8
//     -> Conv(4w, 4w, k4 s2 p1) BN ReLU -> AvgPool(4) -> features [N, 4w]  4x4 -> 1x1
//     -> Dropout(0.3) -> Linear(4w, K) -> logits [N, K]
//===----------------------------------------------------------------------===//
import DeepLearning

/// A 32x32 image classifier split into a feature extractor and a linear head.
public final class Classifier32: Module {
  public let features: Sequential
  public let head: Sequential
  public let classes: Int
  public var isTraining = true
  /// Feature dimension (the Frechet distance is computed in this space).
  public var featureCount: Int

  /// The evaluation network for `channels`-channel 32x32 images and `classes` labels.
  public init(channels: Int, classes: Int, width w: Int = 32, rng: inout RandomGenerator) {
    self.classes = classes; featureCount = 4 * w
    features = Sequential(
      Conv2d(channels, w, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng), BatchNorm2d(w), ReLU(),
      Conv2d(w, 2 * w, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng), BatchNorm2d(2 * w), ReLU(),
      Conv2d(2 * w, 4 * w, kernelSize: 3, stride: 1, padding: 1, bias: false, rng: &rng), BatchNorm2d(4 * w), ReLU(),
      Conv2d(4 * w, 4 * w, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng), BatchNorm2d(4 * w), ReLU(),
      Lambda("AvgPool(4)") { $0.avgPool2d(4) }, Flatten())
    head = Sequential(Dropout(0.3, seed: rng.next()), Linear(4 * w, classes, rng: &rng))
  }

  public var children: [(String, Module)] { [("features", features), ("head", head)] }
  /// Logits [N, K] of images [N, C, 32, 32] in [-1, 1].
  public func forward(_ x: Tensor) -> Tensor { head(features(x)) }
}

/// What the classifier says about a set of images.
public struct ClassifierOutputs: Sendable {
  /// Class probabilities, [N * K] row-major.
  public var probabilities: [Float]
  /// Penultimate features, [N * F] row-major.
  public var features: [Float]
  public var count: Int, classes: Int, featureCount: Int

  /// The predicted class of each image.
  public var predictions: [Int] {
    (0..<count).map { i in
      let row = probabilities[(i * classes)..<((i + 1) * classes)]
      return row.indices.max { row[$0] < row[$1] }! - i * classes
    }
  }
  /// Fraction of predictions equal to `labels`.
  public func accuracy(_ labels: [Int]) -> Double {
    precondition(labels.count == count, "accuracy: \(labels.count) labels for \(count) images")
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(max(count, 1))
  }
}

extension Classifier32 {
  /// Probabilities and features of `n` images produced by `images(start, count)`, in evaluation
  /// mode and without gradients, `batch` at a time.
  public func evaluate(_ n: Int, batch: Int = 250, images: (Int, Int) -> Tensor) -> ClassifierOutputs {
    let wasTraining = isTraining
    eval(); defer { train(wasTraining) }
    var probs: [Float] = [], feats: [Float] = []
    probs.reserveCapacity(n * classes); feats.reserveCapacity(n * featureCount)
    withNoGrad {
      var i = 0
      while i < n {
        let b = min(batch, n - i)
        let f = features(images(i, b))
        feats += f.data
        probs += head(f).softmax().data
        i += b
      }
    }
    return ClassifierOutputs(probabilities: probs, features: feats, count: n, classes: classes, featureCount: featureCount)
  }
}

/// How the evaluation classifier is trained.
public struct ClassifierTraining: Sendable, Hashable {
  public var epochs: Int
  public var batchSize = 128
  public var lr: Float = 2e-3
  public var width = 32
  public var seed: UInt64 = 1
  /// Training settings with `epochs` and the defaults above (batch 128, Adam lr 2e-3, width 32, seed 1).
  public init(epochs: Int) { self.epochs = epochs }
  /// A short string naming every setting (cache keys).
  public var tag: String { "w\(width)-e\(epochs)-b\(batchSize)-lr\(lr)-s\(seed)" }
}

extension Classifier32 {
  /// Trains on `count` images from `images(indices)` with `labels`: Adam, cross-entropy,
  /// learning rate halved after each epoch; `report(done, total, loss)` after each step.
  public func fit(count: Int, labels: [Int], settings s: ClassifierTraining, images: ([Int]) -> Tensor,
                  report: (Int, Int, Float) -> Void = { _, _, _ in }) {
    var rng = RandomGenerator(seed: s.seed)
    let opt = Adam(parameters, lr: s.lr)
    let steps = count / s.batchSize
    train()
    for epoch in 0..<s.epochs {
      opt.lr = s.lr / Float(1 << min(epoch, 20))
      let order = rng.permutation(count)
      for b in 0..<steps {
        let idx = Array(order[(b * s.batchSize)..<((b + 1) * s.batchSize)])
        opt.zeroGrad()
        let loss = crossEntropy(self(images(idx)), labels: idx.map { labels[$0] })
        loss.backward()
        opt.step()
        report(epoch * steps + b + 1, s.epochs * steps, loss.item)
      }
    }
    eval()
  }
}
