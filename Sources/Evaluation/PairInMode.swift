//===--- PairInMode.swift -------------------------------------------------===//
// An encoder e and generator g evaluated in one batch-norm mode (BatchNormModes.swift).
// g is applied to two kinds of input with different statistics, prior samples z and
// codes e(x) of real images, so precise BN keeps one set of g statistics for each:
// - e: estimated on real training batches;
// - g on the prior ("sample"): estimated on batches of z;
// - g on codes ("decode"): estimated on e(x) of real training batches, e in its precise state.
// A conditional pair (chapter 4: e(x | L), g(z | L)) passes its networks' whole inputs
// (the condition concatenated in), with `codeInput` building g's input from codes.
// In batch mode every call is cut into batches of the training size (the last one
// overlapping the previous so that it is full); a call with fewer rows is one batch.
// The trained running statistics and training mode are restored by `finish()`.
//===----------------------------------------------------------------------===//
import DeepLearning

/// An encoder and a generator evaluated in one batch-norm mode (see the file's header).
public final class PairInMode {
  public let e: Module, g: Module
  public let mode: BatchNormMode
  /// The training batch size (batch mode's batches, precise BN's estimation batches).
  public let batchSize: Int
  private let trained: BatchNormStatistics
  private var eStats: BatchNormStatistics?, gPriorStats: BatchNormStatistics?, gCodeStats: BatchNormStatistics?

  /// `realBatch(k)`: the k-th real training batch [batchSize, C, H, W] (k < `preciseBatches`);
  /// `prior(n)`: n prior samples [n, M]; `codeInput(codes, k)`: g's input for the codes [batchSize, M]
  /// of real batch k (the codes themselves when nil). Precise mode runs its estimation passes here.
  public init(e: Module, g: Module, mode: BatchNormMode, batchSize: Int, preciseBatches: Int = 100,
              realBatch: (Int) -> Tensor, prior: (Int) -> Tensor, codeInput: ((Tensor, Int) -> Tensor)? = nil) {
    self.e = e; self.g = g; self.mode = mode; self.batchSize = batchSize
    trained = BatchNormStatistics([e, g])
    e.eval(); g.eval()
    guard mode == .precise else { return }
    estimatePreciseStatistics([e], batches: preciseBatches) { k in _ = e(realBatch(k)) }
    eStats = BatchNormStatistics([e])
    estimatePreciseStatistics([g], batches: preciseBatches) { _ in _ = g(prior(batchSize)) }
    gPriorStats = BatchNormStatistics([g])
    estimatePreciseStatistics([g], batches: preciseBatches) { k in
      let codes = e(realBatch(k))
      _ = g(codeInput?(codes, k) ?? codes)
    }
    gCodeStats = BatchNormStatistics([g])
  }

  /// Restores the trained running statistics and training mode.
  public func finish() {
    trained.restore(); e.train(); g.train()
  }

  /// e(x): codes [N, M] of images [N, C, H, W].
  public func encode(_ x: Tensor) -> Tensor { eStats?.restore(); return apply(e, x) }
  /// g(z) for prior samples z [N, M] (a conditional g: its whole input).
  public func sample(_ z: Tensor) -> Tensor { gPriorStats?.restore(); return apply(g, z) }
  /// g(z) for codes of real images z [N, M] (a conditional g: its whole input).
  public func decode(_ z: Tensor) -> Tensor { gCodeStats?.restore(); return apply(g, z) }
  /// g(e(x)).
  public func reconstruct(_ x: Tensor) -> Tensor { decode(encode(x)) }

  private func apply(_ net: Module, _ x: Tensor) -> Tensor {
    guard mode == .batch else { return withNoGrad { net.eval(); return net(x) } }
    let n = x.shape[0]
    if n <= batchSize { return withBatchStatistics([net]) { net(x) } }
    var out: [Float] = []
    var shape: [Int] = []
    var start = 0
    while start < n {
      let lo = min(start, n - batchSize)   // the last batch overlaps the one before it
      let y = withBatchStatistics([net]) { net(x.rows(Array(lo..<(lo + batchSize)))) }
      let per = y.count / batchSize
      out += y.data[((start - lo) * per)...]
      shape = y.shape
      start = lo + batchSize
    }
    shape[0] = n
    return Tensor(shape: shape, data: out)
  }
}
