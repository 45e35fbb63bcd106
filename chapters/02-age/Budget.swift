//===--- Budget.swift -----------------------------------------------------===//
// What each profile trains. The paper trains for tens of epochs at full width on a
// GPU; on this 2-core CPU `standard` (the profile `make` runs, under an hour)
// trains narrower networks for a few epochs (two runs at a time, see `--lanes`),
// `full` the official widths for longer.
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import Datasets
import Models

struct Budget {
  let profile: Profile

  /// Generator and encoder widths (ngf = ndf); the official code uses 64.
  var width: Int { [.smoke: 8, .quick: 16, .standard: 32, .full: 64][profile]! }

  /// Training images used (nil: the whole training split).
  var trainImages: Int? { [.smoke: 640, .quick: 12800, .standard: nil, .full: nil][profile]! }

  /// Epochs of the main run on each dataset.
  func epochs(_ d: DatasetName) -> Int {
    switch (profile, d) {
    case (.smoke, _): return 1
    case (.quick, .cifar10): return 3
    case (.quick, _): return 2
    case (.standard, .fashionMNIST): return 4
    case (.standard, .mnist): return 2
    case (.standard, _): return 8
    case (.full, .cifar10): return 100
    case (.full, _): return 20
    }
  }

  /// Seeds of every main run (both formula sets on every dataset).
  var seeds: Int { [.smoke: 1, .quick: 2, .standard: 3, .full: 5][profile]! }

  /// Iterations of each ablation run (on Fashion-MNIST, 64 images each); the main run of the first
  /// seed keeps a checkpoint at this iteration, so every ablation is compared with AGE at the same
  /// budget. `standard`: 3 epochs of the 60,000 images (937 iterations each).
  var ablationIterations: Int { [.smoke: 10, .quick: 200, .standard: 3 * 937, .full: 20 * 937][profile]! }

  /// Generator-only steps of the latent-reconstruction experiment (e frozen, g trained on L_Z alone).
  var latentOnlySteps: Int { [.smoke: 10, .quick: 200, .standard: 1000, .full: 1000][profile]! }

  /// The released CIFAR-10 recipe halves the learning rate every 40 epochs (`full` only; the
  /// standard profile's 8 epochs never reach it).
  func lrHalvingEpochs(_ d: DatasetName) -> Int? { d == .cifar10 ? 40 : nil }

  /// Samples (and at most as many test images) for the Inception Score and Frechet distance.
  var evalSamples: Int { [.smoke: 500, .quick: 2000, .standard: 10000, .full: 10000][profile]! }

  /// Epochs of the evaluation classifier (shared with chapter 4, so both use one cached classifier).
  func classifierEpochs(_ d: DatasetName) -> Int { EvaluationClassifier.epochs(d, profile: profile) }
}

extension DCGAN32Arch: ExpressibleByArgument {}
