//===--- Budget.swift -----------------------------------------------------===//
// What each profile trains. The paper trains at 64x64 on Stanford Cars for about
// 200 epochs on a GPU (the released commands); on this 2-core CPU `standard` (the
// profile `make` runs, under an hour) trains narrower networks on 32x32 CIFAR-10
// for a few minutes per run. pix2pix trains for about the main AGE run's wall time,
// fixed in iterations.
//===----------------------------------------------------------------------===//
import ChapterKit

struct Budget {
  let profile: Profile

  /// Generator/encoder (and U-Net/PatchGAN) width; the released code uses 64.
  var width: Int { [.smoke: 8, .quick: 16, .standard: 32, .full: 64][profile]! }
  /// Residual blocks in the AGE generator; the released code uses 10.
  var blocks: Int { [.smoke: 1, .quick: 2, .standard: 6, .full: 10][profile]! }
  /// Training images kept (nil: all of the setting's images).
  var trainImages: Int? { [.smoke: 640, .quick: nil, .standard: nil, .full: nil][profile]! }

  /// AGE epochs per setting ("cars": automobiles and trucks; "all": the ten classes).
  func epochs(_ setting: String) -> Int {
    switch (profile, setting) {
    case (.smoke, _): return 1
    case (.quick, "all"): return 1
    case (.quick, _): return 4
    case (.standard, "all"): return 3
    case (.standard, _): return 24
    case (.full, "all"): return 40
    case (.full, _): return 200
    }
  }

  /// pix2pix's iterations for a setting whose main AGE run trains `ageIterations`: AGE's count times the ratio
  /// of the two systems' speeds, measured at width 32 on the "cars" setting (released-nz16 1.59 it/s, pix2pix
  /// 8.0 it/s; 2 threads, AMD EPYC Zen 5, 2026-12-03), so that pix2pix trains for about the main AGE run's
  /// wall time. A fixed count, not this machine's clock, so that one seed gives one result everywhere.
  static func pix2pixIterations(ageIterations: Int) -> Int { 5 * ageIterations }

  /// Test inputs scored (8 colorizations each).
  var evalInputs: Int { [.smoke: 64, .quick: 256, .standard: 1024, .full: 1024][profile]! }
}
