//===--- Reduce.swift -----------------------------------------------------===//
// Sums and means over all elements or over chosen axes. The VJP of a sum
// broadcasts the gradient back over the reduced axes (and divides by the count
// for a mean).
//===----------------------------------------------------------------------===//

extension Tensor {
  /// The sum of all elements, shape [1]. Accumulates in Double.
  public func sum() -> Tensor {
    var s = 0.0
    for v in data { s += Double(v) }
    let n = count
    return Tensor(shape: [1], data: [Float(s)], inputs: [self]) { g, _ in [[Float](repeating: g[0], count: n)] }
  }
  /// The mean of all elements, shape [1].
  public func mean() -> Tensor { sum() * (1 / Float(count)) }

  /// Sum over `axes`; keeps them as size 1 when `keepDims`.
  public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
    let ax = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
    precondition(ax.allSatisfy { $0 >= 0 && $0 < rank }, "sum: axes \(axes) for shape \(shape)")
    let kept = shape.enumerated().map { ax.contains($0.offset) ? 1 : $0.element }
    let outShape = keepDims ? kept : shape.enumerated().filter { !ax.contains($0.offset) }.map { $0.element }
    let map = broadcastMap(from: kept, to: shape)
    let n = kept.reduce(1, *)
    var acc = [Double](repeating: 0, count: n)
    for i in 0..<count { acc[map[i]] += Double(data[i]) }
    return Tensor(shape: outShape.isEmpty ? [1] : outShape, data: acc.map { Float($0) }, inputs: [self]) { g, _ in
      [(0..<map.count).map { g[map[$0]] }]
    }
  }
  /// Mean over `axes`.
  public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
    let ax = axes.map { $0 < 0 ? $0 + rank : $0 }
    let n = ax.reduce(1) { $0 * shape[$1] }
    return sum(axes: axes, keepDims: keepDims) * (1 / Float(n))
  }
}

extension Tensor {
  /// Minimum along `axis` (the axis is removed); the gradient flows to the first minimal element.
  public func min(axis: Int) -> Tensor { extremum(axis: axis, smallest: true) }
  /// Maximum along `axis` (the axis is removed); the gradient flows to the first maximal element.
  public func max(axis: Int) -> Tensor { extremum(axis: axis, smallest: false) }

  func extremum(axis: Int, smallest: Bool) -> Tensor {
    let ax = axis < 0 ? axis + rank : axis
    precondition(ax >= 0 && ax < rank && shape[ax] > 0, "min/max: axis \(axis) for shape \(shape)")
    let outer = shape[..<ax].reduce(1, *), len = shape[ax], inner = shape[(ax + 1)...].reduce(1, *)
    var out = [Float](repeating: 0, count: outer * inner), arg = [Int](repeating: 0, count: outer * inner)
    for o in 0..<outer { for i in 0..<inner {
      var bi = o * len * inner + i, best = data[bi]
      for k in 1..<Swift.max(len, 1) {
        let idx = (o * len + k) * inner + i
        if smallest ? data[idx] < best : data[idx] > best { best = data[idx]; bi = idx }
      }
      out[o * inner + i] = best; arg[o * inner + i] = bi
    } }
    var s = shape; s.remove(at: ax)
    let n = count
    return Tensor(shape: s.isEmpty ? [1] : s, data: out, inputs: [self]) { g, _ in
      var gx = [Float](repeating: 0, count: n)
      for j in 0..<g.count { gx[arg[j]] += g[j] }
      return [gx]
    }
  }
}
