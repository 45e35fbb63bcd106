//===--- ToyProtocol.swift ------------------------------------------------===//
// The toy-mixture protocol of PacGAN (Lin et al. 2018, built on ALI's code),
// copied so that our GAN and ALI can be calibrated against its published table
// before AGE is read:
//   data      ring of 8 Gaussians at radius 1 (std 0.01); 5x5 grid on
//             {-4,-2,0,2,4}^2 (std 0.05); a training set of 100,000 points
//   networks  ALI's mixture networks: generator 4 x 400 (Linear without bias,
//             BatchNorm1d, ReLU) -> 2; discriminator 3 x maxout(200 units, 5
//             pieces) -> 1; ALI's encoder [x, eps] -> 2 x 400 BN-ReLU -> 2
//   training  Adam(lr 1e-4, betas (0.8, 0.999)), batch 100, weights N(0, 0.02),
//             biases 0, batch-norm running statistics with momentum 0.05
//   metric    2,500 samples; a sample is high quality within 3 std of its
//             nearest mode; a mode is captured when it is the nearest mode of a
//             high-quality sample (VEEGAN's rule); the reverse KL of the mode
//             histogram to the uniform one; and ALI's rule (10,000 samples, a
//             mode is dropped when no sample is nearest to it)
// Sources: github.com/fjxmlzn/PacGAN, `synthetic_data_experiments/2DRing_ALI/
// pacgan_task.py`, `.../2DRing_GAN&PacGAN/config.py`, `PacGAN/pacgan/extensions.py`
// (MetricLogger); github.com/IshmaelBelghazi/ALI, `experiments/ali_mixture.py`.
//===----------------------------------------------------------------------===//
import DeepLearning
import Figures
import Libm

/// A mixture of isotropic 2-D Gaussians with equal weights.
struct Mixture: Sendable {
  let name: String
  let id: String
  let centers: [(Double, Double)]
  let std: Double

  /// PacGAN's ring: 8 modes on the unit circle, std 0.01.
  static let ring8 = Mixture(name: "ring of 8", id: "ring", centers: (0..<8).map { k in
    let a = 2 * Double.pi * Double(k) / 8
    return (Math.cos(a), Math.sin(a))
  }, std: 0.01)
  /// ALI's (and PacGAN's) grid: 25 modes on {-4, -2, 0, 2, 4}^2, std 0.05.
  static let grid25 = Mixture(name: "grid of 25", id: "grid", centers: (0..<25).map { (k: Int) -> (Double, Double) in
    let x = Double(k % 5 - 2) * 2, y = Double(k / 5 - 2) * 2
    return (x, y)
  }, std: 0.05)

  /// n points, shape [n, 2].
  func sample(_ n: Int, rng: inout RandomGenerator) -> Tensor {
    var d = [Float](repeating: 0, count: 2 * n)
    for i in 0..<n {
      let c = centers[rng.int(below: centers.count)]
      d[2 * i] = Float(c.0 + std * rng.normalDouble()); d[2 * i + 1] = Float(c.1 + std * rng.normalDouble())
    }
    return Tensor(shape: [n, 2], data: d)
  }

  /// The nearest mode of each point of [n, 2] and its distance in units of std.
  func nearest(_ x: Tensor) -> [(mode: Int, stds: Double)] {
    (0..<x.shape[0]).map { i in
      let px = Double(x.data[2 * i]), py = Double(x.data[2 * i + 1])
      var best = Double.infinity, bi = 0
      for (k, c) in centers.enumerated() {
        let d = (px - c.0) * (px - c.0) + (py - c.1) * (py - c.1)
        if d < best { best = d; bi = k }
      }
      return (bi, best.squareRoot() / std)
    }
  }

  /// VEEGAN's and PacGAN's scores of 2,500 samples (see the file header).
  func score(_ x: Tensor) -> ToyScore {
    var hist = [Int](repeating: 0, count: centers.count)
    for (m, s) in nearest(x) where s < 3 { hist[m] += 1 }
    let good = hist.reduce(0, +)
    // Reverse KL of the histogram of high-quality samples to the uniform one, sum p log(p K).
    var kl = 0.0
    if good > 0 {
      for h in hist where h > 0 {
        let p = Double(h) / Double(good)
        kl += p * Math.log(p * Double(centers.count))
      }
    } else { kl = .nan }
    return ToyScore(modes: Double(hist.filter { $0 > 0 }.count), highQuality: Double(good) / Double(x.shape[0]),
                    reverseKL: kl)
  }

  /// ALI's rule: the modes that are the nearest (most responsible) mode of at least one sample.
  func modesALI(_ x: Tensor) -> Int { Set(nearest(x).map(\.mode)).count }
}

/// One run's scores under the protocol.
struct ToyScore: Sendable {
  var modes: Double
  var highQuality: Double
  var reverseKL: Double
  var modesALI: Double = 0
  var json: [String: Any] { ["modes": modes, "high_quality": highQuality, "reverse_kl": reverseKL, "modes_ali": modesALI] }
}

/// The protocol's settings, written once; `steps` is the profile's training length.
struct ToyProtocol: Codable {
  var hidden = 400
  var discHidden = 200
  var pieces = 5
  var batch = 100
  var optimizer = AdamSettings(lr: 1e-4, beta1: 0.8)
  var initStd: Float = 0.02
  var bnMomentum: Float = 0.05
  var trainingSetSize = 100_000
  var evalSamples = 2_500
  var aliRuleSamples = 10_000
  /// PacGAN's length: 400 epochs of 100,000 points at batch 100.
  static let publishedSteps = 400 * 100_000 / 100

  var json: [String: Any] {
    ["generator": "2 -> 4 x (Linear \(hidden) without bias, BatchNorm1d, ReLU) -> 2",
     "discriminator": "3 x (Linear \(discHidden * pieces), Maxout(\(pieces))) -> Linear(\(discHidden), 1)",
     "ali_encoder": "[x, eps] -> 2 x (Linear \(hidden), BatchNorm1d, ReLU) -> 2",
     "age_encoder": "x -> 2 x (Linear \(hidden), BatchNorm1d, ReLU) -> 2 -> 3 tanh (Gaussian latent) or L2 normalization (sphere)",
     "hidden": hidden, "disc_hidden": discHidden, "maxout_pieces": pieces, "batch": batch, "lr": Double(optimizer.lr),
     "beta1": Double(optimizer.beta1), "beta2": Double(optimizer.beta2), "init_std": Double(initStd), "bn_momentum": Double(bnMomentum),
     "training_set": trainingSetSize, "eval_samples": evalSamples, "ali_rule_samples": aliRuleSamples,
     "published_steps": ToyProtocol.publishedSteps]
  }

  /// g: [N, nz] -> [N, 2]: 4 x (Linear without bias, BatchNorm1d, ReLU), then Linear(400, 2).
  func generator(nz: Int = 2, rng: inout RandomGenerator) -> Sequential {
    bnReLUStack(inputs: nz, layers: 4, outputs: 2, rng: &rng)
  }

  /// ALI's encoder mapping (and AGE's encoder trunk): [N, inputs] -> 2 x (Linear, BN, ReLU) -> [N, outputs].
  func encoder(inputs: Int, outputs: Int = 2, rng: inout RandomGenerator) -> Sequential {
    bnReLUStack(inputs: inputs, layers: 2, outputs: outputs, rng: &rng)
  }

  /// D: [N, inputs] -> 3 x (Linear to 200 x 5, Maxout(5)) -> Linear(200, 1), logits [N, 1].
  func discriminator(inputs: Int, rng: inout RandomGenerator) -> Sequential {
    var layers: [Module] = []
    var width = inputs
    for _ in 0..<3 {
      layers += [Linear(width, discHidden * pieces, rng: &rng), Maxout(pieces)]
      width = discHidden
    }
    layers.append(Linear(width, 1, rng: &rng))
    let d = Sequential(layers)
    initialize(d, rng: &rng)
    return d
  }

  private func bnReLUStack(inputs: Int, layers: Int, outputs: Int, rng: inout RandomGenerator) -> Sequential {
    var m: [Module] = []
    var width = inputs
    for _ in 0..<layers {
      m += [Linear(width, hidden, bias: false, rng: &rng), BatchNorm1d(hidden, momentum: bnMomentum, eps: 1e-4), ReLU()]
      width = hidden
    }
    m.append(Linear(width, outputs, rng: &rng))
    let s = Sequential(m)
    initialize(s, rng: &rng)
    return s
  }

  /// Blocks' initialization in the protocol: Linear weights N(0, 0.02), biases 0; batch norm 1 and 0.
  func initialize(_ model: Module, rng: inout RandomGenerator) {
    for m in model.modules {
      guard let l = m as? Linear else { continue }
      for i in 0..<l.weight.count { l.weight.data[i] = rng.normal(mean: 0, std: initStd) }
      if let b = l.bias { for i in 0..<b.count { b.data[i] = 0 } }
    }
  }

  /// A training set of `trainingSetSize` points, drawn once per run.
  func trainingSet(_ mix: Mixture, rng: inout RandomGenerator) -> [Float] {
    mix.sample(trainingSetSize, rng: &rng).data
  }
}

/// Published values of the protocol: PacGAN (Lin et al. 2018), Table 1 (github.com/fjxmlzn/PacGAN,
/// `synthetic_data_experiments/results/Table1.png`): mean and standard error over 10 trials.
struct PublishedToy: Sendable {
  let modes: Double, modesSE: Double, highQuality: Double, highQualitySE: Double, reverseKL: Double
  static let table: [String: PublishedToy] = [
    "gan-ring": PublishedToy(modes: 6.3, modesSE: 0.5, highQuality: 0.982, highQualitySE: 0.002, reverseKL: 0.45),
    "ali-ring": PublishedToy(modes: 6.6, modesSE: 0.3, highQuality: 0.976, highQualitySE: 0.004, reverseKL: 0.36),
    "gan-grid": PublishedToy(modes: 17.3, modesSE: 0.8, highQuality: 0.948, highQualitySE: 0.007, reverseKL: 0.70),
    "ali-grid": PublishedToy(modes: 24.1, modesSE: 0.4, highQuality: 0.957, highQualitySE: 0.006, reverseKL: 0.14),
  ]
  var json: [String: Any] {
    ["modes": modes, "modes_se": modesSE, "high_quality": highQuality, "high_quality_se": highQualitySE, "reverse_kl": reverseKL]
  }
}

/// A scatter plot of generated samples, with the data drawn on top so that it stays visible.
/// `colors` overrides the systems' colours by series title (two series of one system).
func scatter(_ out: String, _ name: String, title: String, mix: Mixture, data: Tensor, samples: [(String, Tensor)],
             colors: [String: String] = [:]) throws {
  func rows(_ t: Tensor) -> [[Double]] { (0..<t.shape[0]).map { [Double(t.data[2 * $0]), Double(t.data[2 * $0 + 1])] } }
  // Colours and order are the systems' (Figures.Style); "data" is drawn last, in open black circles.
  var series: [Series] = samples.map {
    Series(title: $0.0, columns: ["x", "y"], rows: rows($0.1), style: "points pt 7 ps 0.35", color: colors[$0.0])
  }
  series.append(Series(title: "data", columns: ["x", "y"], rows: rows(data), style: "points pt 6 ps 0.6"))
  var p = Plot(title: title, xlabel: "x_1", ylabel: "x_2", series: series)
  let r = mix.id == "ring" ? 1.6 : 5.5
  p.extra = ["set size ratio -1", "set xrange [-\(r):\(r)]", "set yrange [-\(r):\(r)]"]
  try p.write(dir: out, name: name)
}
