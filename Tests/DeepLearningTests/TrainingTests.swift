import DeepLearning
import Kernels
import Libm
import TestSupport
import Testing

@Suite("Layers, optimizer and training")
struct TrainingTests {
  @Test func batchNormStatistics() {
    let bn = BatchNorm2d(2)
    let x = Tensor(shape: [2, 2, 1, 2], data: [1, 2, 10, 20, 3, 4, 30, 40])
    let y = bn(x)
    // Channel 0 holds 1, 2, 3, 4: mean 2.5, biased var 1.25, unbiased 5/3.
    #expect(abs(bn.runningMean.data[0] - 0.25) < 1e-6)
    #expect(abs(bn.runningVar.data[0] - (0.9 + 0.1 * 5.0 / 3.0)) < 1e-6)
    let m0 = (y.data[0] + y.data[1] + y.data[4] + y.data[5]) / 4
    #expect(abs(m0) < 1e-6)
    bn.eval()
    let ye = bn(x)
    // Evaluation uses the running statistics: (1 - 0.25) / sqrt(running_var + eps).
    let expected = (1 - 0.25) / (bn.runningVar.data[0] + 1e-5).squareRoot()
    #expect(abs(ye.data[0] - expected) < 1e-5)
  }

  @Test func adamMatchesTheFormula() {
    // Three steps on f(p) = sum(p^2 / 2) (gradient p), recomputed in Double.
    let p = Tensor(shape: [3], data: [1, -2, 0.5], requiresGrad: true)
    let opt = Adam([p], lr: 0.1, betas: (0.5, 0.999), eps: 1e-8)
    var ref: [Double] = [1, -2, 0.5], m = [0.0, 0, 0], v = [0.0, 0, 0]
    for t in 1...3 {
      opt.zeroGrad()
      (p.square() * 0.5).sum().backward()
      opt.step()
      for j in 0..<3 {
        let g = ref[j]
        m[j] = 0.5 * m[j] + 0.5 * g; v[j] = 0.999 * v[j] + 0.001 * g * g
        let mh = m[j] / (1 - Math.pow(0.5, Double(t))), vh = v[j] / (1 - Math.pow(0.999, Double(t)))
        ref[j] -= 0.1 * mh / (vh.squareRoot() + 1e-8)
      }
    }
    #expect(closeness(p.data, ref.map { Float($0) }, atol: 1e-6, rtol: 1e-5) <= 1, "\(p.data) vs \(ref)")
  }

  @Test func freezingKeepsGradientFlowing() {
    var rng = RandomGenerator(seed: 1)
    let frozen = Linear(3, 2, rng: &rng), trained = Linear(4, 3, rng: &rng)
    frozen.requiresGrad(false)
    let x = fixture([5, 4], seed: 2, requiresGrad: false)
    frozen(trained(x)).square().sum().backward()
    #expect(frozen.weight.grad == nil && frozen.bias!.grad == nil)
    #expect(trained.weight.grad != nil && trained.weight.grad!.contains { $0 != 0 })
    let y = withNoGrad { trained(x) }
    #expect(!y.requiresGrad)
    let d = trained(x).detach()
    #expect(!d.requiresGrad)
  }

  @Test func gradientsAccumulate() {
    let p = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
    (p * 3).sum().backward()
    (p * 3).sum().backward()
    #expect(p.grad == [6, 6])
  }

  /// A small convolutional autoencoder must fit one fixed batch: loss falls at least 10x.
  @Test func autoencoderFitsOneBatch() {
    var rng = RandomGenerator(seed: 42)
    // Eight smooth 1x16x16 images (blobs at different places).
    var imgs = [Float](repeating: 0, count: 8 * 256)
    for i in 0..<8 {
      let cx = Float(3 + i), cy = Float(12 - i)
      for y in 0..<16 { for x in 0..<16 {
        let d2 = (Float(x) - cx) * (Float(x) - cx) + (Float(y) - cy) * (Float(y) - cy)
        imgs[i * 256 + y * 16 + x] = 2 * Math.exp(-d2 / 12) - 1
      } }
    }
    let x = Tensor(shape: [8, 1, 16, 16], data: imgs)
    let model = Sequential(
      Conv2d(1, 16, kernelSize: 4, stride: 2, padding: 1, rng: &rng), LeakyReLU(0.2),   // 8x8
      Conv2d(16, 32, kernelSize: 4, stride: 2, padding: 1, rng: &rng), BatchNorm2d(32), LeakyReLU(0.2),  // 4x4
      ConvTranspose2d(32, 16, kernelSize: 4, stride: 2, padding: 1, rng: &rng), BatchNorm2d(16), ReLU(),  // 8x8
      ConvTranspose2d(16, 1, kernelSize: 4, stride: 2, padding: 1, rng: &rng), Tanh())   // 16x16
    let opt = Adam(model.parameters, lr: 2e-3)
    var first: Float = 0, last: Float = 0
    for step in 0..<300 {
      opt.zeroGrad()
      let loss = mseLoss(model(x), x)
      loss.backward()
      opt.step()
      if step == 0 { first = loss.item }
      last = loss.item
    }
    #expect(last * 10 < first, "loss \(first) -> \(last)")
  }

  /// eq. (7) of many codes uniform on S^{M-1} approaches its closed form there; codes bunched
  /// on a cap of the sphere score far above it.
  @Test func gaussianFitKLOnTheSphere() {
    var rng = RandomGenerator(seed: 9)
    for m in [3, 16, 64] {
      let uniform = Double(gaussianFitKL(Tensor.uniformOnSphere(20000, m, rng: &rng)).item)
      #expect(abs(uniform - gaussianFitKLSphereMinimum(m)) < 0.02, "M = \(m): \(uniform)")
      var cap = Tensor.uniformOnSphere(2000, m, rng: &rng).data
      for i in stride(from: 0, to: cap.count, by: m) { cap[i] += 3 }   // pull every code towards e_1
      let bunched = Tensor(shape: [2000, m], data: cap)
      let norms = bunched.square().sum(axes: [1], keepDims: true).sqrt()
      #expect(Double(gaussianFitKL(bunched / norms).item) > gaussianFitKLSphereMinimum(m) + 0.1)
    }
  }

  /// The same seed gives bit-identical training on 1 and 2 threads.
  @Test func deterministicAcrossThreads() {
    func run(threads: Int) -> [Float] {
      var rng = RandomGenerator(seed: 5)
      let net = Sequential(Conv2d(3, 24, kernelSize: 4, stride: 2, padding: 1, rng: &rng), BatchNorm2d(24), ReLU(),
                           ConvTranspose2d(24, 3, kernelSize: 4, stride: 2, padding: 1, rng: &rng))
      dcganInit(net, rng: &rng)
      let opt = Adam(net.parameters, lr: 1e-3)
      let x = Tensor.normal([16, 3, 16, 16], rng: &rng)
      // KernelConfig.threads is process-wide (LanesTests change it too; results never depend on it).
      let old = KernelConfig.threads
      KernelConfig.threads = threads
      defer { KernelConfig.threads = old }
      for _ in 0..<3 {
        opt.zeroGrad()
        l1Loss(net(x), x).backward()
        opt.step()
      }
      return net.parameters.flatMap { $0.data }
    }
    #expect(run(threads: 1) == run(threads: 2))
  }
}

