//===--- RealReference.swift ----------------------------------------------===//
// What sample-quality scores are compared with, computed once per dataset from
// real images and the evaluation classifier: the classifier Inception Score of
// test images (the ceiling), their features (for Frechet distances of samples),
// the Frechet distance between real training and test images (the floor), and
// the images' sharpness (mean difference between neighbouring pixels), and the
// real-vs-real (training vs test) KID and precision/recall, the floors of those metrics.
// Shared by the chapters that score samples (2 and 3).
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Evaluation
import Models

/// Real-data references computed once per dataset.
public struct RealReference {
  public let train: ImageDataset, test: ImageDataset
  public let classifier: EvaluationClassifier
  public let testOutputs: ClassifierOutputs
  public let trainOutputs: ClassifierOutputs
  public let isReal: (mean: Double, std: Double)
  public let fdRealTrain: Double
  public let kidRealTrain: (mean: Double, std: Double)
  public let precisionRecallRealTrain: (precision: Double, recall: Double)
  public let sharpness: Double
  public let evalCount: Int

  /// Classifies the real images once: the reference every sample score is read against.
  public init(train: ImageDataset, test: ImageDataset, classifier: EvaluationClassifier, evalSamples: Int, seed: UInt64) {
    self.train = train; self.test = test; self.classifier = classifier
    evalCount = min(evalSamples, test.count)
    let net = classifier.network
    testOutputs = net.evaluate(evalCount) { s, c in test.batch(Array(s..<(s + c))) }
    var rng = RandomGenerator(seed: seed)
    let pick = Array(rng.permutation(train.count).prefix(evalCount))
    trainOutputs = net.evaluate(pick.count) { s, c in train.batch(Array(pick[s..<(s + c)])) }
    isReal = inceptionScore(probabilities: testOutputs.probabilities, classes: net.classes)
    fdRealTrain = frechetDistance(trainOutputs.features, testOutputs.features, dimension: net.featureCount)
    kidRealTrain = kernelInceptionDistance(trainOutputs.features, testOutputs.features, dimension: net.featureCount, seed: seed)
    precisionRecallRealTrain = precisionRecall(real: testOutputs.features, generated: trainOutputs.features,
                                               dimension: net.featureCount)
    sharpness = meanNeighbourDifference(test.batch(Array(0..<evalCount)))
  }
}

/// Mean |x[i, j+1] - x[i, j]| and |x[i+1, j] - x[i, j]| over images [N, C, H, W].
public func meanNeighbourDifference(_ x: Tensor) -> Double {
  let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  var s = 0.0
  for p in 0..<(n * c) {
    let o = p * h * w
    for i in 0..<h { for j in 0..<w {
      let v = x.data[o + i * w + j]
      if j + 1 < w { s += Double(abs(x.data[o + i * w + j + 1] - v)) }
      if i + 1 < h { s += Double(abs(x.data[o + (i + 1) * w + j] - v)) }
    } }
  }
  return s / Double(n * c * (h * (w - 1) + (h - 1) * w))
}

