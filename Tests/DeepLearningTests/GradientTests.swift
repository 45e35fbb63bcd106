import DeepLearning
import TestSupport
import Testing

/// Every op's backward pass against central finite differences.
@Suite("Gradients against finite differences")
struct GradientTests {
  func expectGrad(_ name: String, _ inputs: [Tensor], h: Float = 1e-2, rtol: Double = 2e-2,
                  _ f: @escaping ([Tensor]) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    let r = gradCheck(inputs, h: h, atol: 2e-3, rtol: rtol, f)
    #expect(r.worst <= 1, "\(name): \(r)", sourceLocation: sourceLocation)
  }

  @Test func arithmeticWithBroadcasting() {
    let a = fixture([3, 4], seed: 1), b = fixture([1, 4], seed: 2), c = fixture([3, 1], seed: 3)
    let d = fixture([3, 4], seed: 4, 0.5, 2)
    expectGrad("add", [a, b]) { $0[0] + $0[1] }
    expectGrad("sub", [a, c]) { $0[0] - $0[1] }
    expectGrad("mul", [a, b]) { $0[0] * $0[1] }
    expectGrad("div", [a, d]) { $0[0] / $0[1] }
    expectGrad("scalar ops", [a]) { ($0[0] * 3 + 1) / 2 - 0.5 }
    let e = fixture([2, 3, 4, 5], seed: 5), f = fixture([3, 1, 1], seed: 6)
    expectGrad("4-d broadcast", [e, f]) { $0[0] * $0[1] + $0[1] }
  }

  @Test func unaryFunctions() {
    let x = fixture([5, 7], seed: 11)
    let pos = fixture([5, 7], seed: 12, 0.2, 3)
    // Keep kinks (0 for relu/abs) away from the finite-difference step.
    let nz = Tensor(shape: [5, 7], data: x.data.map { $0 >= 0 ? $0 + 0.05 : $0 - 0.05 }, requiresGrad: true)
    expectGrad("relu", [nz]) { $0[0].relu() }
    expectGrad("leaky_relu", [nz]) { $0[0].leakyRelu(0.2) }
    expectGrad("abs", [nz]) { $0[0].abs() }
    expectGrad("tanh", [x]) { $0[0].tanh() }
    expectGrad("sigmoid", [x]) { $0[0].sigmoid() }
    expectGrad("softplus", [x]) { $0[0].softplus() }
    expectGrad("exp", [x]) { $0[0].exp() }
    expectGrad("log", [pos]) { $0[0].log() }
    expectGrad("sqrt", [pos]) { $0[0].sqrt() }
    expectGrad("pow 3", [x]) { $0[0].pow(3) }
    expectGrad("pow 1.5", [pos]) { $0[0].pow(1.5) }
    expectGrad("square", [x]) { $0[0].square() }
  }

  @Test func reductionsAndShapes() {
    let x = fixture([2, 3, 4], seed: 21)
    expectGrad("sum", [x]) { $0[0].sum() }
    expectGrad("mean", [x]) { $0[0].mean() }
    expectGrad("sum axes", [x]) { $0[0].sum(axes: [0, 2]) }
    expectGrad("mean keepDims", [x]) { $0[0].mean(axes: [1], keepDims: true) * $0[0] }
    expectGrad("reshape", [x]) { $0[0].reshape([4, -1]).square() }
    expectGrad("permute", [x]) { $0[0].permute([2, 0, 1]) * Tensor(shape: [4, 1, 1], data: [1, 2, 3, 4]) }
    let y = fixture([2, 5, 4], seed: 22)
    expectGrad("concat", [x, y]) { Tensor.concat([$0[0], $0[1]], axis: 1).square() }
    expectGrad("split", [y]) { let p = $0[0].split([2, 3], axis: 1); return p[0].sum() * p[1].mean() }
    expectGrad("rows", [y]) { $0[0].rows([1, 0, 1]).square() }
    let z = fixture([3, 4], seed: 23)
    expectGrad("tileSpatial", [z]) { $0[0].tileSpatial(2, 3).square() }
    expectGrad("min axis 1", [x]) { $0[0].min(axis: 1) }
    expectGrad("max axis 2", [x]) { $0[0].max(axis: 2).square() }
    let m = Tensor(shape: [2, 3], data: [3, 1, 2, -1, 5, 0])
    #expect(m.min(axis: 1).data == [1, -1] && m.max(axis: 0).data == [3, 5, 2])
  }

  @Test func matmulAndLinear() {
    let a = fixture([5, 7], seed: 31), b = fixture([7, 3], seed: 32)
    expectGrad("matmul", [a, b]) { $0[0].matmul($0[1]) }
    let x = fixture([4, 6], seed: 33), w = fixture([5, 6], seed: 34), bias = fixture([5], seed: 35)
    expectGrad("linear", [x, w, bias]) { linear($0[0], weight: $0[1], bias: $0[2]) }
  }

  @Test("conv2d", arguments: [(1, 0), (1, 1), (2, 1), (2, 2), (1, 2), (2, 0)])
  func convolution(_ sp: (Int, Int)) {
    let (s, p) = sp
    let x = fixture([2, 3, 7, 6], seed: 41), w = fixture([4, 3, 3, 3], seed: 42), b = fixture([4], seed: 43)
    expectGrad("conv2d s\(s) p\(p)", [x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: s, padding: p) }
  }

  @Test("conv_transpose2d", arguments: [(1, 0), (2, 1), (2, 0), (1, 1), (2, 2)])
  func transposedConvolution(_ sp: (Int, Int)) {
    let (s, p) = sp
    let x = fixture([2, 3, 5, 4], seed: 51), w = fixture([3, 2, 4, 4], seed: 52), b = fixture([2], seed: 53)
    expectGrad("conv_transpose2d s\(s) p\(p)", [x, w, b]) {
      convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: s, padding: p)
    }
  }

  @Test func normalization() {
    let x = fixture([4, 3, 2, 3], seed: 61), g = fixture([3], seed: 62, 0.5, 1.5), b = fixture([3], seed: 63)
    expectGrad("batch_norm training", [x, g, b]) {
      batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
    }
    let rm = Tensor(shape: [3], data: [0.1, -0.2, 0.3]), rv = Tensor(shape: [3], data: [0.5, 1.5, 2])
    expectGrad("batch_norm eval", [x, g, b]) {
      batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVar: rv, training: false)
    }
    let codes = fixture([5, 4], seed: 64)
    expectGrad("l2 normalize", [codes]) { $0[0].l2Normalized() }
    // [N, C] inputs take a row-wise path: finite differences, and its twin, the per-channel path on [1, C, N].
    let rows = fixture([7, 5], seed: 65), g5 = fixture([5], seed: 66, 0.5, 1.5), b5 = fixture([5], seed: 67)
    expectGrad("batch_norm [N, C] training", [rows, g5, b5]) {
      batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
    }
    let rm5 = Tensor(shape: [5], data: [0.1, -0.2, 0.3, 0, 0.5]), rv5 = Tensor(shape: [5], data: [0.5, 1.5, 2, 1, 0.7])
    expectGrad("batch_norm [N, C] eval", [rows, g5, b5]) {
      batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: rm5, runningVar: rv5, training: false)
    }
    for training in [true, false] {
      let xr = Tensor(shape: rows.shape, data: rows.data, requiresGrad: true)
      let xc = Tensor(shape: rows.shape, data: rows.data, requiresGrad: true)
      let seed = fixture([7, 5], seed: 68).data
      let yr = batchNorm(xr, weight: g5, bias: b5, runningMean: rm5, runningVar: rv5, training: training, momentum: 0)
      let yc = batchNorm(xc.permute([1, 0]).reshape([1, 5, 7]), weight: g5, bias: b5, runningMean: rm5, runningVar: rv5,
                         training: training, momentum: 0).reshape([5, 7]).permute([1, 0])
      yr.backward(seed: seed); yc.backward(seed: seed)
      let dy = zip(yr.data, yc.data).map { abs($0 - $1) }.max()!, dx = zip(xr.grad!, xc.grad!).map { abs($0 - $1) }.max()!
      #expect(dy < 1e-5 && dx < 1e-5, "row path vs channel path (training \(training)): output \(dy), gradient \(dx)")
    }
  }

  @Test func spatialOps() {
    let x = fixture([2, 4, 6, 6], seed: 71)
    expectGrad("avg_pool2d", [x]) { $0[0].avgPool2d(2) }
    expectGrad("avg_pool2d k3 s2", [x]) { $0[0].avgPool2d(3, stride: 2) }
    expectGrad("maxout", [x]) { $0[0].maxout(2) }
    expectGrad("pixel_shuffle", [x]) { $0[0].pixelShuffle(2).square() }
    expectGrad("reflection_pad2d", [x]) { $0[0].reflectionPad2d(2).square() }
    expectGrad("upsample_nearest", [x]) { $0[0].upsampleNearest(2).square() }
    var rng = RandomGenerator(seed: 3)
    let mask = Tensor(repeating: 1, shape: x.shape).dropout(0.5, training: true, rng: &rng)
    expectGrad("dropout (fixed mask)", [x]) { $0[0] * mask }
  }

  @Test func losses() {
    let x = fixture([6, 5], seed: 81), y = fixture([6, 5], seed: 82, requiresGrad: false)
    let xs = Tensor(shape: x.shape, data: zip(x.data, y.data).map { $0 - $1 > 0 ? $0 + 0.05 : $0 - 0.05 }, requiresGrad: true)
    expectGrad("l1", [xs]) { l1Loss($0[0], y) }
    expectGrad("mse", [x]) { mseLoss($0[0], y) }
    expectGrad("cosine", [x]) { cosineLoss($0[0], y) }
    let t = Tensor(shape: [6, 5], data: y.data.map { $0 > 0 ? 1 : 0 })
    expectGrad("bce with logits", [x]) { bceWithLogits($0[0] * 4, t) }
    let codes = fixture([16, 4], seed: 83)
    expectGrad("eq. 7 (paper)", [codes]) { gaussianFitKL($0[0], variant: .paper) }
    expectGrad("eq. 7 (official code)", [codes]) { gaussianFitKL($0[0], variant: .officialCode) }
    let mu = fixture([4, 3], seed: 84), lv = fixture([4, 3], seed: 85)
    expectGrad("gaussian KL", [mu, lv]) { gaussianKL(mu: $0[0], logVar: $0[1]) }
    let logits = fixture([5, 4], seed: 86, -3, 3)
    expectGrad("log_softmax", [logits]) { $0[0].logSoftmax() * Tensor(shape: [1, 4], data: [1, -2, 0.5, 3]) }
    expectGrad("cross entropy", [logits]) { crossEntropy($0[0], labels: [0, 3, 1, 1, 2]) }
    let p = Tensor(shape: [1, 3], data: [0, 0, 0.6931472]).softmax()
    #expect(abs(p.data[0] - 0.25) < 1e-6 && abs(p.data[2] - 0.5) < 1e-6)
    let fixed = RandomGenerator(seed: 9)
    expectGrad("reparameterize", [mu, lv]) { var r = fixed; return reparameterize(mu: $0[0], logVar: $0[1], rng: &r) }
  }
}

/// Maxout keeps the largest of each group of channels; its gradient goes to that element only.
@Suite("Maxout")
struct MaxoutTests {
  @Test func valuesAndGradient() {
    // Distinct values spaced wider than the finite-difference step, so no group has a near tie.
    var rng = RandomGenerator(seed: 3)
    let perm = rng.permutation(2 * 6 * 3 * 2)
    let x = Tensor(shape: [2, 6, 3, 2], data: perm.map { Float($0) * 0.1 }, requiresGrad: true)
    let y = x.maxout(3)
    #expect(y.shape == [2, 2, 3, 2])
    for n in 0..<2 { for g in 0..<2 { for p in 0..<6 {
      let group = (0..<3).map { x.data[((n * 6 + g * 3 + $0) * 6) + p] }
      #expect(y.data[(n * 2 + g) * 6 + p] == group.max()!)
    } } }
    let r = gradCheck([x], h: 1e-2, atol: 2e-3, rtol: 2e-2) { $0[0].maxout(3) }
    #expect(r.worst <= 1, "\(r)")
    let v = Tensor(shape: [3, 4], data: (0..<12).map { Float(($0 * 7) % 12) * 0.1 }, requiresGrad: true)
    #expect(v.maxout(2).shape == [3, 2])
    #expect(gradCheck([v], h: 1e-2, atol: 2e-3, rtol: 2e-2) { $0[0].maxout(2) }.worst <= 1)
  }
}
