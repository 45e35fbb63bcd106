//===--- StateDict.swift --------------------------------------------------===//
// Module and optimizer state as named tensors (PyTorch's state_dict), and their
// loading with checks: every expected name present, every shape equal, no
// unexpected names. Errors name the tensor and the problem.
//===----------------------------------------------------------------------===//

extension Module {
  /// Parameters and buffers, by name.
  public func stateDict(prefix: String = "") -> [String: StoredTensor] {
    var d: [String: StoredTensor] = [:]
    for (n, t) in namedParameters(prefix: prefix) + namedBuffers(prefix: prefix) {
      d[n] = StoredTensor(shape: t.shape, data: t.data)
    }
    return d
  }

  /// Copies stored values into this module's parameters and buffers.
  /// Only keys under `prefix` are considered; all must match exactly.
  public func loadStateDict(_ d: [String: StoredTensor], prefix: String = "", source: String = "state") throws {
    let mine = namedParameters(prefix: prefix) + namedBuffers(prefix: prefix)
    for (n, t) in mine {
      guard let s = d[n] else { throw CheckpointError(path: source, message: "tensor '\(n)' is missing") }
      guard s.shape == t.shape else {
        throw CheckpointError(path: source, message: "tensor '\(n)' has shape \(s.shape), the model expects \(t.shape)")
      }
      if let bad = s.data.firstIndex(where: { !$0.isFinite }) {
        throw CheckpointError(path: source, message: "tensor '\(n)' holds a non-finite value (\(s.data[bad]) at index \(bad)): the file is corrupt or was saved from a diverged run")
      }
    }
    let names = Set(mine.map { $0.0 })
    if let extra = d.keys.filter({ $0.hasPrefix(prefix) && !names.contains($0) }).sorted().first {
      throw CheckpointError(path: source, message: "unexpected tensor '\(extra)' (a different model?)")
    }
    for (n, t) in mine { t.data = d[n]!.data }
  }
}

extension Adam {
  /// First and second moments by parameter name, plus the step count in metadata.
  public func stateDict(names: [String], prefix: String) -> [String: StoredTensor] {
    precondition(names.count == parameters.count, "Adam.stateDict: \(names.count) names for \(parameters.count) parameters")
    var d: [String: StoredTensor] = [:]
    for (i, n) in names.enumerated() {
      d[prefix + "exp_avg." + n] = StoredTensor(shape: parameters[i].shape, data: m[i])
      d[prefix + "exp_avg_sq." + n] = StoredTensor(shape: parameters[i].shape, data: v[i])
    }
    d[prefix + "step"] = StoredTensor(shape: [1], data: [Float(step)])
    d[prefix + "lr"] = StoredTensor(shape: [1], data: [lr])
    return d
  }

  /// Loads only `names` (without `prefix`) from `d`; `source` names the file in errors.
  public func loadStateDict(_ d: [String: StoredTensor], names: [String], prefix: String, source: String) throws {
    for (i, n) in names.enumerated() {
      for (key, _) in [("exp_avg.", 0), ("exp_avg_sq.", 1)] {
        guard let s = d[prefix + key + n] else {
          throw CheckpointError(path: source, message: "optimizer tensor '\(prefix + key + n)' is missing")
        }
        guard s.shape == parameters[i].shape else {
          throw CheckpointError(path: source, message: "optimizer tensor '\(prefix + key + n)' has shape \(s.shape), expected \(parameters[i].shape)")
        }
      }
    }
    guard let st = d[prefix + "step"], st.data.count == 1, let lrT = d[prefix + "lr"], lrT.data.count == 1 else {
      throw CheckpointError(path: source, message: "optimizer '\(prefix)step' or '\(prefix)lr' is missing")
    }
    let stepValue = st.data[0], lrValue = lrT.data[0]
    guard stepValue.isFinite, stepValue >= 0, stepValue < 1e9, stepValue == stepValue.rounded() else {
      throw CheckpointError(path: source, message: "optimizer '\(prefix)step' is \(stepValue), not a step count")
    }
    guard lrValue.isFinite, lrValue > 0 else {
      throw CheckpointError(path: source, message: "optimizer '\(prefix)lr' is \(lrValue), not a learning rate")
    }
    for n in names {
      for key in ["exp_avg.", "exp_avg_sq."] where d[prefix + key + n]!.data.contains(where: { !$0.isFinite }) {
        throw CheckpointError(path: source, message: "optimizer tensor '\(prefix + key + n)' holds a non-finite value")
      }
    }
    for (i, n) in names.enumerated() {
      m[i] = d[prefix + "exp_avg." + n]!.data
      v[i] = d[prefix + "exp_avg_sq." + n]!.data
    }
    step = Int(stepValue); lr = lrValue
  }
}
