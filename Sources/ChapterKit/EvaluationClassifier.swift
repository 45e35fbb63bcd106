//===--- EvaluationClassifier.swift ---------------------------------------===//
// The per-dataset evaluation classifier (Evaluation/Classifier.swift), trained once
// and cached in runs/cache/ (keyed by dataset, training-set size and settings), so
// the chapters that score samples share it and reruns skip its training.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Evaluation
import Foundation
import Models

/// A dataset's evaluation classifier (Evaluation/Classifier.swift), trained once per profile and cached.
public struct EvaluationClassifier {
  public let network: Classifier32
  /// Accuracy on the test split, measured when it was trained.
  public let testAccuracy: Double
  /// Where it is cached.
  public let path: String
  /// Whether it was loaded from the cache (false: trained by this run).
  public let cached: Bool
  public let trainingSeconds: Double

  /// Loads the cached classifier for (`train`, `settings`) or trains it and caches it.
  /// Images must already be 32x32.
  public static func loadOrTrain(train: ImageDataset, test: ImageDataset, settings: ClassifierTraining,
                                 cacheDir: String = "runs/cache") throws -> EvaluationClassifier {
    precondition(train.height == 32 && train.width == 32, "EvaluationClassifier: images must be 32x32")
    var rng = RandomGenerator(seed: settings.seed)
    let net = Classifier32(channels: train.channels, classes: train.classNames.count, width: settings.width, rng: &rng)
    let path = "\(cacheDir)/classifier-\(train.name)-n\(train.count)-\(settings.tag).safetensors"
    if FileManager.default.fileExists(atPath: path) {
      do {
        let (t, meta) = try SafeTensors.read(path, requireChecksum: true)
        try net.loadStateDict(t, source: path)
        net.eval()
        if let acc = meta["test_accuracy"].flatMap(Double.init), (0...1).contains(acc) {
          log("evaluation classifier for \(train.name): cached \(path) (test accuracy \(String(format: "%.4f", acc)))")
          return EvaluationClassifier(network: net, testAccuracy: acc, path: path, cached: true,
                                      trainingSeconds: meta["training_seconds"].flatMap(Double.init) ?? 0)
        }
      } catch {
        log("warning: ignoring the unreadable classifier cache (\(error)); training a new one")
      }
    }
    let t0 = Date()
    let bar = Progress("classifier \(train.name)", total: settings.epochs * (train.count / settings.batchSize), unit: "step")
    net.fit(count: train.count, labels: train.labels, settings: settings, images: { train.batch($0) }) { done, _, loss in
      bar.update(done, [("loss", loss)])
    }
    let out = net.evaluate(test.count) { s, c in test.batch(Array(s..<(s + c))) }
    let acc = out.accuracy(test.labels)
    let secs = Date().timeIntervalSince(t0)
    log(String(format: "evaluation classifier for %@: test accuracy %.4f (%.0f s)", train.name, acc, secs))
    try SafeTensors.write(net.stateDict(), metadata: ["test_accuracy": "\(acc)", "training_seconds": "\(secs)",
                                                      "dataset": train.name, "settings": settings.tag], to: path)
    return EvaluationClassifier(network: net, testAccuracy: acc, path: path, cached: false, trainingSeconds: secs)
  }
}

extension EvaluationClassifier {
  /// Epochs of a dataset's evaluation classifier at each profile. Chapters that score the same
  /// dataset use this table, so they share one cached classifier.
  public static func epochs(_ d: DatasetName, profile: Profile) -> Int {
    switch (profile, d) {
    case (.smoke, _), (.quick, .fashionMNIST), (.quick, .mnist): return 1
    case (.quick, _): return 4
    case (.full, .cifar10): return 15
    case (_, .cifar10): return 10
    case (.full, _): return 3
    case (_, .mnist): return 1
    default: return 2
    }
  }
}
