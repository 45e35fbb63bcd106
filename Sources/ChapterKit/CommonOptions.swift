//===--- CommonOptions.swift ----------------------------------------------===//
// The options every chapter shares: profile, seed, data directory, output
// directory and threads (embedded with @OptionGroup).
//===----------------------------------------------------------------------===//
import ArgumentParser
import Datasets
import Foundation
import Kernels

/// How long a chapter runs: `smoke` (seconds, for `make test`), `quick` (minutes, `make quick`),
/// `standard` (`make`), `full` (`make full`, the longest budget).
public enum Profile: String, ExpressibleByArgument, CaseIterable, Sendable {
  case smoke, quick, standard, full
}

public struct CommonOptions: ParsableArguments {
  @Option(help: "Run length: smoke, quick, standard or full.")
  public var profile: Profile = .standard
  @Option(help: "Random seed (the same seed and thread count give identical results).")
  public var seed: UInt64 = 1
  @Option(help: "Folder holding datasets other than the packaged Fashion-MNIST (else $AGE_DATA, else ./data).")
  public var dataDir: String?
  @Option(help: "Output folder for figures and results (default: figures/<chapter>).")
  public var out: String?
  @Option(help: "Threads for the heavy kernels.")
  public var threads: Int = 2

  public init() {}

  public var locator: DataLocator { DataLocator(dataDir: dataDir) }

  /// Applies the thread count and returns the output folder for `chapter`.
  public func prepare(chapter: String) -> String {
    KernelConfig.threads = max(1, threads)
    return out ?? "figures/\(chapter)"
  }
}

/// The options of chapters that train resumable runs: where checkpoints and cached evaluation
/// classifiers live, and whether to ignore existing checkpoints (embedded with @OptionGroup).
public struct RunOptions: ParsableArguments {
  @Flag(help: "Ignore existing checkpoints and train from scratch.")
  public var fresh = false
  @Option(help: "Folder for run checkpoints (default runs/<chapter>/<profile>).")
  public var runs: String?
  @Option(help: "Folder for cached evaluation classifiers (default runs/cache/<profile>).")
  public var cache: String?

  public init() {}

  public func runsDir(chapter: String, profile: Profile) -> String { runs ?? "runs/\(chapter)/\(profile.rawValue)" }
  public func cacheDir(profile: Profile) -> String { cache ?? "runs/cache/\(profile.rawValue)" }
}

/// What a training chapter's `run()` starts from: the thread count applied, the output folder
/// created, an empty results record, and the folders for checkpoints and cached classifiers.
public struct ChapterSetup {
  public let out: String
  public let results: Results
  /// Checkpoints (runs/<chapter>/<profile> unless --runs).
  public let runs: String
  /// Cached evaluation classifiers (runs/cache/<profile> unless --cache).
  public let cache: String
  /// Whether to ignore existing checkpoints (--fresh).
  public let fresh: Bool

  public init(chapter: String, common: CommonOptions, runOptions: RunOptions) throws {
    out = common.prepare(chapter: chapter)
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    results = Results(chapter: chapter, outDir: out, options: common)
    runs = runOptions.runsDir(chapter: chapter, profile: common.profile)
    cache = runOptions.cacheDir(profile: common.profile)
    fresh = runOptions.fresh
  }
}
