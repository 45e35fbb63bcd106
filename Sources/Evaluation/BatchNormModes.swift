//===--- BatchNormModes.swift ---------------------------------------------===//
// Which statistics batch-norm layers normalise with at evaluation.
//
// AGE trains on pure batches (e(x) on real images, e(g(z)) and g(z) on generated
// ones), so the running averages that eval() uses mix real and generated statistics
// (about 21% and 79% for the encoder). Three ways to evaluate, recorded side by side:
// - running: the running statistics as trained (the released code's evaluate.ipynb);
// - batch: each evaluation batch of the training batch size normalised by its own
//   statistics, as in training, with nothing updated;
// - precise: running statistics re-estimated as the plain average over real-only (or
//   prior-only) training batches ("precise BN", Wu and Johnson 2021, arXiv:2105.07576).
//===----------------------------------------------------------------------===//
import DeepLearning

/// Which statistics batch-norm layers normalise with at evaluation (see the file's header).
public enum BatchNormMode: String, CaseIterable, Sendable {
  case running, batch, precise
}

/// Every batch-norm layer of `module`'s tree, in tree order.
public func batchNormLayers(_ module: Module) -> [BatchNorm2d] {
  module.modules.compactMap { $0 as? BatchNorm2d }
}

/// A copy of the running statistics of every batch-norm layer of some modules.
public struct BatchNormStatistics {
  private let layers: [BatchNorm2d]
  private let values: [(mean: [Float], variance: [Float])]
  /// The batch-norm layers of `modules`, found once.
  public init(_ modules: [Module]) {
    var found: [BatchNorm2d] = []
    for m in modules { found += batchNormLayers(m) }
    layers = found
    values = layers.map { ($0.runningMean.data, $0.runningVar.data) }
  }
  /// Writes the copied statistics back.
  public func restore() {
    for (l, v) in zip(layers, values) { l.runningMean.data = v.mean; l.runningVar.data = v.variance }
  }
}

/// Runs `body` with every module in evaluation mode except its batch-norm layers, which
/// normalise each input by its own batch statistics; running statistics and every
/// module's mode are restored afterwards. `body` should feed batches of the training size.
public func withBatchStatistics<T>(_ modules: [Module], _ body: () -> T) -> T {
  let saved = BatchNormStatistics(modules)
  var all: [Module] = []
  for m in modules { all += m.modules }
  let modes = all.map { $0.isTraining }
  defer {
    saved.restore()
    for (m, t) in zip(all, modes) { m.isTraining = t }
  }
  for m in modules { m.eval(); for b in batchNormLayers(m) { b.isTraining = true } }
  return withNoGrad { body() }
}

/// Precise BN: replaces the running statistics of `modules`' batch-norm layers by the average
/// of the batch statistics over `batches` calls of `pass(k)`, k = 0..<batches, which must run
/// the modules forward (other networks `pass` uses keep their own mode). Each layer's mean is
/// the average of its batch means, its variance the average of its unbiased batch variances.
/// Afterwards the modules are in evaluation mode with the new statistics.
public func estimatePreciseStatistics(_ modules: [Module], batches: Int, pass: (Int) -> Void) {
  precondition(batches >= 1, "estimatePreciseStatistics: needs at least one batch")
  var layers: [BatchNorm2d] = []
  for m in modules { layers += batchNormLayers(m) }
  let momenta = layers.map(\.momentum)
  for m in modules { m.eval() }
  for l in layers { l.isTraining = true }
  withNoGrad {
    for k in 0..<batches {
      for l in layers { l.momentum = 1 / Float(k + 1) }  // running = running + (batch - running) / (k + 1)
      pass(k)
    }
  }
  for (l, m) in zip(layers, momenta) { l.momentum = m; l.isTraining = false }
}
