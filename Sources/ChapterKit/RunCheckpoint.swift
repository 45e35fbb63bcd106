//===--- RunCheckpoint.swift ----------------------------------------------===//
// A training run's complete state in one safetensors file, so a run killed at any
// moment resumes exactly: module parameters and batch-norm statistics, Adam
// moments, the random generators, the batch sampler's position and order, the
// loss history, and free-form metadata (the configuration, to refuse resuming a
// different run). Written atomically by SafeTensors.write (temp file, fsync, rename).
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Foundation

/// Names must not be prefixes of one another ("e", "g", "opt_e", "opt_g").
public struct RunCheckpoint {
  public var modules: [String: Module] = [:]
  /// Each optimizer with the module whose parameters it updates (for tensor names).
  public var optimizers: [String: (Adam, Module)] = [:]
  public var generators: [String: RandomGenerator] = [:]
  public var sampler: BatchSampler?
  /// Named series of numbers (loss curves), stored as F32 tensors.
  public var history: [String: [Float]] = [:]
  public var metadata: [String: String] = [:]
  /// An empty registry; a run adds its modules, optimizers, random streams and sampler.
  public init() {}

  /// Writes everything to `path` atomically.
  public func write(to path: String) throws {
    var t: [String: StoredTensor] = [:]
    for (name, m) in modules { t.merge(m.stateDict(prefix: name + "."), uniquingKeysWith: { $1 }) }
    for (name, (opt, m)) in optimizers {
      t.merge(opt.stateDict(names: m.namedParameters().map { $0.0 }, prefix: name + "."), uniquingKeysWith: { $1 })
    }
    for (name, h) in history { t["history." + name] = StoredTensor(shape: [h.count], data: h) }
    var meta = metadata
    for (name, g) in generators { meta["rng." + name] = g.state.map { String($0, radix: 16) }.joined(separator: ",") }
    if let s = sampler {
      let st = s.state
      precondition(st.order.count < 1 << 24, "RunCheckpoint: sampler order too long for F32 storage")
      t["sampler.order"] = StoredTensor(shape: [st.order.count], data: st.order.map(Float.init))
      meta["sampler"] = "\(s.count),\(s.batchSize),\(st.epoch),\(st.position)"
      meta["sampler.rng"] = st.rng.map { String($0, radix: 16) }.joined(separator: ",")
    }
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try SafeTensors.write(t, metadata: meta, to: path)
  }

  /// Restores the state saved at `path` into the registered modules, optimizers, generators and
  /// sampler (their names must match). Throws a CheckpointError naming the file and the problem.
  public mutating func read(from path: String) throws {
    let (t, meta) = try SafeTensors.read(path, requireChecksum: true)
    for (name, m) in modules {
      try m.loadStateDict(t, prefix: name + ".", source: path)
    }
    for (name, (opt, m)) in optimizers {
      try opt.loadStateDict(t, names: m.namedParameters().map { $0.0 }, prefix: name + ".", source: path)
    }
    history = [:]
    for (k, v) in t where k.hasPrefix("history.") { history[String(k.dropFirst(8))] = v.data }
    func words(_ s: String?) -> [UInt64]? {
      s.map { $0.split(separator: ",").compactMap { UInt64($0, radix: 16) } }
    }
    for name in Array(generators.keys) {
      guard let w = words(meta["rng." + name]), let g = RandomGenerator(state: w) else {
        throw CheckpointError(path: path, message: "random generator state 'rng.\(name)' is missing or malformed")
      }
      generators[name] = g
    }
    if let s = sampler {
      let f = (meta["sampler"] ?? "").split(separator: ",").compactMap { Int($0) }
      // Indices are stored as F32 (exact below 2^24); anything else is corruption, not an index.
      let order = t["sampler.order"]?.data ?? []
      let indices = order.allSatisfy({ $0.isFinite && $0 >= 0 && $0 < Float(1 << 24) && $0 == $0.rounded() })
        ? order.map { Int($0) } : nil
      guard f.count == 4, f[0] == s.count, f[1] == s.batchSize, let indices, let w = words(meta["sampler.rng"]),
            let restored = BatchSampler(count: s.count, batchSize: s.batchSize, state: (f[2], f[3], indices, w)) else {
        throw CheckpointError(path: path, message: "batch sampler state is missing or does not fit \(s.count) examples in batches of \(s.batchSize)")
      }
      sampler = restored
    }
    metadata = meta
  }
}

extension RunCheckpoint {
  /// A run's checkpoint folder: "<name>-<8 hex digits of the FNV-1a hash of identity>", where
  /// identity lists every setting that changes the run's numbers (so a changed setting starts a
  /// new run instead of resuming another one).
  /// A value's JSON with sorted keys: the same settings always give the same text (a run's identity).
  public static func canonicalJSON<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { preconditionFailure("canonicalJSON: \(T.self) does not encode") }
    return String(decoding: data, as: UTF8.self)
  }

  /// A run identity (canonical JSON) as a JSON object for results.json.
  public static func jsonObject(identity: String) -> Any {
    (try? JSONSerialization.jsonObject(with: Data(identity.utf8))) ?? identity
  }

  /// "<name>-<8 hex digits of the FNV-1a hash of identity>": a run's checkpoint folder.
  public static func folderName(_ name: String, identity: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in identity.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return "\(name)-\(String(h, radix: 16).prefix(8))"
  }
}
