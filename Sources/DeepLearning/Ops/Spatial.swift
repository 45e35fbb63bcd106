//===--- Spatial.swift ----------------------------------------------------===//
// Spatial rearrangements of NCHW tensors: average pooling,
// dropout, pixel shuffle and reflection padding, with their VJPs (maxout: Layers/Maxout.swift).
//===----------------------------------------------------------------------===//

extension Tensor {
  /// Average pooling with a k x k window and stride (default k), no padding: [N, C, H, W] -> [N, C, OH, OW].
  public func avgPool2d(_ k: Int, stride s: Int? = nil) -> Tensor {
    precondition(rank == 4, "avgPool2d: expects NCHW, got \(shape)")
    let st = s ?? k, (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let oh = (h - k) / st + 1, ow = (w - k) / st + 1
    precondition(oh > 0 && ow > 0, "avgPool2d: input \(shape) smaller than window \(k)")
    let inv = 1 / Float(k * k)
    var y = [Float](repeating: 0, count: n * c * oh * ow)
    for p in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
      var a: Float = 0
      for u in 0..<k { for v in 0..<k { a += data[(p * h + i * st + u) * w + j * st + v] } }
      y[(p * oh + i) * ow + j] = a * inv
    } } }
    let cnt = count
    return Tensor(shape: [n, c, oh, ow], data: y, inputs: [self]) { g, _ in
      var gx = [Float](repeating: 0, count: cnt)
      for p in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
        let v0 = g[(p * oh + i) * ow + j] * inv
        for u in 0..<k { for v in 0..<k { gx[(p * h + i * st + u) * w + j * st + v] += v0 } }
      } } }
      return [gx]
    }
  }


  /// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1-p)
  /// in training; the identity in evaluation.
  public func dropout(_ p: Float, training: Bool, rng: inout RandomGenerator) -> Tensor {
    guard training && p > 0 else { return self }
    precondition(p < 1, "dropout: p must be below 1")
    let scale = 1 / (1 - p)
    var mask = [Float](repeating: 0, count: count)
    for i in 0..<count { mask[i] = rng.uniformDouble() < Double(p) ? 0 : scale }
    let y = zip(data, mask).map(*)
    return Tensor(shape: shape, data: y, inputs: [self]) { g, _ in [zip(g, mask).map(*)] }
  }

  /// Pixel shuffle (torch.nn.PixelShuffle): [N, C r^2, H, W] -> [N, C, H r, W r].
  public func pixelShuffle(_ r: Int) -> Tensor {
    precondition(rank == 4 && shape[1] % (r * r) == 0, "pixelShuffle: \(shape) with factor \(r)")
    let (n, c, h, w) = (shape[0], shape[1] / (r * r), shape[2], shape[3])
    // out[n, c, y r + i, x r + j] = in[n, c r^2 + i r + j, y, x]
    return reshape([n, c, r, r, h, w]).permute([0, 1, 4, 2, 5, 3]).reshape([n, c, h * r, w * r])
  }

  /// Reflection padding by p on each side of H and W (torch.nn.ReflectionPad2d), p < H, W.
  public func reflectionPad2d(_ p: Int) -> Tensor {
    precondition(rank == 4 && p < shape[2] && p < shape[3], "reflectionPad2d: pad \(p) for \(shape)")
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let oh = h + 2 * p, ow = w + 2 * p
    func src(_ i: Int, _ size: Int) -> Int {
      let j = i - p
      return j < 0 ? -j : (j >= size ? 2 * (size - 1) - j : j)
    }
    var map = [Int](repeating: 0, count: n * c * oh * ow)
    for q in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
      map[(q * oh + i) * ow + j] = (q * h + src(i, h)) * w + src(j, w)
    } } }
    let y = map.map { data[$0] }
    let cnt = count
    return Tensor(shape: [n, c, oh, ow], data: y, inputs: [self]) { g, _ in
      var gx = [Float](repeating: 0, count: cnt)
      for i in 0..<g.count { gx[map[i]] += g[i] }
      return [gx]
    }
  }

  /// Nearest-neighbour upsampling by an integer factor: [N, C, H, W] -> [N, C, H f, W f].
  public func upsampleNearest(_ f: Int) -> Tensor {
    precondition(rank == 4, "upsampleNearest: expects NCHW, got \(shape)")
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let oh = h * f, ow = w * f
    var y = [Float](repeating: 0, count: n * c * oh * ow)
    for q in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow { y[(q * oh + i) * ow + j] = data[(q * h + i / f) * w + j / f] } } }
    let cnt = count
    return Tensor(shape: [n, c, oh, ow], data: y, inputs: [self]) { g, _ in
      var gx = [Float](repeating: 0, count: cnt)
      for q in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow { gx[(q * h + i / f) * w + j / f] += g[(q * oh + i) * ow + j] } } }
      return [gx]
    }
  }
}
