//===--- Toy.swift --------------------------------------------------------===//
// 2-D toy problems: Gaussian mixtures (a ring of 8, a 5x5 grid of 25), small
// MLPs, mode-coverage metrics, and scatter plots of samples over the data.
//===----------------------------------------------------------------------===//
import DeepLearning
import Figures
import Kernels

/// A mixture of isotropic 2-D Gaussians with equal weights.
struct Mixture {
  let name: String
  let centers: [(Double, Double)]
  let std: Double

  /// Ring of 8 (radius 2, std 0.02) and 5x5 grid (spacing 2, std 0.05), as in ALI's and VEEGAN's
  /// benchmarks (coordinates scaled alike).
  static let ring8 = Mixture(name: "ring of 8", centers: (0..<8).map { k in
    let a = 2 * Double.pi * Double(k) / 8
    return (2 * Math.cos(a), 2 * Math.sin(a))
  }, std: 0.02)
  static let grid25 = Mixture(name: "grid of 25", centers: gridCenters(), std: 0.05)

  static func gridCenters() -> [(Double, Double)] {
    var c: [(Double, Double)] = []
    for k in 0..<25 { c.append((Double(k % 5 - 2) * 2, Double(k / 5 - 2) * 2)) }
    return c
  }

  func sample(_ n: Int, rng: inout RandomGenerator) -> Tensor {
    var d = [Float](repeating: 0, count: 2 * n)
    for i in 0..<n {
      let c = centers[rng.int(below: centers.count)]
      d[2 * i] = Float(c.0 + std * rng.normalDouble()); d[2 * i + 1] = Float(c.1 + std * rng.normalDouble())
    }
    return Tensor(shape: [n, 2], data: d)
  }

  /// Modes covered (a mode counts when at least `minShare` of all samples fall within 3 std of it)
  /// and the share of high-quality samples (within 3 std of some mode).
  func coverage(_ x: Tensor, minShare: Double = 0.01) -> (modes: Int, highQuality: Double) {
    let n = x.shape[0]
    var counts = [Int](repeating: 0, count: centers.count)
    var good = 0
    for i in 0..<n {
      let px = Double(x.data[2 * i]), py = Double(x.data[2 * i + 1])
      var best = Double.infinity, bi = 0
      for (k, c) in centers.enumerated() {
        let d = ((px - c.0) * (px - c.0) + (py - c.1) * (py - c.1)).squareRoot()
        if d < best { best = d; bi = k }
      }
      if best <= 3 * std { good += 1; counts[bi] += 1 }
    }
    let modes = counts.filter { $0 > 0 && Double($0) >= minShare * Double(n) }.count
    return (modes, Double(good) / Double(n))
  }
}

/// An MLP: Linear layers with `act` between them (none after the last).
func mlp(_ sizes: [Int], act: @escaping () -> Module = { ReLU() }, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = []
  for i in 0..<(sizes.count - 1) {
    layers.append(Linear(sizes[i], sizes[i + 1], rng: &rng))
    if i < sizes.count - 2 { layers.append(act()) }
  }
  return Sequential(layers)
}

/// A scatter plot of generated samples over the data.
func scatter(_ out: String, _ name: String, title: String, data: Tensor, samples: [(String, Tensor)]) throws {
  func rows(_ t: Tensor) -> [[Double]] { (0..<t.shape[0]).map { [Double(t.data[2 * $0]), Double(t.data[2 * $0 + 1])] } }
  var series = [Series(title: "data", columns: ["x", "y"], rows: rows(data), style: "points pt 7 ps 0.3 lc rgb '#999999'")]
  let colors = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"]
  for (i, (t, s)) in samples.enumerated() {
    series.append(Series(title: t, columns: ["x", "y"], rows: rows(s), style: "points pt 7 ps 0.3 lc rgb '\(colors[i % 4])'"))
  }
  var p = Plot(title: title, xlabel: "x_1", ylabel: "x_2", series: series)
  p.extra = ["set size ratio -1", "set xrange [-6:6]", "set yrange [-6:6]"]
  try p.write(dir: out, name: name)
}
