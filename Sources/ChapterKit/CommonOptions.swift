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

/// The options every chapter takes: profile, seed, data folder, output folder, threads.
public struct CommonOptions: ParsableArguments {
  @Option(help: "Run length: smoke, quick, standard or full.")
  public var profile: Profile = .standard
  @Option(help: "Random seed, 0 to 2^64-1 (the same seed gives identical results on any thread count).")
  public var seed: UInt64 = 1
  @Option(help: "Folder holding datasets other than the packaged Fashion-MNIST (else $AGE_DATA, else ./data).")
  public var dataDir: String?
  @Option(help: "Output folder for figures and results (default: figures/<chapter>).")
  public var out: String?
  @Option(help: "Threads for the heavy kernels (1 to \(CommonOptions.maxThreads)).")
  public var threads: Int = 2

  /// The most kernel threads accepted (more than the cores only adds waiting).
  public static let maxThreads = 256

  /// Defaults; ArgumentParser fills in the command line.
  public init() {}

  /// Rejects out-of-range values with the option named.
  public func validate() throws {
    guard (1...Self.maxThreads).contains(threads) else {
      throw ValidationError("--threads must be between 1 and \(Self.maxThreads) (this machine has \(ProcessInfo.processInfo.activeProcessorCount) cores); got \(threads)")
    }
    if let dataDir {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDir), isDir.boolValue else {
        throw ValidationError("--data-dir \(dataDir) is not a folder; give the folder that holds mnist/, cifar-10-batches-bin/ ...")
      }
    }
  }

  public var locator: DataLocator { DataLocator(dataDir: dataDir) }

  /// Applies the thread count, checks that the run can finish (gnuplot installed, the output folder
  /// writable with room to spare, stale temporary files of killed runs removed), and returns the
  /// output folder for `chapter`. `workFolders` are further folders the run writes (checkpoints, caches).
  public func prepare(chapter: String, workFolders: [String] = []) throws -> String {
    KernelConfig.threads = threads
    let out = out ?? "figures/\(chapter)"
    try Preflight.check(outputs: [out] + workFolders)
    return out
  }
}

/// The network width and training length of a chapter that trains networks (chapters 2-4).
public struct NetworkOptions: ParsableArguments {
  @Option(help: "Network width ngf = ndf of every trained network (default: by profile; 64 is the official width).")
  public var width: Int?
  @Option(help: "Training epochs of the main runs (default: by profile and dataset).")
  public var epochs: Int?

  /// Defaults; ArgumentParser fills in the command line.
  public init() {}

  /// Rejects widths and epoch counts out of range.
  public func validate() throws {
    try OptionCheck.range("--width", width, 1...OptionCheck.maxWidth)
    try OptionCheck.range("--epochs", epochs, 1...100_000)
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

  /// Defaults; ArgumentParser fills in the command line.
  public init() {}

  /// The checkpoint folder: --runs, else runs/<chapter>/<profile>.
  public func runsDir(chapter: String, profile: Profile) -> String { runs ?? "runs/\(chapter)/\(profile.rawValue)" }
  /// The classifier cache: --cache, else runs/cache/<profile>.
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

  /// Applies the thread count, creates the output and work folders (checking they are writable) and starts the results record.
  public init(chapter: String, common: CommonOptions, runOptions: RunOptions) throws {
    runs = runOptions.runsDir(chapter: chapter, profile: common.profile)
    cache = runOptions.cacheDir(profile: common.profile)
    out = try common.prepare(chapter: chapter, workFolders: [runs, cache])
    results = Results(chapter: chapter, outDir: out, options: common)
    fresh = runOptions.fresh
  }
}

/// Checks of numeric options, for the chapters' `validate()`: each names the option and its range.
public enum OptionCheck {
  /// Widths beyond this would not fit in memory at batch 64 (the released networks use 64).
  public static let maxWidth = 1024

  /// Throws a ValidationError naming `option` when `value` is set and outside `r`.
  public static func range(_ option: String, _ value: Int?, _ r: ClosedRange<Int>) throws {
    if let v = value, !r.contains(v) {
      throw ValidationError("\(option) must be between \(r.lowerBound) and \(r.upperBound); got \(v)")
    }
  }

  /// A loss weight: finite and not negative.
  public static func weight(_ option: String, _ value: Float) throws {
    guard value.isFinite, value >= 0 else { throw ValidationError("\(option) must be a finite weight >= 0; got \(value)") }
  }
}
