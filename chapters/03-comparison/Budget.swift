//===--- Budget.swift -----------------------------------------------------===//
// What each profile trains and measures. The paper's systems train for hundreds
// (ALI: thousands) of epochs on a GPU; `standard` (the profile `make` runs, under
// 90 minutes on a 2-core CPU) trains every system for the same few epochs on at
// most 8,192 images at width 32, ALI also for six times as long, and evaluates
// log-likelihoods with the small fully connected models of Wu et al. under their
// protocol (WuProtocol.swift), with fewer epochs and AIS distributions than they used.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import Evaluation
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
  var aliLongerEpochs: Int { [.smoke: 2, .quick: 4, .standard: 30, .full: 100][profile]! }
  /// Samples (and at most as many test images) for the final scores.
  var evalSamples: Int { [.smoke: 200, .quick: 1000, .standard: 5000, .full: 10000][profile]! }
  /// Test images and samples for the per-epoch quality-against-time points.
  var curveImages: Int { [.smoke: 100, .quick: 500, .standard: 1000, .full: 2000][profile]! }
  /// Label draws of the linear probes (ALI averages 100 SVMs; the issue asks for at least 10).
  var probeDraws: Int { profile == .smoke ? 2 : 10 }
  /// Labelled examples per class in each draw (ALI's protocol: 100).
  var probePerClass: Int { profile == .smoke ? 5 : 100 }
  /// Timed training iterations per system of the published-architecture epoch-time pairs (median reported;
  /// 0: multiply-adds counted, nothing timed).
  var epochTimeIterations: Int { [.smoke: 0, .quick: 2, .standard: 5, .full: 15][profile]! }
  /// Held-out labelled images (from the training split) for choosing the probe's L2 weight.
  var probeValidation: Int { profile == .smoke ? 50 : 1000 }

  // ---- The log-likelihood part (Wu et al.'s protocol, WuProtocol.swift; `full` follows it except T).
  /// Training digits (Wu et al.: 50,000) and the held-out validation digits after them (10,000).
  var likelihoodTrainImages: Int { [.smoke: 512, .quick: 10000, .standard: 50000, .full: 50000][profile]! }
  var likelihoodValidationImages: Int { [.smoke: 64, .quick: 1000, .standard: 10000, .full: 10000][profile]! }
  /// Epochs per model (Wu et al. trained for thousands). The VAE and the GAN, the calibration
  /// models, are cheap per epoch and get more.
  func likelihoodEpochs(_ key: String) -> Int {
    switch (profile, key) {
    case (.smoke, _): return 1
    case (.quick, _): return 2
    case (.standard, "vae"): return 60
    case (.standard, "gan"): return 30
    case (.standard, _): return 10
    case (.full, "vae"), (.full, "gan"): return 1000
    case (.full, _): return 300
    }
  }
  /// Digits for the per-epoch validation curve (reconstruction error, pixel-space FD of samples).
  var likelihoodCurveDigits: Int { [.smoke: 32, .quick: 500, .standard: 1000, .full: 1000][profile]! }
  /// Test digits whose log-likelihood AIS estimates (Wu et al.: 1,000).
  var aisImages: Int { [.smoke: 3, .quick: 20, .standard: 100, .full: 1000][profile]! }
  /// Validation digits on which s^2 is chosen, with the test's AIS settings (the issue asks for 1,000).
  var aisSelectionImages: Int { [.smoke: 2, .quick: 10, .standard: 20, .full: 1000][profile]! }
  /// EM steps of the s^2 choice (each an AIS run on the selection digits).
  var sigma2Steps: Int { profile == .smoke ? 1 : (profile == .full ? 3 : 2) }
  var ais: AISSettings {
    var s = AISSettings()
    s.distributions = [.smoke: 10, .quick: 50, .standard: 200, .full: 3000][profile]!
    s.chains = [.smoke: 2, .quick: 4, .standard: 16, .full: 16][profile]!
    s.leapfrogSteps = [.smoke: 2, .quick: 5, .standard: 10, .full: 10][profile]!
    return s
  }
  /// The convergence sweep: the test AIS with T distributions on a few digits (VAE; every model at `full`).
  var aisSweep: [Int] { [.smoke: [5, 10], .quick: [30, 100], .standard: [100, 300, 1000], .full: [300, 1000, 3000, 10000]][profile]! }
  var aisSweepImages: Int { [.smoke: 2, .quick: 5, .standard: 10, .full: 100][profile]! }
  var aisSweepModels: [String] { profile == .full ? ["age", "ali", "vae", "gan"] : ["vae"] }
  /// Simulated digits per model for BDMC (forward and reverse AIS at the test settings).
  var bdmcImages: Int { [.smoke: 2, .quick: 5, .standard: 10, .full: 100][profile]! }

  /// Epochs of the evaluation classifier (shared with chapters 2 and 4 through the cache).
  func classifierEpochs(_ d: DatasetName) -> Int { EvaluationClassifier.epochs(d, profile: profile) }
}
