//===--- Shape.swift ------------------------------------------------------===//
// Reshape, permute, concatenation and splitting along an axis, slicing rows,
// and tiling a vector into constant spatial maps. All move data only; their
// VJPs move the gradient back the same way.
//===----------------------------------------------------------------------===//

extension Tensor {
  /// The same elements with a new shape (one dimension may be -1).
  public func reshape(_ newShape: [Int]) -> Tensor {
    var s = newShape
    if let i = s.firstIndex(of: -1) {
      let known = s.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
      s[i] = known == 0 ? 0 : count / known
    }
    precondition(s.reduce(1, *) == count, "reshape: \(shape) -> \(newShape) changes the element count")
    return Tensor(shape: s, data: data, inputs: [self]) { g, _ in [g] }
  }
  /// [N, ...] -> [N, rest].
  public func flatten() -> Tensor { reshape([shape[0], -1]) }

  /// Reorders the axes: result axis i is input axis dims[i] (torch.permute).
  public func permute(_ dims: [Int]) -> Tensor {
    precondition(dims.sorted() == Array(0..<rank), "permute: \(dims) is not a permutation of \(rank) axes")
    let outShape = dims.map { shape[$0] }
    let map = permuteMap(shape: shape, dims: dims)  // out index -> in index
    var out = [Float](repeating: 0, count: count)
    for i in 0..<count { out[i] = data[map[i]] }
    return Tensor(shape: outShape, data: out, inputs: [self]) { g, _ in
      var gi = [Float](repeating: 0, count: g.count)
      for i in 0..<g.count { gi[map[i]] = g[i] }
      return [gi]
    }
  }
  /// The transpose of a matrix.
  public var T: Tensor { permute([1, 0]) }

  /// Concatenation along `axis` (channels of NCHW by default).
  public static func concat(_ xs: [Tensor], axis: Int = 1) -> Tensor {
    precondition(!xs.isEmpty, "concat: no tensors")
    let r = xs[0].rank, ax = axis < 0 ? axis + r : axis
    for x in xs {
      precondition(x.rank == r && (0..<r).allSatisfy { $0 == ax || x.shape[$0] == xs[0].shape[$0] },
                   "concat: shapes \(xs.map { $0.shape }) differ outside axis \(ax)")
    }
    let outer = xs[0].shape[..<ax].reduce(1, *), inner = xs[0].shape[(ax + 1)...].reduce(1, *)
    let sizes = xs.map { $0.shape[ax] }
    let total = sizes.reduce(0, +)
    var outShape = xs[0].shape; outShape[ax] = total
    var out = [Float](repeating: 0, count: outer * total * inner)
    var off = 0
    for (x, sz) in zip(xs, sizes) {
      for o in 0..<outer {
        for j in 0..<(sz * inner) { out[(o * total + off) * inner + j] = x.data[o * sz * inner + j] }
      }
      off += sz
    }
    return Tensor(shape: outShape, data: out, inputs: xs) { g, need in
      var res: [[Float]?] = []
      var off = 0
      for (i, sz) in sizes.enumerated() {
        if need[i] {
          var gi = [Float](repeating: 0, count: outer * sz * inner)
          for o in 0..<outer { for j in 0..<(sz * inner) { gi[o * sz * inner + j] = g[(o * total + off) * inner + j] } }
          res.append(gi)
        } else { res.append(nil) }
        off += sz
      }
      return res
    }
  }

  /// The slice [start, start + length) along `axis`.
  public func narrow(axis: Int, start: Int, length: Int) -> Tensor {
    let ax = axis < 0 ? axis + rank : axis
    precondition(start >= 0 && length >= 0 && start + length <= shape[ax], "narrow: [\(start), +\(length)) out of \(shape[ax])")
    let outer = shape[..<ax].reduce(1, *), inner = shape[(ax + 1)...].reduce(1, *), total = shape[ax]
    var outShape = shape; outShape[ax] = length
    var out = [Float](repeating: 0, count: outer * length * inner)
    for o in 0..<outer { for j in 0..<(length * inner) { out[o * length * inner + j] = data[(o * total + start) * inner + j] } }
    let n = count
    return Tensor(shape: outShape, data: out, inputs: [self]) { g, _ in
      var gi = [Float](repeating: 0, count: n)
      for o in 0..<outer { for j in 0..<(length * inner) { gi[(o * total + start) * inner + j] = g[o * length * inner + j] } }
      return [gi]
    }
  }
  /// Splits along `axis` into pieces of the given sizes.
  public func split(_ sizes: [Int], axis: Int = 1) -> [Tensor] {
    var start = 0
    return sizes.map { sz in defer { start += sz }; return narrow(axis: axis, start: start, length: sz) }
  }

  /// Rows `indices` of the first axis (a gather; gradient scatters back, adding duplicates).
  public func rows(_ indices: [Int]) -> Tensor {
    let inner = count / shape[0]
    var out = [Float](repeating: 0, count: indices.count * inner)
    for (r, i) in indices.enumerated() {
      precondition(i >= 0 && i < shape[0], "rows: index \(i) out of \(shape[0])")
      for j in 0..<inner { out[r * inner + j] = data[i * inner + j] }
    }
    var s = shape; s[0] = indices.count
    let n = count
    return Tensor(shape: s, data: out, inputs: [self]) { g, _ in
      var gi = [Float](repeating: 0, count: n)
      for (r, i) in indices.enumerated() { for j in 0..<inner { gi[i * inner + j] += g[r * inner + j] } }
      return [gi]
    }
  }

  /// [N, M] -> [N, M, h, w]: each code entry becomes a constant h x w map
  /// (how conditional generators receive z beside an image).
  public func tileSpatial(_ h: Int, _ w: Int) -> Tensor {
    precondition(rank == 2, "tileSpatial: expects [N, M], got \(shape)")
    let hw = h * w
    var out = [Float](repeating: 0, count: count * hw)
    for i in 0..<count { for j in 0..<hw { out[i * hw + j] = data[i] } }
    return Tensor(shape: [shape[0], shape[1], h, w], data: out, inputs: [self]) { g, _ in
      var gi = [Float](repeating: 0, count: g.count / hw)
      for i in 0..<gi.count { var s: Float = 0; for j in 0..<hw { s += g[i * hw + j] }; gi[i] = s }
      return [gi]
    }
  }
}

/// For each flat index of the permuted tensor, the flat index it reads in the input.
func permuteMap(shape: [Int], dims: [Int]) -> [Int] {
  let inStrides = Tensor.strides(of: shape)
  let outShape = dims.map { shape[$0] }
  let st = dims.map { inStrides[$0] }
  let n = shape.reduce(1, *)
  var map = [Int](repeating: 0, count: n)
  var idx = [Int](repeating: 0, count: dims.count)
  var off = 0
  for i in 0..<n {
    map[i] = off
    var d = dims.count - 1
    while d >= 0 {
      idx[d] += 1; off += st[d]
      if idx[d] < outShape[d] { break }
      off -= st[d] * outShape[d]; idx[d] = 0; d -= 1
    }
  }
  return map
}
