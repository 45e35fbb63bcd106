//===--- SystemTraining.swift ---------------------------------------------===//
// Training any GenerativeSystem (Models/GenerativeSystem.swift) through the one
// TrainingLoop: the whole state (networks, Adam moments, random generators, batch
// order, loss and quality histories) is checkpointed after every epoch in
// <runs>/<name>-<hash>/last.safetensors, with copies kept at chosen epochs. After
// each epoch an optional quick evaluation adds a point to the quality-against-time
// curves (training seconds exclude it). Checkpoints stay at epoch ends: a system's
// per-epoch state (ALI's dropout streams) is reseeded at each epoch's start.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Foundation
import Models

/// Everything that changes a run's numbers (not its length: a longer run continues a shorter one).
public struct SystemRunSpec: Sendable {
  public var name: String
  /// The networks' configuration and the system's recipe as JSON (`configuration`).
  public let settings: String
  public var trainImages: Int
  public var seed: UInt64
  /// Real images per iteration.
  public var batchSize: Int
  /// - Parameters:
  ///   - net: the networks' configuration (DCGAN32Config, MLPConfig, plus anything else that shapes them).
  ///   - recipe: the system's optimiser and objective (`GenerativeSystem.recipe`).
  public init<Net: Encodable>(name: String, net: Net, recipe: SystemRecipe, trainImages: Int, seed: UInt64, batchSize: Int = 64) {
    self.name = name; self.trainImages = trainImages; self.seed = seed; self.batchSize = batchSize
    settings = "{\"net\":\(RunCheckpoint.canonicalJSON(net)),\"recipe\":\(RunCheckpoint.canonicalJSON(recipe))}"
  }
  /// The run's whole configuration as canonical JSON; its hash names the checkpoint folder, and a
  /// checkpoint whose configuration differs is refused.
  public var identity: String {
    "{\"batch_size\":\(batchSize),\"name\":\(RunCheckpoint.canonicalJSON(name)),\"seed\":\(seed),\"settings\":\(settings),\"train_images\":\(trainImages)}"
  }
  public var folder: String { RunCheckpoint.folderName(name, identity: identity) }
}

/// The quick per-epoch evaluation behind the quality-against-time plot.
public struct CurveProbe {
  /// Returns (reconstruction L1 or nil without an encoder, Frechet distance of samples).
  public let measure: (GenerativeSystem) -> (l1: Double?, fd: Double)
  /// A probe measuring a system after each epoch.
  public init(measure: @escaping (GenerativeSystem) -> (l1: Double?, fd: Double)) { self.measure = measure }
}

/// A system and where its training stands.
public final class SystemRun {
  public let spec: SystemRunSpec
  public let system: GenerativeSystem
  /// The training loop, once `train` has started it (kept, so a longer run continues in the same process).
  public fileprivate(set) var loop: TrainingLoop?
  /// A run of `system` described by `spec`, not yet trained.
  public init(spec: SystemRunSpec, system: GenerativeSystem) { self.spec = spec; self.system = system }
  /// Per-iteration losses by name, and the curve points (curve_seconds, curve_l1, curve_fd).
  public var history: [String: [Float]] { loop?.history ?? [:] }
  public var epochsDone: Int { loop?.epochsDone ?? 0 }
  public var epochSeconds: [Float] { loop?.epochSeconds ?? [] }
  /// Set when a guard stopped the run.
  public var stopped: String? { loop?.stop?.description }
  public var iterationsPerEpoch: Int { spec.trainImages / 64 }
  public var secondsPerEpoch: Double {
    epochSeconds.isEmpty ? 0 : Double(epochSeconds.reduce(0, +)) / Double(epochSeconds.count)
  }
  public var trainSeconds: Double { Double(epochSeconds.reduce(0, +)) }
  public var iterations: Int { loop?.iterations ?? 0 }
  /// False when non-finite losses stopped it before any checkpoint (its networks are garbage).
  public var usable: Bool { loop?.usable ?? true }
}

/// Trains `run` on `data` until `epochs`, resuming from its checkpoint unless `fresh`; keeps a
/// copy at each of `keep` (epochs). With a `curve`, adds a quality point after every epoch.
public func train(_ run: SystemRun, data: ImageDataset, epochs: Int, keep: Set<Int> = [], runsDir: String, fresh: Bool,
                  curve: CurveProbe? = nil) throws {
  let s = run.system
  let perEpoch = try checkedBatches(data, batchSize: run.spec.batchSize)
  if run.loop == nil {
    var ckpt = RunCheckpoint()
    ckpt.modules = s.modules
    ckpt.optimizers = s.optimizers
    var rngSeed = RandomGenerator(seed: run.spec.seed &+ 31)
    ckpt.generators = ["step": rngSeed.split()]
    ckpt.sampler = BatchSampler(count: data.count, batchSize: run.spec.batchSize, seed: run.spec.seed &+ 17)
    let loop = TrainingLoop(name: run.spec.name, identity: run.spec.identity, runsDir: runsDir, checkpoint: ckpt)
    loop.keep = Set(keep.map { $0 * perEpoch })
    try loop.start(fresh: fresh)
    run.loop = loop
  } else {
    run.loop!.keep.formUnion(keep.map { $0 * perEpoch })
  }
  let loop = run.loop!
  s.train()
  try loop.train(until: epochs * perEpoch, step: { batch, streams in
    let losses = s.step(x: data.batch(batch), rng: &streams["step"]!)
    return losses.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
  }, epochStart: { epoch in
    s.prepareEpoch(epoch, seed: run.spec.seed)
  }, epochEnd: { _ in
    guard let curve else { return }
    s.eval()
    let (l1, fd) = withNoGrad { curve.measure(s) }
    s.train()
    loop.history["curve_seconds", default: []].append(Float(loop.epochSeconds.reduce(0, +)))
    loop.history["curve_fd", default: []].append(Float(fd))
    if let l1 { loop.history["curve_l1", default: []].append(Float(l1)) }
  })
}

/// Loads the networks of `run` as saved after `epoch` (a copy kept by `train`).
public func loadSnapshot(_ run: SystemRun, epoch: Int, runsDir: String) throws {
  try TrainingLoop.loadKept(run.system.modules, runsDir: runsDir, name: run.spec.name, identity: run.spec.identity,
                            iteration: epoch * run.iterationsPerEpoch)
}
