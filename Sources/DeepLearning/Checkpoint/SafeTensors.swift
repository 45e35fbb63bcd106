//===--- SafeTensors.swift ------------------------------------------------===//
// Reading and writing the safetensors format (huggingface/safetensors):
//   8 bytes   little-endian u64 N, the header length
//   N bytes   JSON: { "name": {"dtype": "F32", "shape": [...], "data_offsets": [b, e]}, ...,
//                     "__metadata__": {"key": "value"} }, padded with spaces
//   rest      the raw little-endian tensor bytes; offsets are relative to its start
// Writes are atomic: a temporary file in the same folder, fsync, then rename, so a
// run killed at any moment leaves the previous file intact. Reads validate every
// field and report the file, the tensor and the problem instead of crashing.
//===----------------------------------------------------------------------===//
import Foundation

/// A named tensor's shape and values, as stored in a checkpoint.
public struct StoredTensor: Equatable, Sendable {
  public var shape: [Int]
  public var data: [Float]
  /// A stored tensor of `shape` with row-major `data`.
  public init(shape: [Int], data: [Float]) { self.shape = shape; self.data = data }
}

/// A checkpoint that cannot be read, written or applied: the file and what is wrong with it.
public struct CheckpointError: Error, CustomStringConvertible {
  public let path: String
  public let message: String
  public var description: String { "checkpoint \(path): \(message)" }
  /// An error about the checkpoint at `path`.
  public init(path: String, message: String) { self.path = path; self.message = message }
}

/// The safetensors format (F32 tensors and string metadata behind a JSON header), read and written atomically.
public enum SafeTensors {
  /// Writes `tensors` (F32) and string `metadata` to `path` atomically.
  /// The data section's checksum is stored in the metadata under `checksumKey` and verified on reading
  /// (the format itself has none, so flipped bytes would otherwise load).
  public static func write(_ tensors: [String: StoredTensor], metadata: [String: String] = [:], to path: String) throws {
    let names = tensors.keys.sorted()
    var header = "{"
    var offset = 0
    var parts: [String] = []
    var metadata = metadata
    var hash = FNV1a()
    for name in names { tensors[name]!.data.withUnsafeBytes { hash.add($0) } }
    metadata[checksumKey] = String(hash.value, radix: 16)
    if !metadata.isEmpty {
      let items = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
    }
    for name in names {
      let t = tensors[name]!
      precondition(t.shape.reduce(1, *) == t.data.count, "SafeTensors.write: \(name) shape/data mismatch")
      let bytes = t.data.count * 4
      parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
      offset += bytes
    }
    header += parts.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
    var out = Data(capacity: 8 + headerBytes.count + offset)
    var n = UInt64(headerBytes.count).littleEndian
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(contentsOf: headerBytes)
    for name in names {
      tensors[name]!.data.withUnsafeBufferPointer { p in
        // Float is little-endian on every platform Swift runs here (x86-64, arm64).
        out.append(UnsafeBufferPointer(start: UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                       count: p.count * 4))
      }
    }
    try atomicWrite(out, to: path)
  }

  /// The largest header accepted (the reference implementation's limit, 100 MB).
  static let maxHeaderBytes: UInt64 = 100_000_000

  /// The header of `data` (a whole file, or at least its first bytes): its JSON object and where the data section starts.
  static func header(_ data: Data, path: String, fileSize: Int) throws -> (dict: [String: Any], bodyStart: Int) {
    func fail(_ m: String) -> CheckpointError { CheckpointError(path: path, message: m) }
    guard fileSize >= 8, data.count >= 8 else { throw fail("truncated: \(fileSize) bytes, no header length") }
    let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    guard n <= maxHeaderBytes else { throw fail("corrupt: header length \(n) exceeds the format's limit of \(maxHeaderBytes) bytes") }
    guard n <= UInt64(fileSize - 8), 8 + Int(n) <= data.count else {
      throw fail("truncated or corrupt: header length \(n) exceeds the \(fileSize - 8) bytes that follow")
    }
    let headerData = data.subdata(in: data.startIndex + 8..<data.startIndex + 8 + Int(n))
    guard headerData.first == UInt8(ascii: "{"),
          let json = try? JSONSerialization.jsonObject(with: headerData), let dict = json as? [String: Any] else {
      throw fail("corrupt header: not a JSON object")
    }
    return (dict, 8 + Int(n))
  }

  /// Only the string metadata of a safetensors file (reads the header, not the tensors).
  public static func readMetadata(_ path: String) throws -> [String: String] {
    func fail(_ m: String) -> CheckpointError { CheckpointError(path: path, message: m) }
    guard let h = FileHandle(forReadingAtPath: path) else { throw fail("cannot read the file (missing or unreadable)") }
    defer { try? h.close() }
    let size = Int((try? h.seekToEnd()) ?? 0)
    try? h.seek(toOffset: 0)
    let lengthBytes = (try? h.read(upToCount: 8)) ?? Data()
    guard lengthBytes.count == 8 else { throw fail("truncated: \(size) bytes, no header length") }
    let n = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    let rest = n <= maxHeaderBytes ? ((try? h.read(upToCount: Int(n))) ?? Data()) : Data()
    let (dict, _) = try header(lengthBytes + rest, path: path, fileSize: size)
    guard let md = dict["__metadata__"] else { return [:] }
    guard let m = md as? [String: String] else { throw fail("__metadata__ is not a string map") }
    return m
  }

  /// Reads every tensor and the metadata of a safetensors file, validating it as the format specifies:
  /// F32 tensors whose shapes match their byte ranges, ranges that are disjoint and contiguous and cover
  /// the data section exactly.
  /// `requireChecksum`: refuse a file without the checksum this writer stores (every file this
  /// library wrote since the checksum was added has one; files of other tools may not).
  public static func read(_ path: String, requireChecksum: Bool = false) throws -> (tensors: [String: StoredTensor], metadata: [String: String]) {
    func fail(_ m: String) -> CheckpointError { CheckpointError(path: path, message: m) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw fail("cannot read the file (missing or unreadable)")
    }
    let (dict, bodyStart) = try header(data, path: path, fileSize: data.count)
    let body = data.subdata(in: bodyStart..<data.count)
    var tensors: [String: StoredTensor] = [:]
    var metadata: [String: String] = [:]
    var ranges: [(begin: Int, end: Int, name: String)] = []
    for (name, value) in dict {
      if name == "__metadata__" {
        guard let md = value as? [String: String] else { throw fail("__metadata__ is not a string map") }
        metadata = md; continue
      }
      guard let info = value as? [String: Any] else { throw fail("tensor '\(name)': entry is not an object") }
      guard let dtype = info["dtype"] as? String else { throw fail("tensor '\(name)': missing dtype") }
      guard dtype == "F32" else { throw fail("tensor '\(name)': dtype \(dtype), only F32 is supported") }
      guard let shapeAny = info["shape"] as? [Any], let shape = shapeAny as? [Int], shape.allSatisfy({ $0 >= 0 }),
            shape.count == shapeAny.count else {
        throw fail("tensor '\(name)': missing or invalid shape")
      }
      guard let offs = info["data_offsets"] as? [Int], offs.count == 2, offs[0] >= 0, offs[1] >= offs[0] else {
        throw fail("tensor '\(name)': missing or invalid data_offsets")
      }
      var count = 1
      for d in shape {
        let (p, o) = count.multipliedReportingOverflow(by: d)
        guard !o, p <= body.count else { throw fail("tensor '\(name)': shape \(shape) is too large for the file") }
        count = p
      }
      guard offs[1] - offs[0] == count * 4 else {
        throw fail("tensor '\(name)': shape \(shape) needs \(count * 4) bytes, data_offsets give \(offs[1] - offs[0])")
      }
      guard offs[1] <= body.count else {
        throw fail("truncated: tensor '\(name)' ends at byte \(offs[1]) of a \(body.count)-byte data section")
      }
      var values = [Float](repeating: 0, count: count)
      values.withUnsafeMutableBytes { dst in
        body.withUnsafeBytes { src in
          dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offs[0]..<offs[1]]))
        }
      }
      tensors[name] = StoredTensor(shape: shape, data: values)
      ranges.append((offs[0], offs[1], name))
    }
    var covered = 0
    for r in ranges.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
      guard r.begin == covered else {
        throw fail(r.begin < covered ? "corrupt: tensor '\(r.name)' overlaps the bytes of another tensor (data_offsets from \(r.begin), previous end \(covered))"
                   : "corrupt: a gap of \(r.begin - covered) bytes before tensor '\(r.name)' (data_offsets must be contiguous)")
      }
      covered = r.end
    }
    guard covered == body.count else {
      throw fail("corrupt: tensors cover \(covered) bytes but the data section has \(body.count)")
    }
    if requireChecksum && metadata[checksumKey] == nil {
      throw fail("has no data checksum ('\(checksumKey)'): it was written by an older version of this program or edited by hand")
    }
    if let stored = metadata[checksumKey] {
      var hash = FNV1a()
      body.withUnsafeBytes { hash.add($0) }
      guard String(hash.value, radix: 16) == stored else {
        throw fail("corrupt: the tensor bytes do not match the checksum written with them (the file was damaged after it was saved)")
      }
      metadata[checksumKey] = nil
    }
    return (tensors, metadata)
  }

  /// Metadata key of the data section's FNV-1a 64-bit hash (hex).
  public static let checksumKey = "data_fnv1a64"

  /// FNV-1a, 64 bits: a cheap hash that changes with any flipped byte.
  struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
      var h = value
      for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
      value = h
    }
  }

  static func jsonString(_ s: String) -> String {
    var r = "\""
    for ch in s.unicodeScalars {
      switch ch {
      case "\"": r += "\\\""
      case "\\": r += "\\\\"
      case "\n": r += "\\n"
      case "\t": r += "\\t"
      case "\r": r += "\\r"
      default:
        if ch.value < 0x20 { r += String(format: "\\u%04x", ch.value) } else { r.unicodeScalars.append(ch) }
      }
    }
    return r + "\""
  }
}

/// Writes `data` to `path` through a temporary file in the same folder, fsync and rename.
public func atomicWrite(_ data: Data, to path: String) throws {
  let url = URL(fileURLWithPath: path)
  let dir = url.deletingLastPathComponent().path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())"
  guard FileManager.default.createFile(atPath: tmp, contents: nil) else {
    throw CheckpointError(path: path, message: "cannot create temporary file \(tmp)")
  }
  do {
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp))
    try h.write(contentsOf: data)
    try h.synchronize()
    try h.close()
  } catch {
    try? FileManager.default.removeItem(atPath: tmp)
    throw CheckpointError(path: path, message: "writing failed: \(error)")
  }
  guard rename(tmp, path) == 0 else {
    try? FileManager.default.removeItem(atPath: tmp)
    throw CheckpointError(path: path, message: "cannot rename \(tmp) into place (errno \(errno))")
  }
}
