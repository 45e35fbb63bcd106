import DeepLearning
import Foundation
import TestSupport
import Testing

@Suite("Checkpoints in safetensors format")
struct CheckpointTests {
  func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("age-ckpt-\(getpid())-\(name)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("model.safetensors").path
  }

  func model() -> Sequential {
    var rng = RandomGenerator(seed: 3)
    return Sequential(Conv2d(3, 4, kernelSize: 3, rng: &rng), BatchNorm2d(4), ReLU(), Flatten(), Linear(4 * 2 * 2, 5, rng: &rng))
  }

  @Test func roundTripIsBitExact() throws {
    let a = model()
    var rng = RandomGenerator(seed: 9)
    _ = a(Tensor.normal([2, 3, 4, 4], rng: &rng))  // moves the running statistics
    let opt = Adam(a.parameters, lr: 1e-3)
    a.zeroGrad(); a(Tensor.normal([2, 3, 4, 4], rng: &rng)).sum().backward(); opt.step()
    let names = a.namedParameters().map { $0.0 }
    var state = a.stateDict(prefix: "net.")
    state.merge(opt.stateDict(names: names, prefix: "adam."), uniquingKeysWith: { $1 })
    let path = tempPath("roundtrip")
    try SafeTensors.write(state, metadata: ["epoch": "3"], to: path)
    let (back, meta) = try SafeTensors.read(path)
    #expect(back == state)
    #expect(meta["epoch"] == "3")
    let b = model()
    for p in b.parameters { for i in 0..<p.count { p.data[i] = 0 } }
    try b.loadStateDict(back, prefix: "net.", source: path)
    #expect(b.stateDict(prefix: "net.") == a.stateDict(prefix: "net."))
    let opt2 = Adam(b.parameters, lr: 5)
    try opt2.loadStateDict(back, names: names, prefix: "adam.", source: path)
    #expect(opt2.step == 1 && opt2.lr == 1e-3)
  }

  @Test func corruptFilesAreRejectedWithAClearMessage() throws {
    let path = tempPath("corrupt")
    try SafeTensors.write(model().stateDict(), to: path)
    let good = try Data(contentsOf: URL(fileURLWithPath: path))
    func expectRejected(_ bytes: Data, mentions: String) {
      let bad = path + ".bad"
      _ = FileManager.default.createFile(atPath: bad, contents: bytes)
      do {
        _ = try SafeTensors.read(bad)
        Issue.record("accepted a corrupt file (\(mentions))")
      } catch let e as CheckpointError {
        #expect(e.description.contains(mentions), "message: \(e.description)")
        #expect(e.description.contains(bad))
      } catch { Issue.record("unexpected error \(error)") }
    }
    expectRejected(good.prefix(good.count - 7), mentions: "truncated")
    expectRejected(good.prefix(5), mentions: "truncated")
    var flipped = good; flipped[8] ^= 0x5A   // the header's opening brace
    expectRejected(flipped, mentions: "header")
    var huge = good; huge[7] = 0x7f
    expectRejected(huge, mentions: "header length")
    expectRejected(Data(), mentions: "truncated")
    // A mismatched model: the message names the tensor.
    var rng = RandomGenerator(seed: 1)
    let other = Sequential(Conv2d(3, 6, kernelSize: 3, rng: &rng))
    #expect(throws: CheckpointError.self) { try other.loadStateDict(try SafeTensors.read(path).tensors) }
    do { try other.loadStateDict(try SafeTensors.read(path).tensors) } catch let e as CheckpointError {
      #expect(e.message.contains("'0.weight'") && e.message.contains("[6, 3, 3, 3]"), "\(e)")
    }
  }

  @Test func randomMutationsNeverCrash() throws {
    let path = tempPath("fuzz")
    try SafeTensors.write(model().stateDict(), to: path)
    let good = try Data(contentsOf: URL(fileURLWithPath: path))
    var rng = RandomGenerator(seed: 77)
    let bad = path + ".fuzz"
    var rejected = 0
    for _ in 0..<300 {
      var d = good
      switch rng.int(below: 3) {
      case 0: d = d.prefix(rng.int(below: d.count))
      case 1: for _ in 0..<(1 + rng.int(below: 4)) { d[rng.int(below: min(d.count, 400))] ^= UInt8(1 + rng.int(below: 255)) }
      default: d[rng.int(below: 8)] = UInt8(rng.int(below: 256))
      }
      _ = FileManager.default.createFile(atPath: bad, contents: d)
      if (try? SafeTensors.read(bad)) == nil { rejected += 1 }
    }
    #expect(rejected > 100)
  }
}

@Suite("Generator state for exact resumption")
struct GeneratorStateTests {
  @Test func randomGeneratorStateRoundTrip() {
    var a = RandomGenerator(seed: 42)
    _ = a.normal()  // leaves a cached second deviate
    let b0 = RandomGenerator(state: a.state)
    #expect(b0 != nil)
    var b = b0!
    for _ in 0..<10 { #expect(a.normal() == b.normal()) }
    #expect(a.next() == b.next())
    #expect(RandomGenerator(state: [0, 0, 0, 0, 0, 0]) == nil && RandomGenerator(state: [1]) == nil)
  }
}
