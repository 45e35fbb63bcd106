import DeepLearning
import Models
import TestSupport
import Testing

@Suite("Colorization networks: conditional AGE, U-Net, PatchGAN")
struct ColorizationTests {
  @Test(arguments: [16, 32])
  func shapes(size: Int) {
    var rng = RandomGenerator(seed: 1)
    let c = ColorizationConfig(nz: 3, ngf: 8, ndf: 8, blocks: 2, size: size)
    let g = makeColorizationGenerator(c, rng: &rng), e = makeColorizationEncoder(c, rng: &rng)
    let l = fixture([5, 1, size, size], seed: 2, requiresGrad: false)
    let z = Tensor.uniformOnSphere(5, 3, rng: &rng)
    let ab = colorize(g, l: l, z: z)
    #expect(ab.shape == [5, 2, size, size])
    let code = encodeLab(e, l: l, ab: ab)
    #expect(code.shape == [5, 3])
    for i in 0..<5 {   // on the unit sphere
      let n = (0..<3).map { code.data[i * 3 + $0] * code.data[i * 3 + $0] }.reduce(0, +)
      #expect(abs(n - 1) < 1e-5)
    }
    let u = UNet(inChannels: 4, outChannels: 2, ngf: 4, downs: size == 32 ? 5 : 4, rng: &rng)
    let out = u(Tensor.concat([l, z.tileSpatial(size, size)], axis: 1))
    #expect(out.shape == [5, 2, size, size])
    #expect(out.data.allSatisfy { abs($0) <= 1 })   // tanh output
    let d = makePatchGAN(inChannels: 3, ndf: 4, layers: 2, rng: &rng)
    #expect(d(Tensor.concat([l, out], axis: 1)).shape == [5, 1, size / 4 - 2, size / 4 - 2])
  }

  /// The generator depends on z (through the tiled maps) and the U-Net's skips reach the output:
  /// gradients with respect to L and z are right (central differences).
  @Test func gradientsThroughGeneratorAndUNet() {
    var rng = RandomGenerator(seed: 3)
    let c = ColorizationConfig(nz: 2, ngf: 4, ndf: 4, blocks: 1, size: 16)
    let g = makeColorizationGenerator(c, rng: &rng)
    g.eval()   // running statistics: the map is a fixed function of its input
    let l = fixture([2, 1, 16, 16], seed: 4), z = fixture([2, 2], seed: 5)
    // z reaches every one of the 16x16 positions, so a step h crosses many ReLU kinks: smaller h,
    // looser tolerances than the single-op checks (which test tileSpatial and concat exactly).
    let r = gradCheck([l, z], h: 1e-3, atol: 2e-3, rtol: 5e-2, maxChecks: 24) { colorize(g, l: $0[0], z: $0[1]) }
    #expect(r.worst <= 1, "\(r)")
    let u = UNet(inChannels: 1, outChannels: 2, ngf: 2, downs: 4, rng: &rng)
    u.eval()
    let x = fixture([2, 1, 16, 16], seed: 6)
    let ru = gradCheck([x], maxChecks: 24) { u($0[0]) }
    #expect(ru.worst <= 1, "\(ru)")
  }

  /// A few conditional AGE and pix2pix iterations on a tiny set stay finite, and pix2pix's L1
  /// term falls when it fits one batch.
  @Test func trainersStep() {
    var rng = RandomGenerator(seed: 7)
    let c = ColorizationConfig(nz: 3, ngf: 8, ndf: 8, blocks: 1, size: 16)
    let t = ConditionalAGETrainer(e: makeColorizationEncoder(c, rng: &rng), g: makeColorizationGenerator(c, rng: &rng),
                                  nz: 3, config: { var a = AGEConfig(); a.generatorLX = 10; return a }())
    let l = fixture([16, 1, 16, 16], seed: 8, requiresGrad: false)
    // Colours that are a function of the lightness, so a generator can learn them.
    let ab = Tensor(shape: [16, 2, 16, 16], data: (0..<(16 * 2 * 256)).map { i in
      let (n, c, p) = (i / 512, i / 256 % 2, i % 256)
      return (c == 0 ? 0.5 : -0.4) * l.data[n * 256 + p]
    })
    for _ in 0..<3 {
      let s = t.step(l: l, ab: ab, nextBatch: { (l, ab) }, rng: &rng)
      #expect(s.isFinite && s.codeVariance > 0)
    }
    let p = Pix2PixTrainer(g: UNet(inChannels: 4, outChannels: 2, ngf: 8, downs: 4, rng: &rng),
                           d: makePatchGAN(inChannels: 3, ndf: 8, layers: 2, rng: &rng), optimizer: AdamSettings(lr: 2e-3, beta1: 0.5))
    let first = p.step(l: l, ab: ab, rng: &rng)
    var last = first
    for _ in 0..<60 { last = p.step(l: l, ab: ab, rng: &rng) }
    #expect(last.isFinite && last.l1 < 0.5 * first.l1, "L1 \(first.l1) -> \(last.l1)")
  }

  /// The released cAGE encoder objective (`cars_reconstruction`): Delta(e(x)) - kappa Delta(e(g(z)))
  /// + mu L_X + lambda_E L_Z(z, e(g(z))), with kappa = 0.5 and lambda_E = 10; the extra terms change
  /// the encoder's update and leave the default (eq. 5) path alone.
  @Test func releasedEncoderObjective() {
    let c = ColorizationConfig(nz: 3, ngf: 8, ndf: 8, blocks: 1, size: 16)
    let l = fixture([8, 1, 16, 16], seed: 9, requiresGrad: false), ab = fixture([8, 2, 16, 16], seed: 10, requiresGrad: false)
    func trainer(_ configure: (inout AGEConfig) -> Void) -> ConditionalAGETrainer {
      var rng = RandomGenerator(seed: 11)
      var a = AGEConfig.officialCode
      configure(&a)
      return ConditionalAGETrainer(e: makeColorizationEncoder(c, rng: &rng), g: makeColorizationGenerator(c, rng: &rng),
                                   nz: 3, config: a, optimizer: AdamSettings(lr: 6e-4, beta1: 0.5))
    }
    let plain = trainer { _ in }, released = trainer { $0.encoderFakeWeight = 0.5; $0.encoderLZ = 10 }
    var r1 = RandomGenerator(seed: 12), r2 = RandomGenerator(seed: 12)
    let s1 = plain.step(l: l, ab: ab, nextBatch: { (l, ab) }, rng: &r1)
    let s2 = released.step(l: l, ab: ab, nextBatch: { (l, ab) }, rng: &r2)
    // Same networks, data and codes: the terms common to both objectives agree.
    #expect(s1.klReal == s2.klReal && s1.klFakeE == s2.klFakeE && s1.reconX == s2.reconX)
    #expect(s1.reconZE == 0 && s2.reconZE > 0)
    #expect(abs(s1.lossE - (s1.klReal + 10 * s1.reconX - s1.klFakeE)) < 1e-4 * max(1, abs(s1.lossE)))
    let expected = s2.klReal + 10 * s2.reconX - 0.5 * s2.klFakeE + 10 * s2.reconZE
    #expect(abs(s2.lossE - expected) < 1e-4 * max(1, abs(expected)), "\(s2.lossE) vs \(expected)")
    // The encoder moved differently.
    let p1 = plain.e.parameters.flatMap(\.data), p2 = released.e.parameters.flatMap(\.data)
    #expect(zip(p1, p2).contains { $0 != $1 })
  }
}
