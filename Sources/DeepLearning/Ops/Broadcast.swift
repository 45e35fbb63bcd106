//===--- Broadcast.swift --------------------------------------------------===//
// NumPy/PyTorch broadcasting: shapes are aligned on the right, and a dimension
// of size 1 stretches to match. `broadcastMap` gives, for every element of the
// broadcast result, the element of the (smaller) operand it reads; gradients
// are summed back through the same map.
//===----------------------------------------------------------------------===//

/// The broadcast shape of `a` and `b`, or a precondition failure naming both.
func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
  let r = max(a.count, b.count)
  let pa = [Int](repeating: 1, count: r - a.count) + a
  let pb = [Int](repeating: 1, count: r - b.count) + b
  return zip(pa, pb).map { x, y in
    precondition(x == y || x == 1 || y == 1, "cannot broadcast shapes \(a) and \(b)")
    return max(x, y)
  }
}

/// For each flat index of `out`, the flat index into a tensor of shape `input`
/// broadcast to `out`.
func broadcastMap(from input: [Int], to out: [Int]) -> [Int] {
  let r = out.count
  let pin = [Int](repeating: 1, count: r - input.count) + input
  let inStrides = Tensor.strides(of: pin)
  let n = out.reduce(1, *)
  var map = [Int](repeating: 0, count: n)
  var idx = [Int](repeating: 0, count: r)
  var off = 0
  for i in 0..<n {
    map[i] = off
    // Advance the odometer over `out`, updating the input offset incrementally.
    var d = r - 1
    while d >= 0 {
      idx[d] += 1
      if pin[d] != 1 { off += inStrides[d] }
      if idx[d] < out[d] { break }
      if pin[d] != 1 { off -= inStrides[d] * out[d] }
      idx[d] = 0
      d -= 1
    }
  }
  return map
}

/// Sums a gradient of shape `out` down to the shape `input` it was broadcast from.
func sumToShape(_ g: [Float], from out: [Int], to input: [Int]) -> [Float] {
  if out == input { return g }
  let n = input.reduce(1, *)
  var r = [Float](repeating: 0, count: n)
  if n == 1 {
    var s: Float = 0
    for v in g { s += v }
    r[0] = s
    return r
  }
  let map = broadcastMap(from: input, to: out)
  for i in 0..<g.count { r[map[i]] += g[i] }
  return r
}
