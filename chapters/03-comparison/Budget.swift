//===--- Budget.swift -----------------------------------------------------===//
// What each profile trains and measures. The paper's systems train for hundreds
// (ALI: thousands) of epochs on a GPU; `standard` (the profile `make` runs, under
// 90 minutes on a 2-core CPU) trains every system for the same few epochs on at
// most 8,192 images at width 32, ALI also for twice as long, and evaluates
// log-likelihoods with the small fully connected models of Wu et al.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import Models

struct Budget {
  let profile: Profile

  /// Width ngf = ndf of every system's networks (the official AGE code uses 64).
  var width: Int { [.smoke: 4, .quick: 16, .standard: 32, .full: 64][profile]! }
  /// Training images of the comparison dataset (nil: the whole training split).
  var trainImages: Int? { [.smoke: 256, .quick: 4096, .standard: 8192, .full: nil][profile]! }
  /// Training images of the evaluation classifier: chapter 2's, so both chapters share its cached classifier.
  var classifierImages: Int? { [.smoke: 640, .quick: 12800, .standard: nil, .full: nil][profile]! }
  /// Epochs of every system ("the same number of epochs" of Fig. 3).
  var epochs: Int { [.smoke: 1, .quick: 2, .standard: 5, .full: 25][profile]! }
  /// ALI's longer run ("ALI trained longer" in Fig. 3), in epochs.
  var aliLongerEpochs: Int { [.smoke: 2, .quick: 4, .standard: 10, .full: 100][profile]! }
  /// Samples (and at most as many test images) for the final scores.
  var evalSamples: Int { [.smoke: 200, .quick: 1000, .standard: 5000, .full: 10000][profile]! }
  /// Test images and samples for the per-epoch quality-against-time points.
  var curveImages: Int { [.smoke: 100, .quick: 500, .standard: 1000, .full: 2000][profile]! }
  /// Label draws of the linear probes (ALI averages 100 SVMs; the issue asks for at least 10).
  var probeDraws: Int { profile == .smoke ? 2 : 10 }
  /// Labelled examples per class in each draw (ALI's protocol: 100).
  var probePerClass: Int { profile == .smoke ? 5 : 100 }
  /// Held-out labelled images (from the training split) for choosing the probe's L2 weight.
  var probeValidation: Int { profile == .smoke ? 50 : 1000 }

  // ---- The log-likelihood part (fully connected models, 10-d Gaussian codes, Wu et al. 2017).
  /// Training images for the MLP models (the last 1,000 of the split are held out for validation).
  var likelihoodTrainImages: Int? { [.smoke: 512, .quick: 10000, .standard: 20000, .full: nil][profile]! }
  var likelihoodEpochs: Int { [.smoke: 1, .quick: 2, .standard: 5, .full: 30][profile]! }
  /// Test images whose log-likelihood AIS estimates (Wu et al. use 1,000 or more).
  var aisImages: Int { [.smoke: 3, .quick: 20, .standard: 32, .full: 200][profile]! }
  /// Validation images for choosing the observation variance.
  var aisValidationImages: Int { [.smoke: 2, .quick: 5, .standard: 10, .full: 50][profile]! }
  var ais: AISSettings {
    var s = AISSettings()
    s.distributions = [.smoke: 10, .quick: 100, .standard: 300, .full: 2000][profile]!
    s.chains = [.smoke: 2, .quick: 4, .standard: 4, .full: 16][profile]!
    s.leapfrogSteps = profile == .smoke ? 2 : 5
    return s
  }
  /// The cheaper AIS used to choose the observation variance on validation images.
  var aisSelection: AISSettings {
    var s = ais
    s.distributions = max(10, s.distributions / 3); s.chains = max(2, s.chains / 2)
    return s
  }
  /// Observation variances s^2 tried (pixels on [0, 1]).
  let sigma2Grid: [Double] = [0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16]

  /// Epochs of the evaluation classifier (shared with chapters 2 and 4 through the cache).
  func classifierEpochs(_ d: DatasetName) -> Int { EvaluationClassifier.epochs(d, profile: profile) }
}
