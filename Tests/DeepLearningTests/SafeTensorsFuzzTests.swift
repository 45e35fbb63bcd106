import DeepLearning
import Foundation
import Testing

/// The reader refuses what the safetensors format forbids (as strictly as the reference implementation):
/// overlapping, gapped or short byte ranges, absurd header lengths, non-F32 data, flipped bytes, and
/// non-finite values where a model or optimizer needs numbers.
@Suite("Safetensors reader against malformed files")
struct SafeTensorsFuzzTests {
  func path(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("\(name).safetensors").path
  }

  /// A file with this header JSON and `body` bytes, written by hand.
  func file(_ name: String, header: String, body: [UInt8]) throws -> String {
    var h = Array(header.utf8)
    while h.count % 8 != 0 { h.append(0x20) }
    var bytes = withUnsafeBytes(of: UInt64(h.count).littleEndian) { Array($0) }
    bytes += h + body
    let p = path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: p))
    return p
  }

  func floats(_ v: [Float]) -> [UInt8] { v.withUnsafeBytes { Array($0) } }

  func refused(_ p: String, _ fragment: String) {
    var message = ""
    do { _ = try SafeTensors.read(p) } catch { message = "\(error)" }
    #expect(message.contains(p) && message.contains(fragment), "\(message)")
  }

  @Test func contiguousRangesInAnyKeyOrderAreRead() throws {
    let p = try file("ok", header: #"{"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                     body: floats([1, 2, 3]))
    let (t, _) = try SafeTensors.read(p)
    #expect(t["b"]?.data == [1] && t["a"]?.data == [2, 3])
  }

  @Test func overlappingRangesAreRefused() throws {
    let p = try file("overlap", header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                     body: floats([1, 2, 3]))
    refused(p, "overlaps")
  }

  @Test func gapsAndUncoveredBytesAreRefused() throws {
    let gap = try file("gap", header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                       body: floats([1, 2, 3]))
    refused(gap, "gap")
    let tail = try file("tail", header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, body: floats([1, 2]))
    refused(tail, "cover")
    let short = try file("short", header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#, body: floats([1, 2]))
    refused(short, "truncated")
  }

  @Test func malformedHeadersAreRefused() throws {
    // A header length of 2^62.
    var huge = withUnsafeBytes(of: UInt64(1 << 62).littleEndian) { Array($0) }
    huge += Array("{}".utf8)
    let p = path("huge")
    try Data(huge).write(to: URL(fileURLWithPath: p))
    refused(p, "header length")
    refused(try file("notjson", header: "[1,2]", body: []), "not a JSON object")
    refused(try file("dtype", header: #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, body: [0, 0, 0, 0]), "F16")
    refused(try file("shape", header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, body: floats([1])), "shape")
    refused(try file("mismatch", header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, body: floats([1])), "needs 8 bytes")
    refused(try file("offsets", header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[1e30,4]}}"#, body: floats([1])), "data_offsets")
  }

  @Test func flippedDataBytesAreCaughtByTheChecksum() throws {
    let p = path("flip")
    try SafeTensors.write(["w": StoredTensor(shape: [4], data: [1, 2, 3, 4])], metadata: ["k": "v"], to: p)
    let (t, meta) = try SafeTensors.read(p)
    #expect(t["w"]?.data == [1, 2, 3, 4] && meta == ["k": "v"])   // the checksum is checked, not returned
    var bytes = try Data(contentsOf: URL(fileURLWithPath: p))
    bytes[bytes.count - 3] ^= 0x10
    try bytes.write(to: URL(fileURLWithPath: p))
    refused(p, "checksum")
    // A file without the checksum (another tool's, or one edited by hand) loads unless it is required.
    let plain = try file("plain", header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, body: floats([1]))
    #expect(try SafeTensors.read(plain).tensors["a"]?.data == [1])
    #expect(throws: CheckpointError.self) { try SafeTensors.read(plain, requireChecksum: true) }
  }

  @Test func nonFiniteWeightsAndOptimizerFieldsAreRefused() throws {
    var rng = RandomGenerator(seed: 1)
    let net = Linear(2, 2, rng: &rng)
    var state = net.stateDict()
    state["weight"]!.data[1] = .nan
    #expect(throws: CheckpointError.self) { try net.loadStateDict(state) }
    let opt = Adam(net.parameters)
    let names = net.namedParameters().map { $0.0 }
    for (key, bad) in [("step", Float.nan), ("step", 1e30), ("step", -1), ("lr", .infinity)] {
      var d = opt.stateDict(names: names, prefix: "o.")
      d["o." + key] = StoredTensor(shape: [1], data: [bad])
      #expect(throws: CheckpointError.self, "\(key) = \(bad)") { try opt.loadStateDict(d, names: names, prefix: "o.", source: "test") }
    }
  }
}
