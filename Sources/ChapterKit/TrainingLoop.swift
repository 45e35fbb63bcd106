//===--- TrainingLoop.swift -----------------------------------------------===//
// The one resumable training loop every chapter's runs go through. A chapter
// describes a run (its networks, optimizers and random streams registered in a
// RunCheckpoint, the text of its configuration, one training step); the loop owns
// the rest:
// - the run folder <runs>/<name>-<hash of the configuration>; --fresh empties it;
// - checkpoints of the whole state (atomic: temp file, then rename) at every epoch
//   end, every `checkpointEvery` iterations, and kept copies iter-<n>.safetensors
//   at chosen iterations, written before the `last` state that claims them;
// - resume with the exact batch order and random streams, refusing a checkpoint
//   whose configuration differs, and starting over when a kept copy is missing;
// - guards: non-finite values stop the run, as does the chapter's own check (a
//   collapse); the networks go back to the last checkpoint of this run, and a run
//   with none is marked unusable so nothing evaluates or draws its networks;
// - an optional per-epoch callback (quick evaluations), and progress with ETA.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Foundation

/// Named values of one training step, in display order (losses, code statistics).
public typealias StepValues = [(name: String, value: Float)]

/// Why a guard stopped a run, and what the loop did about it.
public struct GuardStop: Sendable {
  /// "epoch e, iteration i" of the step that tripped the guard.
  public let at: String
  /// What the guard saw.
  public let problem: String
  /// Whether a value turned non-finite (an error), rather than the chapter's check (a result).
  public let nonFinite: Bool
  /// Iterations of the checkpoint the networks were restored to; nil when none existed.
  public let rolledBackTo: Int?
  public var description: String {
    "stopped at \(at): \(problem)" + (rolledBackTo.map { "; networks restored to iteration \($0)" } ?? "; no checkpoint to restore")
  }
}

/// The resumable loop every chapter trains through (see the file's header).
public final class TrainingLoop {
  public let name: String
  /// The full configuration of the run as text; hashed into the folder name and checked on every reload.
  public let identity: String
  /// The run folder.
  public let dir: String
  /// The registered state (modules, optimizers, random streams, batch sampler).
  public var checkpoint: RunCheckpoint
  /// Per-iteration values by name (up to a guard stop, so curves show it), plus per-epoch series a callback adds.
  public var history: [String: [Float]] = [:]
  /// Iterations the networks have been trained for.
  public private(set) var iterations = 0
  /// Training seconds of each completed epoch (steps only: no checkpoints, no evaluation).
  public private(set) var epochSeconds: [Float] = []
  /// Training seconds so far, partial epochs included.
  public private(set) var trainSeconds: Double = 0
  /// Iterations found in the checkpoint this process resumed from (0 for a new run).
  public private(set) var resumedFrom = 0
  /// Set when a guard stopped the run.
  public private(set) var stop: GuardStop?
  /// Write `last` every this many iterations as well as at epoch ends (nil: epoch ends only).
  public var checkpointEvery: Int?
  /// Iterations after which a copy of the whole state is kept (iter-<n>.safetensors).
  public var keep: Set<Int> = []
  /// Whether `train` reports progress (off for short runs trained many at a time, such as chapter 1's toys).
  public var showsProgress = true
  /// Called with the path before every checkpoint write; tests throw from it to stand for a kill at that moment.
  public var beforeWrite: ((String) throws -> Void)?

  public var last: String { "\(dir)/last.safetensors" }
  /// The copy of the checkpoint kept at `iteration`.
  public func keptPath(_ iteration: Int) -> String { "\(dir)/iter-\(iteration).safetensors" }
  public var iterationsPerEpoch: Int { checkpoint.sampler!.batchesPerEpoch }
  public var epochsDone: Int { iterations / iterationsPerEpoch }
  /// False when non-finite values stopped the run before any checkpoint existed: its networks are garbage.
  public var usable: Bool { !(stop?.nonFinite == true && stop?.rolledBackTo == nil) }

  /// A run of `name` under `runsDir`; `checkpoint` must have its modules, optimizers, random
  /// streams and batch sampler registered.
  public init(name: String, identity: String, runsDir: String, checkpoint: RunCheckpoint) {
    precondition(checkpoint.sampler != nil, "TrainingLoop: register a batch sampler")
    self.name = name; self.identity = identity; self.checkpoint = checkpoint
    dir = "\(runsDir)/\(RunCheckpoint.folderName(name, identity: identity))"
  }

  /// Starts the run: with `fresh`, empties its folder; otherwise resumes from `last` when it exists.
  /// Throws a CheckpointError naming the file when the checkpoint is unreadable, corrupt, or of another configuration.
  public func start(fresh: Bool) throws {
    let fm = FileManager.default
    if fresh {
      if fm.fileExists(atPath: dir) {
        do { try fm.removeItem(atPath: dir) } catch {
          throw CheckpointError(path: dir, message: "--fresh could not empty the run folder: \(error.localizedDescription)")
        }
      }
      return
    }
    guard fm.fileExists(atPath: last) else { return }
    let done = try readState(last)
    // A kept copy claimed by `last` but missing (deleted by hand): start over, which recreates it.
    if let missing = keep.filter({ $0 <= done }).sorted().first(where: { !fm.fileExists(atPath: keptPath($0)) }) {
      log("\(name): \(keptPath(missing)) is missing although \(last) is past iteration \(missing); "
          + "training this run again from the start to recreate it")
      try? fm.removeItem(atPath: dir)   // nothing was loaded yet: the registered state is the initial one
      return
    }
    try restore(from: last)
    resumedFrom = iterations
    log("\(name): resuming from \(last) at iteration \(iterations) (epoch \(String(format: "%.2f", Double(iterations) / Double(iterationsPerEpoch))))")
  }

  /// Reads the header of `path` and checks it belongs to this run; returns its iteration count.
  func readState(_ path: String) throws -> Int {
    let meta = try SafeTensors.readMetadata(path)
    guard meta["identity"] == identity else {
      throw CheckpointError(path: path, message: "was written by a different configuration (or an older version of this program); "
                            + "delete \(dir) or pass --fresh")
    }
    guard let s = meta["iterations_done"], let n = Int(s), n >= 0, n < 1 << 30 else {
      throw CheckpointError(path: path, message: "iterations_done '\(meta["iterations_done"] ?? "missing")' is not a valid count; delete \(dir) or pass --fresh")
    }
    return n
  }

  /// Loads the whole state saved at `path` (checked to be this run's).
  func restore(from path: String) throws {
    let n = try readState(path)
    try checkpoint.read(from: path)
    guard let s = checkpoint.metadata["train_seconds"], let secs = Double(s), secs.isFinite, secs >= 0 else {
      throw CheckpointError(path: path, message: "train_seconds is missing or invalid; delete \(dir) or pass --fresh")
    }
    iterations = n
    trainSeconds = secs
    epochSeconds = checkpoint.history["_epoch_seconds"] ?? []
    history = checkpoint.history.filter { !$0.key.hasPrefix("_") }
  }

  func save(_ path: String) throws {
    try beforeWrite?(path)
    checkpoint.history = history
    checkpoint.history["_epoch_seconds"] = epochSeconds
    checkpoint.metadata = ["identity": identity, "iterations_done": "\(iterations)", "train_seconds": "\(trainSeconds)",
                           "commit": gitCommit()]
    try checkpoint.write(to: path)
  }

  /// Trains until `target` iterations (or a guard stop). `step` runs one iteration on a batch of
  /// example indices with the registered random streams; `check` may stop the run (a collapse) by
  /// returning what it saw; `epochStart` runs before each epoch's first step (also when resuming
  /// at an epoch boundary); `epochEnd` after each completed epoch, before its checkpoint.
  public func train(until target: Int,
                    step: (_ batch: [Int], _ streams: inout [String: RandomGenerator]) throws -> StepValues,
                    check: ((StepValues) -> String?)? = nil,
                    epochStart: ((_ epoch: Int) -> Void)? = nil,
                    epochEnd: ((_ epoch: Int) -> Void)? = nil) throws {
    guard stop == nil, iterations < target else { return }
    var sampler = checkpoint.sampler!
    let perEpoch = sampler.batchesPerEpoch
    let bar = showsProgress ? Progress(name, total: target - iterations, unit: "it") : nil
    let first = iterations
    var epochStartSeconds = Double(epochSeconds.reduce(0, +))   // the current epoch's steps so far count towards it
    while iterations < target {
      let epoch = iterations / perEpoch, it = iterations % perEpoch
      if it == 0 { epochStart?(epoch) }
      let t0 = Date()
      let batch = sampler.next()
      let values = try step(batch, &checkpoint.generators)
      trainSeconds += Date().timeIntervalSince(t0)
      for (k, v) in values { history[k, default: []].append(v) }
      let bad = values.first { !$0.value.isFinite }
      if let problem = bad.map({ "\($0.name) = \($0.value) (non-finite)" }) ?? check?(values) {
        try halt(at: "epoch \(epoch + 1), iteration \(it + 1)", problem: problem, nonFinite: bad != nil)
        return
      }
      iterations += 1
      checkpoint.sampler = sampler
      bar?.update(iterations - first, values.prefix(4).map { ($0.name, $0.value) })
      let endOfEpoch = iterations % perEpoch == 0
      if endOfEpoch {
        epochSeconds.append(Float(trainSeconds - epochStartSeconds))
        epochStartSeconds = trainSeconds
        epochEnd?(epoch)
      }
      if keep.contains(iterations) { try save(keptPath(iterations)) }   // before `last`, which claims it
      if endOfEpoch || iterations == target || checkpointEvery.map({ iterations % $0 == 0 }) == true { try save(last) }
    }
  }

  /// Records a guard stop and restores the networks of the last checkpoint of this run, if any.
  func halt(at: String, problem: String, nonFinite: Bool) throws {
    var restored: Int?
    let kept = history
    if FileManager.default.fileExists(atPath: last) {
      try restore(from: last)
      restored = iterations
    }
    history = kept   // the curves keep the iterations up to the stop
    stop = GuardStop(at: at, problem: problem, nonFinite: nonFinite, rolledBackTo: restored)
    log("\(name): \(stop!.description)")
  }

  /// Loads the networks (only) of the copy kept after `iteration` into `modules`.
  public static func loadKept(_ modules: [String: Module], runsDir: String, name: String, identity: String,
                              iteration: Int) throws {
    let path = "\(runsDir)/\(RunCheckpoint.folderName(name, identity: identity))/iter-\(iteration).safetensors"
    let meta = try SafeTensors.readMetadata(path)
    guard meta["identity"] == identity else {
      throw CheckpointError(path: path, message: "was written by a different configuration; delete its folder or pass --fresh")
    }
    var c = RunCheckpoint()
    c.modules = modules
    try c.read(from: path)
  }
}

/// Batches per epoch of a training set of `count` examples called `name`, or an error naming the set
/// when it holds less than one batch (the loop drops the last incomplete batch of every epoch).
public func checkedBatches(count: Int, name: String, batchSize: Int = 64) throws -> Int {
  guard count >= batchSize else {
    throw DatasetError(name, "the training set holds \(count) images, fewer than one batch of \(batchSize); "
                       + "use a larger dataset (or a profile that keeps more training images)")
  }
  return count / batchSize
}

/// `checkedBatches` for an image dataset.
public func checkedBatches(_ data: ImageDataset, batchSize: Int = 64) throws -> Int {
  try checkedBatches(count: data.count, name: data.name, batchSize: batchSize)
}
