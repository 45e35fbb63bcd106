//===--- ChapterFigures.swift ---------------------------------------------===//
// The chapter's figures: sample grids (Fig. 5d, 7b), test reconstructions in
// alternating columns (Fig. 2c, 6), great-circle interpolations between the codes
// of two test images (Fig. 8), training curves and per-dimension code statistics
// (gnuplot).
//===----------------------------------------------------------------------===//
import ChapterKit
import Datasets
import DeepLearning
import Evaluation
import Figures
import Foundation
import ImageIO
import Libm
import Models

/// 64 samples in an 8x8 grid.
func writeSamples(_ p: PairInMode, _ t: AGETrainer, path: String, seed: UInt64, count: Int = 64, nrow: Int = 8) throws {
  try PNG.write(Grid.make(generate(p, t, count: count, seed: seed, batch: count), nrow: nrow, scale: 2), to: path)
}

/// The first 32 test images and their reconstructions g(e(x)), alternating columns.
func writeReconstructions(_ p: PairInMode, test: ImageDataset, path: String, count: Int = 32) throws {
  let x = test.batch(Array(0..<count))
  try PNG.write(Grid.pairs(real: x, reconstructed: p.reconstruct(x), pairsPerRow: 8, scale: 2, labelled: true), to: path)
}

/// Spherical linear interpolation between unit vectors a and b at t in [0, 1].
func slerp(_ a: [Float], _ b: [Float], _ t: Float) -> [Float] {
  let dot = max(-1, min(1, zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }))
  let omega = Math.acos(Double(dot))
  if omega < 1e-4 { return zip(a, b).map { $0 + t * ($1 - $0) } }
  let s = Math.sin(omega), td = Double(t)
  let wa = Float(Math.sin((1 - td) * omega) / s), wb = Float(Math.sin(td * omega) / s)
  return zip(a, b).map { wa * $0 + wb * $1 }
}

/// Rows of [x_a, g(slerp(e(x_a), e(x_b), t)) for `steps` t in [0, 1], x_b] for pairs of test images.
func writeInterpolations(_ pm: PairInMode, _ t: AGETrainer, test: ImageDataset, path: String, pairs: Int = 8, steps: Int = 8) throws {
  let a = Array(0..<pairs).map { 2 * $0 + 100 }, b = a.map { $0 + 1 }
  let xa = test.batch(a), xb = test.batch(b)
  let za = pm.encode(xa), zb = pm.encode(xb)
  let m = t.nz
  var codes: [Float] = []
  for p in 0..<pairs {
    let u = Array(za.data[(p * m)..<((p + 1) * m)]), v = Array(zb.data[(p * m)..<((p + 1) * m)])
    for k in 0..<steps { codes += slerp(u, v, Float(k) / Float(steps - 1)) }
  }
  let mid = pm.decode(Tensor(shape: [pairs * steps, m], data: codes))
  let per = xa.count / pairs
  var rows: [Float] = []
  for p in 0..<pairs {
    rows += xa.data[(p * per)..<((p + 1) * per)]
    rows += mid.data[(p * steps * per)..<((p + 1) * steps * per)]
    rows += xb.data[(p * per)..<((p + 1) * per)]
  }
  var s = xa.shape; s[0] = pairs * (steps + 2)
  let columns = ["x_a"] + (0..<steps).map { String(format: "t = %.2f", Double($0) / Double(steps - 1)) } + ["x_b"]
  try PNG.write(Grid.make(Tensor(shape: s, data: rows), nrow: steps + 2, scale: 2, columnLabels: columns), to: path)
}

/// KL_real and KL_fake (encoder step), L_X and L_Z against iterations.
func writeCurves(_ run: TrainedRun, dir: String, name: String, render: Bool) throws {
  let h = run.history
  let w = max(1, run.iterations / 200)
  let m = run.spec.net.nz
  let smoothing = w > 1 ? "moving average over \(w) iterations" : "every iteration"
  let klReal = movingAverage(h["kl_real"]!, window: w)
  let floor = gaussianFitKLSphereMinimum(m)
  // The minimum as a series (not an arrow), so the y range includes it and the legend names it.
  let xs = [klReal.first?[0] ?? 0, klReal.last?[0] ?? 1]
  var klPlot = Plot(title: "\(run.spec.name): divergences of eq. (7) (encoder step; \(smoothing))",
                    xlabel: "iteration", ylabel: "Delta(. || N(0, I))", series: [
    Series(title: "KL real: Delta(e(X))", columns: ["iteration", "kl"], rows: klReal),
    Series(title: "KL fake: Delta(e(g(Z)))", columns: ["iteration", "kl"], rows: movingAverage(h["kl_fake_e"]!, window: w)),
    Series(title: "M x variance of e(x) (right axis; uniform: 1)", columns: ["iteration", "m_var"],
           rows: movingAverage(h["code_var"]!.map { $0 * Float(m) }, window: w), using: "1:2 axes x1y2", style: "lines lw 1 dt 3"),
    Series(title: "minimum of Delta on the sphere (M = \(m))", columns: ["iteration", "minimum"], rows: xs.map { [$0, floor] },
           style: "lines lw 1 dt 2", color: "gray"),
  ])
  klPlot.extra = ["set y2tics", "set y2label 'M x variance of e(x)'", "set y2range [0:*]"]
  try klPlot.write(dir: dir, name: "\(name)-curves-kl", render: render)
  var recPlot = Plot(title: "\(run.spec.name): reconstruction losses (\(smoothing))",
                     xlabel: "iteration", ylabel: "loss", series: [
    Series(title: "L_X = |x - g(e(x))|_1 (per pixel)", columns: ["iteration", "lx"], rows: movingAverage(h["recon_x"]!, window: w)),
    Series(title: "L_Z (per dimension)", columns: ["iteration", "lz"], rows: movingAverage(h["recon_z"]!, window: w)),
  ])
  recPlot.logY = true
  try recPlot.write(dir: dir, name: "\(name)-curves-recon", render: render)
}

/// Per-dimension mean and variance (times M) of the test codes; the prior has 0 and 1.
func writeCodeStats(_ s: Scores, m: Int, dir: String, name: String, title: String, render: Bool) throws {
  let rows = (0..<m).map { [Double($0), s.codeMean[$0], s.codeVariance[$0] * Double(m)] }
  var p = Plot(title: "\(title): per-dimension statistics of e(x) over test images", xlabel: "latent dimension j",
               ylabel: "value", series: [
    Series(title: "mean m_j (prior: 0)", columns: ["j", "mean", "var_times_m"], rows: rows, using: "1:2", style: "points pt 7 ps 0.6"),
    Series(title: "M * variance (prior: 1)", columns: ["j", "mean", "var_times_m"], rows: rows, using: "1:3", style: "points pt 5 ps 0.6"),
  ])
  p.extra = ["set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'gray'",
             "set arrow from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb 'gray'"]
  try p.write(dir: dir, name: name, render: render)
}
