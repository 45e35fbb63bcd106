//===--- SystemTraining.swift ---------------------------------------------===//
// Resumable training of any GenerativeSystem (Models/GenerativeSystem.swift): the whole state (networks, Adam
// moments, random generators, batch order, loss and quality histories) is
// checkpointed after every epoch in <runs>/<name>-<hash>/last.safetensors, with copies kept at chosen epochs. After each epoch an optional
// quick evaluation adds a point to the quality-against-time curves (training
// seconds exclude it). A run whose losses turn non-finite stops with the last good
// checkpoint kept and loaded.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Foundation
import Models

/// Everything that changes a run's numbers (not its length: a longer run continues a shorter one).
public struct SystemRunSpec: Sendable {
  public var name: String
  /// The settings that define the run, as text (hashed into the checkpoint folder's name).
  public var settings: String
  public var trainImages: Int
  public var seed: UInt64
  public init(name: String, settings: String, trainImages: Int, seed: UInt64) {
    self.name = name; self.settings = settings; self.trainImages = trainImages; self.seed = seed
  }
  public var identity: String { "\(name) \(settings) n\(trainImages) seed\(seed) batch64" }
  public var folder: String { RunCheckpoint.folderName(name, identity: identity) }
}

/// The quick per-epoch evaluation behind the quality-against-time plot.
public struct CurveProbe {
  /// Returns (reconstruction L1 or nil without an encoder, Frechet distance of samples).
  public let measure: (GenerativeSystem) -> (l1: Double?, fd: Double)
  public init(measure: @escaping (GenerativeSystem) -> (l1: Double?, fd: Double)) { self.measure = measure }
}

/// A system and where its training stands.
public final class SystemRun {
  public let spec: SystemRunSpec
  public let system: GenerativeSystem
  /// Per-iteration losses by name, and the curve points (curve_seconds, curve_l1, curve_fd).
  public var history: [String: [Float]] = [:]
  public var epochsDone = 0
  public var epochSeconds: [Float] = []
  /// Set when non-finite losses stopped the run.
  public var stopped: String?
  public var iterationsPerEpoch = 0
  public init(spec: SystemRunSpec, system: GenerativeSystem) { self.spec = spec; self.system = system }
  public var secondsPerEpoch: Double {
    epochSeconds.isEmpty ? 0 : Double(epochSeconds.reduce(0, +)) / Double(epochSeconds.count)
  }
  public var trainSeconds: Double { Double(epochSeconds.reduce(0, +)) }
  public var iterations: Int { epochsDone * iterationsPerEpoch }
}

/// Trains `run` on `data` until `epochs`, resuming from its checkpoint unless `fresh`; keeps a
/// copy at each of `keep`. With a `curve`, adds a quality point after every epoch.
public func train(_ run: SystemRun, data: ImageDataset, epochs: Int, keep: Set<Int> = [], runsDir: String, fresh: Bool,
                  curve: CurveProbe? = nil) throws {
  let s = run.system
  var ckpt = RunCheckpoint()
  ckpt.modules = s.modules
  ckpt.optimizers = s.optimizers
  var rngSeed = RandomGenerator(seed: run.spec.seed &+ 31)
  ckpt.generators = ["step": rngSeed.split()]
  ckpt.sampler = BatchSampler(count: data.count, batchSize: 64, seed: run.spec.seed &+ 17)
  let dir = "\(runsDir)/\(run.spec.folder)"
  let last = "\(dir)/last.safetensors"
  run.iterationsPerEpoch = ckpt.sampler!.batchesPerEpoch
  // A run continued in the same process (ALI's longer run) reloads its checkpoint too, so the batch order and
  // random streams continue exactly as after a restart.
  let continuing = run.epochsDone > 0
  if (continuing || !fresh) && FileManager.default.fileExists(atPath: last) {
    try ckpt.read(from: last)
    guard ckpt.metadata["identity"] == run.spec.identity else {
      throw CheckpointError(path: last, message: "was written by a different configuration; delete \(dir) or pass --fresh")
    }
    run.epochsDone = Int(ckpt.metadata["epochs_done"] ?? "") ?? 0
    run.history = ckpt.history
    run.epochSeconds = ckpt.history["epoch_seconds"] ?? []
    if !continuing { log("\(run.spec.name): resuming from \(last) after epoch \(run.epochsDone)") }
  }
  guard run.epochsDone < epochs else { return }
  var rng = ckpt.generators["step"]!
  var sampler = ckpt.sampler!
  let perEpoch = sampler.batchesPerEpoch
  let bar = Progress(run.spec.name, total: (epochs - run.epochsDone) * perEpoch, unit: "it")
  let start = run.epochsDone
  s.train()
  for epoch in start..<epochs {
    s.prepareEpoch(epoch, seed: run.spec.seed)
    let t0 = Date()
    for it in 0..<perEpoch {
      let x = data.batch(sampler.next())
      let losses = s.step(x: x, rng: &rng)
      for (k, v) in losses { run.history[k, default: []].append(v) }
      if let bad = losses.first(where: { !$0.value.isFinite }) {
        let at = "epoch \(epoch + 1), iteration \(it + 1)"
        run.stopped = "stopped at \(at): \(bad.key) = \(bad.value)"
        log("\(run.spec.name): \(run.stopped!)")
        if FileManager.default.fileExists(atPath: last) {
          try ckpt.read(from: last)
          log("\(run.spec.name): the last good checkpoint \(last) (epoch \(run.epochsDone)) is kept and loaded")
        }
        return
      }
      bar.update((epoch - start) * perEpoch + it + 1, losses.sorted { $0.key < $1.key }.prefix(4).map { ($0.key, $0.value) })
    }
    run.epochSeconds.append(Float(Date().timeIntervalSince(t0)))
    run.epochsDone = epoch + 1
    if let curve {
      s.eval()
      let (l1, fd) = withNoGrad { curve.measure(s) }
      s.train()
      run.history["curve_seconds", default: []].append(Float(run.trainSeconds))
      run.history["curve_fd", default: []].append(Float(fd))
      if let l1 { run.history["curve_l1", default: []].append(Float(l1)) }
    }
    ckpt.generators = ["step": rng]
    ckpt.sampler = sampler
    ckpt.history = run.history
    ckpt.history["epoch_seconds"] = run.epochSeconds
    ckpt.metadata = ["identity": run.spec.identity, "epochs_done": "\(epoch + 1)", "commit": gitCommit()]
    try ckpt.write(to: last)
    if keep.contains(epoch + 1) { try ckpt.write(to: "\(dir)/epoch-\(epoch + 1).safetensors") }
  }
}

/// Loads the networks of `run` as saved after `epoch` (a copy kept by `train`).
public func loadSnapshot(_ run: SystemRun, epoch: Int, runsDir: String) throws {
  var ckpt = RunCheckpoint()
  ckpt.modules = run.system.modules
  try ckpt.read(from: "\(runsDir)/\(run.spec.folder)/epoch-\(epoch).safetensors")
}
