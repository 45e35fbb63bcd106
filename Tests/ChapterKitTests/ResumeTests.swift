import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Models
import Testing

/// A run checkpointed halfway and resumed in fresh objects ends bit-identical to an uninterrupted run.
@Suite("Exact resumption of AGE training from a RunCheckpoint")
struct ResumeTests {
  let config = DCGAN32Config(channels: 1, nz: 8, ngf: 4, ndf: 4)
  let data: ImageDataset = {
    var rng = RandomGenerator(seed: 11)
    let n = 96
    return ImageDataset(name: "noise", pixels: (0..<(n * 1024)).map { _ in rng.uniform(-1, 1) },
                        labels: Array(repeating: 0, count: n), channels: 1, height: 32, width: 32, classNames: ["x"])
  }()

  /// Fresh networks, optimizers, generators and sampler registered in a checkpoint.
  func setup() -> (AGETrainer, RunCheckpoint) {
    var rng = RandomGenerator(seed: 5)
    let e = makeEncoder32(config, rng: &rng), g = makeGenerator32(config, rng: &rng)
    let t = AGETrainer(e: e, g: g, nz: config.nz, config: AGEConfig())
    var c = RunCheckpoint()
    c.modules = ["e": e, "g": g]
    c.optimizers = ["opt_e": (t.optE, e), "opt_g": (t.optG, g)]
    c.generators = ["z": rng.split()]
    c.sampler = BatchSampler(count: data.count, batchSize: 64, seed: 3)
    return (t, c)
  }

  func steps(_ t: AGETrainer, _ c: inout RunCheckpoint, _ n: Int) {
    var z = c.generators["z"]!, s = c.sampler!
    for _ in 0..<n { t.step(x: data.batch(s.next()), nextRealBatch: { fatalError() }, rng: &z) }
    c.generators["z"] = z; c.sampler = s
  }

  @Test func resumedRunMatchesUninterruptedRun() throws {
    var (a, ca) = setup()
    steps(a, &ca, 4)

    var (b, cb) = setup()
    steps(b, &cb, 2)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("age-resume-\(getpid())/last.safetensors").path
    cb.history = ["loss": [1, 2]]
    cb.metadata = ["epochs_done": "1"]
    try cb.write(to: path)
    (b, cb) = setup()   // new objects, as after a restart
    try cb.read(from: path)
    #expect(cb.history["loss"] == [1, 2] && cb.metadata["epochs_done"] == "1")
    steps(b, &cb, 2)

    for (p, q) in zip(a.e.parameters + a.g.parameters, b.e.parameters + b.g.parameters) { #expect(p.data == q.data) }
    for (p, q) in zip(a.e.namedBuffers() + a.g.namedBuffers(), b.e.namedBuffers() + b.g.namedBuffers()) { #expect(p.1.data == q.1.data) }
  }

  @Test func corruptCheckpointIsRejectedWithItsName() throws {
    var (_, c) = setup()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("age-resume-bad-\(getpid())/last.safetensors").path
    try c.write(to: path)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes = bytes.prefix(bytes.count - 100)
    try bytes.write(to: URL(fileURLWithPath: path))
    var caught: String?
    do { try c.read(from: path) } catch { caught = "\(error)" }
    #expect(caught?.contains(path) == true, "error: \(caught ?? "none")")
  }
}

/// The generic training loop of chapter 3: a run stopped after one epoch and resumed, from disk in new
/// objects or in the same process, ends bit-identical to an uninterrupted run (ALI also reseeds dropout).
@Suite("Exact resumption of any GenerativeSystem")
struct SystemResumeTests {
  static let data: ImageDataset = {
    var rng = RandomGenerator(seed: 12)
    let n = 128
    return ImageDataset(name: "noise", pixels: (0..<(n * 1024)).map { _ in rng.uniform(-1, 1) },
                        labels: Array(repeating: 0, count: n), channels: 1, height: 32, width: 32, classNames: ["x"])
  }()

  static func make(_ key: String) -> GenerativeSystem {
    var rng = RandomGenerator(seed: 4)
    let net = DCGAN32Config(channels: 1, nz: 4, ngf: 4, ndf: 4)
    return key == "ali" ? ALISystem(net, stochastic: true, seed: 3, rng: &rng) : AlphaGANSystem(net, rng: &rng)
  }

  @Test(arguments: ["ali", "alpha_gan"])
  func resumedRunMatchesUninterruptedRun(key: String) throws {
    let system = SystemResumeTests.make(key)
    let spec = SystemRunSpec(name: "resume-\(key)", net: DCGAN32Config(channels: 1, nz: 4, ngf: 4, ndf: 4), recipe: system.recipe,
                             trainImages: 128, seed: 9)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("system-resume-\(getpid())-\(key)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let straight = SystemRun(spec: spec, system: system)
    try train(straight, data: SystemResumeTests.data, epochs: 2, runsDir: "\(root)/a", fresh: true)
    let first = SystemRun(spec: spec, system: SystemResumeTests.make(key))
    try train(first, data: SystemResumeTests.data, epochs: 1, runsDir: "\(root)/b", fresh: true)
    let restarted = SystemRun(spec: spec, system: SystemResumeTests.make(key))   // new objects, as after a restart
    try train(restarted, data: SystemResumeTests.data, epochs: 2, runsDir: "\(root)/b", fresh: false)
    let inProcess = SystemRun(spec: spec, system: SystemResumeTests.make(key))   // continued in the same process
    try train(inProcess, data: SystemResumeTests.data, epochs: 1, runsDir: "\(root)/c", fresh: true)
    try train(inProcess, data: SystemResumeTests.data, epochs: 2, runsDir: "\(root)/c", fresh: false)
    #expect(restarted.epochsDone == 2 && inProcess.epochsDone == 2)
    func weights(_ r: SystemRun) -> [[Float]] {
      r.system.modules.sorted { $0.key < $1.key }.flatMap { $0.value.parameters.map(\.data) }
    }
    #expect(weights(restarted) == weights(straight))
    #expect(weights(inProcess) == weights(straight))
    #expect(restarted.history.filter { !$0.key.contains("seconds") } == straight.history.filter { !$0.key.contains("seconds") })
  }
}

@Suite("Run identity: the encoded configuration")
struct RunIdentityTests {
  /// Any setting of the networks or the recipe changes the identity (and so the checkpoint folder);
  /// equal settings give the same text whatever order they were set in.
  @Test func identityFollowsEverySetting() {
    let net = DCGAN32Config(channels: 1, nz: 4, ngf: 4, ndf: 4)
    let base = SystemRecipe(optimizer: .dcgan, weights: ["rho": 10, "lambda": 1])
    let spec = SystemRunSpec(name: "x", net: net, recipe: base, trainImages: 128, seed: 9)
    let same = SystemRunSpec(name: "x", net: net, recipe: SystemRecipe(optimizer: .dcgan, weights: ["lambda": 1, "rho": 10]),
                             trainImages: 128, seed: 9)
    #expect(spec.identity == same.identity && spec.folder == same.folder)
    var lr = base; lr.optimizer.lr = 1e-4
    var wider = net; wider.ngf = 8
    var aged = base; aged.age = AGEConfig.officialCode
    let variants = [
      SystemRunSpec(name: "x", net: net, recipe: lr, trainImages: 128, seed: 9),
      SystemRunSpec(name: "x", net: wider, recipe: base, trainImages: 128, seed: 9),
      SystemRunSpec(name: "x", net: net, recipe: aged, trainImages: 128, seed: 9),
      SystemRunSpec(name: "x", net: net, recipe: base, trainImages: 128, seed: 9, batchSize: 32),
      SystemRunSpec(name: "x", net: net, recipe: base, trainImages: 129, seed: 9),
    ]
    for v in variants { #expect(v.identity != spec.identity && v.folder != spec.folder) }
    // The identity is the configuration as JSON, which results.json records.
    let object = RunCheckpoint.jsonObject(identity: spec.identity) as? [String: Any]
    #expect((object?["batch_size"] as? Int) == 64)
  }
}
