//===--- Training.swift ---------------------------------------------------===//
// Resumable training runs of the two colorization systems: conditional AGE for a
// number of epochs, pix2pix for a number of seconds (the wall time AGE took). The
// whole state is checkpointed after every epoch and at the end (runs/04-colorization/
// <profile>/<name>-<hash>/last.safetensors); a guard stops a run whose losses turn
// non-finite (an error) or whose real codes collapse (a result), keeping the last
// good checkpoint.
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Models

enum System: String { case age, pix2pix }

/// How long a run trains.
enum Length {
  case epochs(Int)
  case seconds(Double)
}

/// Everything that changes a run's numbers; its hash names the checkpoint folder.
struct RunSpec {
  var name: String
  var system: System
  var net: ColorizationConfig
  var age: AGEConfig
  var trainImages: Int
  var seed: UInt64
  var identity: String {
    let a = age
    let common = "\(name) \(system.rawValue) n\(trainImages) S\(net.size) w\(net.ngf) seed\(seed) batch64 lr2e-4"
    switch system {
    case .age:
      return common + " M\(net.nz) blocks\(net.blocks) mu\(a.mu) lambda\(a.lambda) nu\(a.generatorLX) gsteps\(a.generatorSteps) "
        + "div:\(a.divergence.rawValue) lz:\(a.latentLoss.rawValue)"
    case .pix2pix:
      return common + " noise3 l1x100"
    }
  }
  var folder: String { RunCheckpoint.folderName("\(name)-\(system.rawValue)", identity: identity) }
}

/// A trained (or partly trained) run of either system.
final class ColorRun {
  let spec: RunSpec
  let age: ConditionalAGETrainer?
  let pix2pix: Pix2PixTrainer?
  var history: [String: [Float]]
  var epochsDone: Double
  var trainSeconds: Double
  var stopped: String?
  var nonFinite = false
  init(spec: RunSpec, age: ConditionalAGETrainer?, pix2pix: Pix2PixTrainer?, history: [String: [Float]]) {
    self.spec = spec; self.age = age; self.pix2pix = pix2pix; self.history = history
    epochsDone = 0; trainSeconds = 0
  }
  var iterations: Int { history.values.first?.count ?? 0 }
  var generator: Module { age?.g ?? pix2pix!.g }
  var codeDimension: Int { age?.nz ?? pix2pix!.noiseMaps }
  func sampleCodes(_ n: Int, rng: inout RandomGenerator) -> Tensor {
    Tensor.uniformOnSphere(n, codeDimension, rng: &rng)
  }
}

let ageHistoryKeys = ["kl_real", "kl_fake_e", "recon_x", "kl_fake_g", "recon_z", "code_var"]
let pix2pixHistoryKeys = ["loss_d", "gan_g", "l1"]

/// Builds the networks of `spec` (without training them).
func makeRun(_ spec: RunSpec) -> (ColorRun, RunCheckpoint, RandomGenerator) {
  var rng = RandomGenerator(seed: spec.seed)
  var ckpt = RunCheckpoint()
  let run: ColorRun
  switch spec.system {
  case .age:
    let e = makeColorizationEncoder(spec.net, rng: &rng), g = makeColorizationGenerator(spec.net, rng: &rng)
    let t = ConditionalAGETrainer(e: e, g: g, nz: spec.net.nz, config: spec.age)
    ckpt.modules = ["e": e, "g": g]
    ckpt.optimizers = ["opt_e": (t.optE, e), "opt_g": (t.optG, g)]
    run = ColorRun(spec: spec, age: t, pix2pix: nil, history: Dictionary(uniqueKeysWithValues: ageHistoryKeys.map { ($0, []) }))
  case .pix2pix:
    let g = UNet(inChannels: 1 + 3, outChannels: 2, ngf: spec.net.ngf, downs: log2(spec.net.size), rng: &rng)
    let d = makePatchGAN(inChannels: 3, ndf: spec.net.ndf, layers: spec.net.size >= 64 ? 3 : 2, rng: &rng)
    let t = Pix2PixTrainer(g: g, d: d)
    ckpt.modules = ["pg": g, "pd": d]
    ckpt.optimizers = ["opt_pg": (t.optG, g), "opt_pd": (t.optD, d)]
    run = ColorRun(spec: spec, age: nil, pix2pix: t, history: Dictionary(uniqueKeysWithValues: pix2pixHistoryKeys.map { ($0, []) }))
  }
  return (run, ckpt, rng)
}

func log2(_ n: Int) -> Int { var k = 0; while (1 << (k + 1)) <= n { k += 1 }; return k }

/// Trains `spec` on `data` for `length`, resuming from its checkpoint unless `fresh`.
func train(_ spec: RunSpec, data: LabImages, length: Length, runsDir: String, fresh: Bool) throws -> ColorRun {
  var (run, ckpt, rng) = makeRun(spec)
  ckpt.generators = ["z": rng.split(), "l": rng.split()]
  ckpt.sampler = BatchSampler(count: data.count, batchSize: 64, seed: spec.seed &+ 17)
  let dir = "\(runsDir)/\(spec.folder)", last = "\(dir)/last.safetensors"
  if !fresh && FileManager.default.fileExists(atPath: last) {
    try ckpt.read(from: last)
    guard ckpt.metadata["identity"] == spec.identity else {
      throw CheckpointError(path: last, message: "was written by a different configuration; delete \(dir) or pass --fresh")
    }
    run.history = ckpt.history.filter { !$0.key.hasPrefix("_") }
    run.trainSeconds = Double(ckpt.metadata["train_seconds"] ?? "") ?? 0
    run.epochsDone = ckpt.sampler!.progress
    log("\(spec.name) \(spec.system.rawValue): resuming from \(last) at epoch \(String(format: "%.2f", run.epochsDone))")
  }
  var zRNG = ckpt.generators["z"]!, lRNG = ckpt.generators["l"]!
  var sampler = ckpt.sampler!
  let perEpoch = sampler.batchesPerEpoch
  func finished() -> Bool {
    switch length {
    case .epochs(let n): return sampler.progress >= Double(n) - 1e-9
    case .seconds(let s): return run.trainSeconds >= s
    }
  }
  if finished() { return run }
  func save() throws {
    ckpt.generators = ["z": zRNG, "l": lRNG]
    ckpt.sampler = sampler
    ckpt.history = run.history
    ckpt.metadata = ["identity": spec.identity, "train_seconds": "\(run.trainSeconds)", "commit": gitCommit()]
    try ckpt.write(to: last)
  }
  let bar: ChapterKit.Progress
  switch length {
  case .epochs(let n): bar = ChapterKit.Progress("\(spec.name) \(spec.system.rawValue)", total: Int(((Double(n) - sampler.progress) * Double(perEpoch)).rounded()), unit: "it")
  case .seconds(let s): bar = ChapterKit.Progress("\(spec.name) \(spec.system.rawValue)", total: Int(s.rounded(.up)) - Int(run.trainSeconds), unit: "s")
  }
  let startSeconds = run.trainSeconds, startIt = run.iterations
  run.generator.train()
  (run.age?.e ?? run.pix2pix!.d).train()
  let collapseFloor = 0.01 / Float(spec.net.nz)
  var lowVarianceRun = 0
  while !finished() {
    let t0 = Date()
    let (l, ab) = data.batch(sampler.next())
    var values: [Float], problem: String?
    if let t = run.age {
      let s = t.step(l: l, ab: ab, nextBatch: { data.batch((0..<64).map { _ in lRNG.int(below: data.count) }) }, rng: &zRNG)
      values = [s.klReal, s.klFakeE, s.reconX, s.klFakeG, s.reconZ, s.codeVariance]
      lowVarianceRun = s.codeVariance < collapseFloor ? lowVarianceRun + 1 : 0
      if !s.isFinite { problem = "a loss turned non-finite (KL_real \(s.klReal), KL_fake \(s.klFakeE), L_X \(s.reconX), L_Z \(s.reconZ))" }
      else if lowVarianceRun >= 50 {
        problem = String(format: "the real codes collapsed (per-dimension variance %.2g for 50 iterations; 1/M = %.3g)",
                         s.codeVariance, 1 / Float(spec.net.nz))
      }
    } else {
      let s = run.pix2pix!.step(l: l, ab: ab, rng: &zRNG)
      values = [s.lossD, s.ganG, s.l1]
      if !s.isFinite { problem = "a loss turned non-finite (D \(s.lossD), G \(s.ganG), L1 \(s.l1))" }
    }
    let keys = run.age != nil ? ageHistoryKeys : pix2pixHistoryKeys
    for (k, v) in zip(keys, values) { run.history[k]!.append(v) }
    run.trainSeconds += Date().timeIntervalSince(t0)
    if let problem {
      log("\(spec.name) \(spec.system.rawValue): stopped at iteration \(run.iterations): \(problem)")
      if FileManager.default.fileExists(atPath: last) {
        let kept = run.history
        try ckpt.read(from: last)
        run.history = kept
        log("the last good checkpoint \(last) is kept and loaded")
      }
      run.stopped = "stopped at iteration \(run.iterations): \(problem)"
      run.nonFinite = problem.contains("non-finite")
      run.epochsDone = sampler.progress
      return run
    }
    switch length {
    case .epochs: bar.update(run.iterations - startIt, Array(zip(keys, values).prefix(4)))
    case .seconds: bar.update(Int(run.trainSeconds - startSeconds), Array(zip(keys, values).prefix(3)))
    }
    if sampler.position + 64 > data.count || finished() { try save() }   // end of an epoch, or of the run
  }
  run.epochsDone = sampler.progress
  return run
}
