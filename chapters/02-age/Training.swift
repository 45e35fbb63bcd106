//===--- Training.swift ---------------------------------------------------===//
// One AGE training run (Section 2.3 of the paper), resumable: a checkpoint of the
// whole state after every epoch (runs/02-age/<name>-<hash>/last.safetensors),
// a progress bar, and a guard that stops the run when a loss turns non-finite or
// the real codes collapse (their per-dimension variance falls far below 1/M),
// keeping the last good checkpoint.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Models

/// Everything that defines a run; its description names the checkpoint folder.
struct RunSpec {
  var name: String
  var dataset: DatasetName
  var net: DCGAN32Config
  var age: AGEConfig
  var epochs: Int
  var trainImages: Int
  var seed: UInt64
  /// Iterations after which a copy of the checkpoint is kept (iter-N.safetensors).
  var keepIterations: Set<Int> = []
  /// Stop after this many iterations (mid-epoch if need be) instead of after `epochs`.
  var maxIterations: Int?

  /// Every setting that changes the numbers (not the epoch count: a longer run continues a shorter one).
  var identity: String {
    let a = age
    return "\(dataset.rawValue) n\(trainImages) C\(net.channels) M\(net.nz) ngf\(net.ngf) ndf\(net.ndf) "
      + "mu\(a.mu) lambda\(a.lambda) gsteps\(a.generatorSteps) div:\(a.divergence.rawValue) lz:\(a.latentLoss.rawValue) "
      + "glx\(a.generatorLX) align\(a.alignmentOnly) seed\(seed) batch64 lr2e-4"
  }
  var folder: String { RunCheckpoint.folderName(name, identity: identity) }
}

/// A trained (or partly trained) run.
final class TrainedRun {
  let spec: RunSpec
  let trainer: AGETrainer
  /// Per-iteration series: kl_real, kl_fake_e, recon_x, kl_fake_g, recon_z, code_var.
  var history: [String: [Float]]
  var epochsDone: Int
  var secondsPerEpoch: [Float]
  var resumedFromEpoch: Int
  /// Set when the guard stopped the run.
  var stopped: String?
  /// Whether it stopped on non-finite losses (an error) rather than collapsed codes (a result).
  var nonFinite = false
  let checkpointDir: String
  init(spec: RunSpec, trainer: AGETrainer, history: [String: [Float]], epochsDone: Int, secondsPerEpoch: [Float],
       resumedFromEpoch: Int, checkpointDir: String) {
    self.spec = spec; self.trainer = trainer; self.history = history; self.epochsDone = epochsDone
    self.secondsPerEpoch = secondsPerEpoch; self.resumedFromEpoch = resumedFromEpoch; self.checkpointDir = checkpointDir
  }
  var iterations: Int { history["kl_real"]?.count ?? 0 }
  /// Training seconds, partial epochs included.
  var trainSeconds: Double = 0
}

let historyKeys = ["kl_real", "kl_fake_e", "recon_x", "kl_fake_g", "recon_z", "code_var"]

/// Builds the networks and trains `spec` on `data` (32x32, in [-1, 1]), resuming from the
/// run's checkpoint unless `fresh`. Throws only for unreadable checkpoints; a guard stop is
/// recorded in `stopped` with the networks restored to the last good checkpoint.
func trainAGE(_ spec: RunSpec, data: ImageDataset, runsDir: String, fresh: Bool) throws -> TrainedRun {
  var rng = RandomGenerator(seed: spec.seed)
  let e = makeEncoder32(spec.net, rng: &rng)
  let g = makeGenerator32(spec.net, rng: &rng)
  let trainer = AGETrainer(e: e, g: g, nz: spec.net.nz, config: spec.age)
  var ckpt = RunCheckpoint()
  ckpt.modules = ["e": e, "g": g]
  ckpt.optimizers = ["opt_e": (trainer.optE, e), "opt_g": (trainer.optG, g)]
  ckpt.generators = ["z": rng.split(), "lx": rng.split()]
  ckpt.sampler = BatchSampler(count: data.count, batchSize: 64, seed: spec.seed &+ 17)
  let dir = "\(runsDir)/\(spec.folder)"
  let last = "\(dir)/last.safetensors"
  var history: [String: [Float]] = Dictionary(uniqueKeysWithValues: historyKeys.map { ($0, [Float]()) })
  var epochsDone = 0
  var seconds: [Float] = []
  var total: Float = 0
  if !fresh && FileManager.default.fileExists(atPath: last) {
    try ckpt.read(from: last)
    guard ckpt.metadata["identity"] == spec.identity else {
      throw CheckpointError(path: last, message: "was written by a different configuration; delete \(dir) or pass --fresh")
    }
    epochsDone = Int(ckpt.metadata["epochs_done"] ?? "") ?? 0
    history = ckpt.history.filter { historyKeys.contains($0.key) }
    seconds = ckpt.history["epoch_seconds"] ?? []
    total = ckpt.history["train_seconds"]?.first ?? seconds.reduce(0, +)
    log("\(spec.name): resuming from \(last) after epoch \(epochsDone)")
  }
  let run = TrainedRun(spec: spec, trainer: trainer, history: history, epochsDone: epochsDone, secondsPerEpoch: seconds,
                       resumedFromEpoch: epochsDone, checkpointDir: dir)
  run.trainSeconds = Double(total)
  var sampler = ckpt.sampler!
  let perEpoch = sampler.batchesPerEpoch
  let target = spec.maxIterations ?? spec.epochs * perEpoch
  var done = run.iterations
  guard done < target else { return run }

  var zRNG = ckpt.generators["z"]!, lxRNG = ckpt.generators["lx"]!
  let bar = Progress(spec.name, total: target - done, unit: "it")
  let startDone = done
  let collapseFloor = 0.01 / Float(spec.net.nz)
  var lowVarianceRun = 0
  trainer.e.train(); trainer.g.train()
  /// Saves the whole state to `path` (after `done` iterations).
  func save(_ path: String) throws {
    ckpt.generators = ["z": zRNG, "lx": lxRNG]
    ckpt.sampler = sampler
    ckpt.history = run.history
    ckpt.history["epoch_seconds"] = run.secondsPerEpoch
    ckpt.history["train_seconds"] = [Float(run.trainSeconds)]
    ckpt.metadata = ["identity": spec.identity, "epochs_done": "\(run.epochsDone)", "iterations_done": "\(done)",
                     "commit": gitCommit()]
    try ckpt.write(to: path)
  }
  var t0 = Date()
  while done < target {
    let epoch = done / perEpoch, it = done % perEpoch
    let x = data.batch(sampler.next())
    let s = trainer.step(x: x, nextRealBatch: {
      data.batch((0..<64).map { _ in lxRNG.int(below: data.count) })
    }, rng: &zRNG)
    let values = [s.klReal, s.klFakeE, s.reconX, s.klFakeG, s.reconZ, s.codeVariance]
    for (k, v) in zip(historyKeys, values) { run.history[k]!.append(v) }
    lowVarianceRun = s.codeVariance < collapseFloor ? lowVarianceRun + 1 : 0
    var problem: String?
    if !s.isFinite { problem = "a loss turned non-finite (KL_real \(s.klReal), KL_fake \(s.klFakeE), L_X \(s.reconX), L_Z \(s.reconZ))" }
    if lowVarianceRun >= 50 {
      problem = String(format: "the real codes collapsed (per-dimension variance %.2g for 50 iterations; 1/M = %.3g)",
                       s.codeVariance, 1 / Float(spec.net.nz))
    }
    if let problem {
      let at = "epoch \(epoch + 1), iteration \(it + 1)"
      log("\(spec.name): stopped at \(at): \(problem)")
      if FileManager.default.fileExists(atPath: last) {
        try ckpt.read(from: last)   // back to the last good state
        log("\(spec.name): the last good checkpoint \(last) (epoch \(run.epochsDone)) is kept and loaded")
      } else {
        log("\(spec.name): no good checkpoint exists yet (the guard fired in the first epoch)")
      }
      run.stopped = "stopped at \(at): \(problem)"
      run.nonFinite = !s.isFinite
      return run   // the history keeps the iterations up to the stop, so the curves show it
    }
    bar.update(done + 1 - startDone, [("KLr", s.klReal), ("KLf", s.klFakeE), ("LX", s.reconX), ("LZ", s.reconZ)])
    done += 1
    let endOfEpoch = done % perEpoch == 0
    if endOfEpoch || done == target {
      let secs = Float(Date().timeIntervalSince(t0))
      run.trainSeconds += Double(secs)
      t0 = Date()
      if endOfEpoch { run.secondsPerEpoch.append(secs); run.epochsDone = done / perEpoch }
      try save(last)
    }
    if spec.keepIterations.contains(done) { try save("\(dir)/iter-\(done).safetensors") }
  }
  return run
}

/// Loads the networks of `spec` as saved after `iteration` (kept by `keepIterations`).
func loadSnapshot(_ spec: RunSpec, iteration: Int, runsDir: String) throws -> AGETrainer {
  var rng = RandomGenerator(seed: spec.seed)
  let e = makeEncoder32(spec.net, rng: &rng), g = makeGenerator32(spec.net, rng: &rng)
  let trainer = AGETrainer(e: e, g: g, nz: spec.net.nz, config: spec.age)
  let (t, _) = try SafeTensors.read("\(runsDir)/\(spec.folder)/iter-\(iteration).safetensors")
  try e.loadStateDict(t, prefix: "e.", source: "iter-\(iteration)")
  try g.loadStateDict(t, prefix: "g.", source: "iter-\(iteration)")
  return trainer
}
