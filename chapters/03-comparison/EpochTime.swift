//===--- EpochTime.swift --------------------------------------------------===//
// "One epoch for our method takes 3 times less time than for ALI" (Fig. 3's caption: CelebA,
// 10 epochs in two hours against six) is a claim about each method's own networks, so it is
// measured three ways:
// - width-matched: the chapter's runs, where ALI and AGE share the encoder and generator
//   (ALI adds its joint discriminator): the training loops' seconds per epoch;
// - published, CelebA 64x64 (the claim's setting; the verdict reads this pair): ALI's CelebA
//   networks (github.com/IshmaelBelghazi/ALI, `experiments/ali_celeba.py`: kernels 2/7/5/7/4,
//   valid convolutions, BN and LeakyReLU(0.02), M = 256, a 2048-wide joint discriminator,
//   dropout 0.2, batch 100) against AGE's released `dcgan64px` pair (github.com/DmitryUlyanov/AGE,
//   `models/dcgan64px.py`, M = 64, batch 64, 1 encoder and 3 generator updates as its CelebA command);
// - published, CIFAR-10 32x32: ALI's `experiments/ali_cifar10.py` networks (maxout discriminator,
//   M = 64, batch 100) against AGE's `dcgan32px` (M = 128, batch 64, 2 generator updates).
// Each system is timed for a few iterations at its own batch size on random images and scaled to
// a 50,000-image epoch.
// Beside the clock, an analytic count: the forward multiply-adds of each network (convolution,
// transposed convolution and linear layers), with a backward pass costing twice its forward:
//   ALI iteration:  3 (E + G + 2 D) per image (E(x), G(z), D on both pairs, all trained);
//   AGE iteration: (6 E + 4 G) + k (3 G + 3 E) per image with k generator steps (encoder step:
//                  e(x), g(e(x)), g(z) without gradients, e(g(z)); each generator step: g(z), e(g(z))).
//===----------------------------------------------------------------------===//
import DeepLearning
import Dispatch
import Models

/// ALI's published CIFAR-10 system (M = 64); the decoder ends in tanh on [-1, 1] where ALI's has a sigmoid on [0, 1].
func aliPublishedCIFAR10(seed: UInt64, rng: inout RandomGenerator) -> ALISystem {
  func bnl(_ c: Int) -> [Module] { [BatchNorm2d(c), LeakyReLU(0.1)] }
  func conv(_ i: Int, _ o: Int, _ k: Int, _ s: Int) -> Conv2d { Conv2d(i, o, kernelSize: k, stride: s, rng: &rng) }
  func convT(_ i: Int, _ o: Int, _ k: Int, _ s: Int) -> ConvTranspose2d { ConvTranspose2d(i, o, kernelSize: k, stride: s, rng: &rng) }
  let e = Sequential([conv(3, 32, 5, 1)] + bnl(32) + [conv(32, 64, 4, 2)] + bnl(64) + [conv(64, 128, 4, 1)] + bnl(128)
                     + [conv(128, 256, 4, 2)] + bnl(256) + [conv(256, 512, 4, 1)] + bnl(512) + [conv(512, 512, 1, 1)] + bnl(512)
                     + [conv(512, 128, 1, 1), Flatten()])                                          // 28, 13, 10, 4, 1, 1 -> [N, 2 x 64]
  let g = Sequential([Unflatten(), convT(64, 256, 4, 1)] + bnl(256) + [convT(256, 128, 4, 2)] + bnl(128)
                     + [convT(128, 64, 4, 1)] + bnl(64) + [convT(64, 32, 4, 2)] + bnl(32) + [convT(32, 32, 5, 1)] + bnl(32)
                     + [convT(32, 32, 1, 1)] + bnl(32) + [conv(32, 3, 1, 1), Tanh()])              // 4, 10, 13, 28, 32, 32
  var s = seed
  func drop(_ p: Float) -> Dropout { s &+= 1; return Dropout(p, seed: s) }
  let dx = Sequential(drop(0.2), conv(3, 32, 5, 1), Maxout(2), drop(0.5), conv(16, 64, 4, 2), Maxout(2),
                      conv(32, 128, 4, 1), Maxout(2), conv(64, 256, 4, 2), Maxout(2), drop(0.5), conv(128, 512, 4, 1), Maxout(2),
                      Flatten())                                                                   // [N, 256]
  let dz = Sequential(drop(0.2), Linear(64, 512, bias: false, rng: &rng), Maxout(2),
                      drop(0.5), Linear(256, 512, bias: false, rng: &rng), Maxout(2))
  let joint = Sequential(drop(0.5), Linear(512, 1024, rng: &rng), Maxout(2), drop(0.5), Linear(512, 1024, rng: &rng), Maxout(2),
                         drop(0.5), Linear(512, 1, rng: &rng))
  return ALISystem(e: e, g: g, d: JointDiscriminator(dx: dx, dz: dz, joint: joint), nz: 64, stochastic: true)
}

/// AGE's released CIFAR-10 system: the dcgan32px pair, M = 128, the released formulas and weights.
func ageReleasedCIFAR10(rng: inout RandomGenerator) -> AGESystem {
  var net = DCGAN32Config.cifar32
  net.arch = .dcgan32px
  return AGESystem(net, config: AGEConfig.officialCode, rng: &rng)
}

/// ALI's published CelebA 64x64 system (M = 256); tanh in place of its sigmoid, as above.
func aliPublishedCelebA64(seed: UInt64, rng: inout RandomGenerator) -> ALISystem {
  func bnl(_ c: Int) -> [Module] { [BatchNorm2d(c), LeakyReLU(0.02)] }
  func conv(_ i: Int, _ o: Int, _ k: Int, _ s: Int) -> Conv2d { Conv2d(i, o, kernelSize: k, stride: s, rng: &rng) }
  func convT(_ i: Int, _ o: Int, _ k: Int, _ s: Int) -> ConvTranspose2d { ConvTranspose2d(i, o, kernelSize: k, stride: s, rng: &rng) }
  let e = Sequential([conv(3, 64, 2, 1)] + bnl(64) + [conv(64, 128, 7, 2)] + bnl(128) + [conv(128, 256, 5, 2)] + bnl(256)
                     + [conv(256, 256, 7, 2)] + bnl(256) + [conv(256, 512, 4, 1)] + bnl(512) + [conv(512, 512, 1, 1), Flatten()])
  // 63, 29, 13, 4, 1 -> [N, 2 x 256]
  let g = Sequential([Unflatten(), convT(256, 512, 4, 1)] + bnl(512) + [convT(512, 256, 7, 2)] + bnl(256)
                     + [convT(256, 256, 5, 2)] + bnl(256) + [convT(256, 128, 7, 2)] + bnl(128) + [convT(128, 64, 2, 1)] + bnl(64)
                     + [conv(64, 3, 1, 1), Tanh()])                                                // 4, 13, 29, 63, 64
  var s = seed
  func drop() -> Dropout { s &+= 1; return Dropout(0.2, seed: s) }
  let dx = Sequential([drop(), conv(3, 64, 2, 1), LeakyReLU(0.02), conv(64, 128, 7, 2)] + bnl(128) + [drop(), conv(128, 256, 5, 2)] + bnl(256)
                      + [conv(256, 256, 7, 2)] + bnl(256) + [drop(), conv(256, 512, 4, 1)] + bnl(512) + [Flatten()])   // [N, 512]
  let dz = Sequential(drop(), Linear(256, 1024, bias: false, rng: &rng), LeakyReLU(0.02),
                      drop(), Linear(1024, 1024, bias: false, rng: &rng), LeakyReLU(0.02))
  let joint = Sequential(drop(), Linear(1536, 2048, rng: &rng), LeakyReLU(0.02), drop(), Linear(2048, 2048, rng: &rng), LeakyReLU(0.02),
                         drop(), Linear(2048, 1, rng: &rng))
  return ALISystem(e: e, g: g, d: JointDiscriminator(dx: dx, dz: dz, joint: joint), nz: 256, stochastic: true)
}

/// AGE's released CelebA 64x64 system: the dcgan64px pair (M = 64, on the sphere), the released formulas,
/// 3 generator updates per encoder update (its CelebA command).
func ageReleasedCelebA64(rng: inout RandomGenerator) -> AGESystem {
  let nz = 64
  func bnl(_ c: Int) -> [Module] { [BatchNorm2d(c), LeakyReLU(0.2)] }
  func conv(_ i: Int, _ o: Int, _ k: Int, _ s: Int, _ p: Int, bias: Bool = false) -> Conv2d {
    Conv2d(i, o, kernelSize: k, stride: s, padding: p, bias: bias, rng: &rng)
  }
  func convT(_ i: Int, _ o: Int, _ k: Int, _ s: Int, _ p: Int) -> ConvTranspose2d {
    ConvTranspose2d(i, o, kernelSize: k, stride: s, padding: p, bias: false, rng: &rng)
  }
  let e = Sequential([conv(3, 64, 4, 2, 1), LeakyReLU(0.2), conv(64, 128, 4, 2, 1)] + bnl(128) + [conv(128, 256, 4, 2, 1)] + bnl(256)
                     + [conv(256, 512, 4, 2, 1)] + bnl(512) + [conv(512, nz, 4, 1, 0, bias: true), Flatten(), L2Normalize()])
  func bnr(_ c: Int) -> [Module] { [BatchNorm2d(c), ReLU()] }
  let g = Sequential([Unflatten(), convT(nz, 512, 4, 1, 0)] + bnr(512) + [convT(512, 256, 4, 2, 1)] + bnr(256)
                     + [convT(256, 128, 4, 2, 1)] + bnr(128) + [convT(128, 64, 4, 2, 1)] + bnr(64) + [convT(64, 3, 4, 2, 1), Tanh()])
  var config = AGEConfig.officialCode
  config.generatorSteps = 3
  return AGESystem(trainer: AGETrainer(e: e, g: g, nz: nz, config: config))
}

/// Forward multiply-adds of `m` on one input `x` (batch 1), and its output.
func forwardMACs(_ m: Module, _ x: Tensor) -> (macs: Double, out: Tensor) {
  if let s = m as? Sequential {
    var total = 0.0, h = x
    for l in s.layers { let r = forwardMACs(l, h); total += r.macs; h = r.out }
    return (total, h)
  }
  let y = m(x)
  if let c = m as? Conv2d { return (Double(c.weight.count * y.shape[2] * y.shape[3]), y) }
  if let c = m as? ConvTranspose2d { return (Double(c.weight.count * x.shape[2] * x.shape[3]), y) }
  if let l = m as? Linear { return (Double(l.weight.count), y) }
  return (0, y)
}

/// One pair's epoch time and analytic cost.
struct EpochTimePair {
  var name: String
  /// Seconds per 50,000-image epoch on this machine, and multiply-adds per image of one training iteration.
  var aliSeconds = 0.0, ageSeconds = 0.0
  var aliMACs = 0.0, ageMACs = 0.0
  var aliParameters = 0, ageParameters = 0
  var aliBatch = 0, ageBatch = 0
  var measuredRatio: Double { aliSeconds / max(ageSeconds, 1e-12) }
  var analyticRatio: Double { aliMACs / max(ageMACs, 1e-12) }
  var json: [String: Any] {
    ["ali_seconds_per_epoch": aliSeconds, "age_seconds_per_epoch": ageSeconds, "measured_ratio": measuredRatio,
     "ali_macs_per_image": aliMACs, "age_macs_per_image": ageMACs, "analytic_ratio": analyticRatio,
     "ali_parameters": aliParameters, "age_parameters": ageParameters, "ali_batch": aliBatch, "age_batch": ageBatch]
  }
}

/// Multiply-adds per image of one training iteration of ALI (`e`, `g`, `d` on x [1, C, S, S]).
func aliIterationMACs(_ s: ALISystem, channels: Int, size: Int = 32) -> Double {
  withNoGrad {
    s.eval(); defer { s.train() }
    let x = Tensor(zeros: [1, channels, size, size]), z = Tensor(zeros: [1, s.nz])
    let e = forwardMACs(s.e, x).macs, g = forwardMACs(s.g, z).macs
    let fx = forwardMACs(s.d.dx, x), fz = forwardMACs(s.d.dz, z)
    let joint = forwardMACs(s.d.joint, Tensor.concat([fx.out.flatten(), fz.out.flatten()], axis: 1)).macs
    return 3 * (e + g + 2 * (fx.macs + fz.macs + joint))
  }
}

/// Multiply-adds per image of one AGE iteration with `generatorSteps` generator updates.
func ageIterationMACs(_ s: AGESystem, channels: Int, size: Int = 32) -> Double {
  withNoGrad {
    s.eval(); defer { s.train() }
    let t = s.trainer
    let e = forwardMACs(t.e, Tensor(zeros: [1, channels, size, size])).macs, g = forwardMACs(t.g, Tensor(zeros: [1, t.nz])).macs
    let steps = Double(t.config.generatorSteps)
    return (6 * e + 4 * g) + steps * (3 * g + 3 * e)
  }
}

/// Seconds per 50,000-image epoch of `system` at `batch`: the median of `iterations` timed steps on random
/// images after 2 warm-up steps (0 when `iterations` is 0).
func secondsPerEpoch(_ system: GenerativeSystem, batch: Int, channels: Int, size: Int, iterations: Int, seed: UInt64) -> Double {
  guard iterations > 0 else { return 0 }
  var rng = RandomGenerator(seed: seed)
  let x = Tensor.uniform([batch, channels, size, size], -1, 1, rng: &rng)
  system.train()
  var times: [Double] = []
  for i in 0..<(iterations + 2) {
    let t0 = DispatchTime.now().uptimeNanoseconds
    _ = system.step(x: x, rng: &rng)
    if i >= 2 { times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9) }
  }
  return times.sorted()[times.count / 2] * 50_000 / Double(batch)
}

/// The published pairs (CelebA 64x64 first, the verdict's; then CIFAR-10 32x32), timed and counted on this machine.
func publishedEpochTimes(iterations: Int, seed: UInt64) -> [EpochTimePair] {
  var rng = RandomGenerator(seed: seed)
  func pair(_ name: String, _ ali: ALISystem, _ age: AGESystem, size: Int) -> EpochTimePair {
    var p = EpochTimePair(name: name)
    (p.aliBatch, p.ageBatch) = (100, 64)
    p.aliSeconds = secondsPerEpoch(ali, batch: p.aliBatch, channels: 3, size: size, iterations: iterations, seed: seed)
    p.ageSeconds = secondsPerEpoch(age, batch: p.ageBatch, channels: 3, size: size, iterations: iterations, seed: seed)
    p.aliMACs = aliIterationMACs(ali, channels: 3, size: size)
    p.ageMACs = ageIterationMACs(age, channels: 3, size: size)
    p.aliParameters = ali.parameterCount
    p.ageParameters = age.parameterCount
    return p
  }
  return [
    pair("CelebA 64x64: ALI's ali_celeba.py networks vs AGE's released dcgan64px", aliPublishedCelebA64(seed: seed, rng: &rng),
         ageReleasedCelebA64(rng: &rng), size: 64),
    pair("CIFAR-10 32x32: ALI's ali_cifar10.py networks vs AGE's released dcgan32px", aliPublishedCIFAR10(seed: seed, rng: &rng),
         ageReleasedCIFAR10(rng: &rng), size: 32),
  ]
}
