import ArgumentParser
import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Testing

/// The one training loop: resume after a kill at any checkpoint write, identity checks, --fresh, guard stops.
@Suite("TrainingLoop: resume, identity, fresh, guards")
struct TrainingLoopTests {
  /// 160 examples of a noisy linear map R^4 -> R^2.
  static let inputs: [Float] = { var r = RandomGenerator(seed: 3); return (0..<(160 * 4)).map { _ in r.normal() } }()

  /// A small regression run: its network, and a loop over 160 examples (2 batches per epoch).
  final class Run {
    let net: Linear
    let loop: TrainingLoop
    init(root: String, identity: String = "linear test", every: Int? = nil, keep: Set<Int> = []) {
      var rng = RandomGenerator(seed: 1)
      net = Linear(4, 2, rng: &rng)
      let opt = Adam(net.parameters, lr: 0.05)
      var c = RunCheckpoint()
      c.modules = ["net": net]
      c.optimizers = ["opt": (opt, net)]
      c.generators = ["noise": rng.split()]
      c.sampler = BatchSampler(count: 160, batchSize: 64, seed: 7)
      loop = TrainingLoop(name: "linear", identity: identity, runsDir: root, checkpoint: c)
      loop.checkpointEvery = every
      loop.keep = keep
      self.opt = opt
    }
    let opt: Adam
    /// One Adam step on the batch, with noise from the registered stream; `poison` makes the loss NaN at that iteration.
    func train(until n: Int, poison: Int? = nil) throws {
      try loop.train(until: n, step: { batch, streams in
        var x = [Float](), y = [Float]()
        for i in batch {
          let v = Array(TrainingLoopTests.inputs[(i * 4)..<(i * 4 + 4)])
          x += v
          y += [v[0] - 2 * v[1] + 0.1 * streams["noise"]!.normal(), v[2] + v[3]]
        }
        opt.zeroGrad()
        let loss = mseLoss(net(Tensor(shape: [batch.count, 4], data: x)), Tensor(shape: [batch.count, 2], data: y))
        loss.backward()
        opt.step()
        let poisoned = poison == loop.iterations
        return [("loss", poisoned ? .nan : loss.item)]
      })
    }
    var weights: [Float] { net.parameters.flatMap(\.data) }
  }

  func root(_ name: String) -> String {
    let r = FileManager.default.temporaryDirectory.appendingPathComponent("loop-\(name)-\(getpid())").path
    try? FileManager.default.removeItem(atPath: r)
    return r
  }

  struct Killed: Error {}

  /// A kill before any checkpoint write (the nth one), then a restart in new objects, ends where an
  /// uninterrupted run ends, with the same history and the kept copies all present.
  @Test(arguments: [1, 2, 3, 4, 5, 6])
  func killedAtAnyWriteResumesExactly(write n: Int) throws {
    let straight = Run(root: root("straight-\(n)"), every: 3, keep: [4])
    try straight.loop.start(fresh: true)
    try straight.train(until: 9)

    let dir = root("killed-\(n)")
    let first = Run(root: dir, every: 3, keep: [4])
    var writes = 0
    first.loop.beforeWrite = { _ in writes += 1; if writes == n { throw Killed() } }
    try first.loop.start(fresh: true)
    #expect(throws: Killed.self) { try first.train(until: 9) }
    let second = Run(root: dir, every: 3, keep: [4])   // new objects, as after a restart
    try second.loop.start(fresh: false)
    try second.train(until: 9)
    #expect(second.weights == straight.weights)
    #expect(second.loop.history["loss"] == straight.loop.history["loss"])
    #expect(FileManager.default.fileExists(atPath: second.loop.keptPath(4)))
  }

  /// A kept copy deleted by hand makes the next start train again from the beginning, which recreates it.
  @Test func missingKeptCopyIsRecreated() throws {
    let dir = root("missing")
    let a = Run(root: dir, keep: [2])
    try a.loop.start(fresh: true)
    try a.train(until: 4)
    try FileManager.default.removeItem(atPath: a.loop.keptPath(2))
    let b = Run(root: dir, keep: [2])
    try b.loop.start(fresh: false)
    #expect(b.loop.iterations == 0)
    try b.train(until: 4)
    #expect(FileManager.default.fileExists(atPath: b.loop.keptPath(2)))
    #expect(b.weights == a.weights)
  }

  /// Another configuration's checkpoint in the run folder is refused, naming the file; --fresh removes everything.
  @Test func foreignCheckpointIsRefusedAndFreshEmptiesTheFolder() throws {
    let dir = root("identity")
    let a = Run(root: dir, identity: "linear test")
    try a.loop.start(fresh: true)
    try a.train(until: 2)
    try "junk".write(toFile: "\(a.loop.dir)/stale-note.txt", atomically: true, encoding: .utf8)
    // The same folder name (name and hash) but a checkpoint written with another identity: forge one.
    var meta = try SafeTensors.readMetadata(a.loop.last)
    #expect(meta["identity"] == "linear test")
    let (t, _) = try SafeTensors.read(a.loop.last)
    meta["identity"] = "linear other"
    try SafeTensors.write(t, metadata: meta, to: a.loop.last)
    let b = Run(root: dir)
    var message = ""
    do { try b.loop.start(fresh: false) } catch { message = "\(error)" }
    #expect(message.contains(a.loop.last) && message.contains("different configuration"), "\(message)")
    try b.loop.start(fresh: true)
    #expect(!FileManager.default.fileExists(atPath: a.loop.dir))
    try b.train(until: 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: b.loop.dir) == ["last.safetensors"])
  }

  /// Non-finite values stop the run and restore its last checkpoint; with none, the run is marked unusable.
  @Test func nonFiniteLossRollsBackOrMarksTheRunUnusable() throws {
    let a = Run(root: root("guard-a"), every: 2)
    try a.loop.start(fresh: true)
    try a.train(until: 10, poison: 5)
    #expect(a.loop.stop?.nonFinite == true && a.loop.stop?.rolledBackTo == 4 && a.loop.usable)
    let reference = Run(root: root("guard-ref"))
    try reference.loop.start(fresh: true)
    try reference.train(until: 4)
    #expect(a.weights == reference.weights)
    #expect(a.loop.history["loss"]?.count == 6)   // the curve keeps the iterations up to the stop

    let b = Run(root: root("guard-b"))
    try b.loop.start(fresh: true)
    try b.train(until: 10, poison: 0)
    #expect(b.loop.stop?.rolledBackTo == nil && !b.loop.usable)
  }

  /// A training set smaller than one batch is an error naming it, not a trap.
  @Test func tooSmallTrainingSetIsNamed() throws {
    #expect(throws: DatasetError.self) { try checkedBatches(count: 10, name: "tiny set") }
    #expect(try checkedBatches(count: 130, name: "ok") == 2)
  }
}

@Suite("Preflight and options")
struct PreflightTests {
  @Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
    let dead = "\(dir)/sub/.last.safetensors.tmp-999999999", mine = "\(dir)/.x.safetensors.tmp-\(getpid())"
    for f in [dead, mine] { _ = FileManager.default.createFile(atPath: f, contents: Data([1])) }
    let removed = Preflight.removeStaleTemporaries(under: dir)
    #expect(removed == [dead])
    #expect(FileManager.default.fileExists(atPath: mine))
  }

  @Test func missingGnuplotAndUnwritableFolderAreReportedFirst() throws {
    #expect(throws: PreflightError.self) { try Preflight.check(outputs: [], gnuplotSearchPath: "/nonexistent") }
    var message = ""
    do { try Preflight.check(outputs: ["/proc/forbidden/out"], gnuplotSearchPath: "/usr/bin:/bin") } catch { message = "\(error)" }
    #expect(message.contains("/proc/forbidden/out"), "\(message)")
  }

  @Test func badOptionsAreRejected() throws {
    for args in [["--threads", "0"], ["--threads", "-3"], ["--threads", "1000"], ["--data-dir", "/nonexistent-data"],
                 ["--seed=-1"]] {
      #expect(throws: (any Error).self, "\(args)") { _ = try CommonOptions.parse(args) }
    }
    #expect(try CommonOptions.parse(["--threads", "2", "--seed", "0"]).threads == 2)
    #expect(throws: (any Error).self) { try OptionCheck.range("--width", 0, 1...1024) }
    #expect(throws: (any Error).self) { try OptionCheck.weight("--lambda", .nan) }
    #expect(throws: (any Error).self) { try OptionCheck.weight("--lambda", .infinity) }
  }
}
