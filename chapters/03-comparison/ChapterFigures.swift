//===--- ChapterFigures.swift ---------------------------------------------===//
// The chapter's figures: test reconstructions laid out like the paper's Fig. 3
// (columns: test image | AGE | ALI after the same epochs | ALI trained longer |
// VAE | AAE | alpha-GAN | BiGAN), samples of every system (one row each), and
// reconstruction error and Frechet distance against seconds of training, all
// systems in one gnuplot plot each.
//===----------------------------------------------------------------------===//
import ChapterKit
import DeepLearning
import Figures
import Foundation
import ImageIO

/// Interleaves columns: row i holds image i of every tensor in `columns`, in order.
func interleave(_ columns: [Tensor]) -> Tensor {
  let n = columns[0].shape[0], per = columns[0].count / n
  var d: [Float] = []
  d.reserveCapacity(n * per * columns.count)
  for i in 0..<n { for c in columns { d += c.data[(i * per)..<((i + 1) * per)] } }
  var s = columns[0].shape; s[0] = n * columns.count
  return Tensor(shape: s, data: d)
}

/// Fig. 3's layout from the images of the first test examples and each system's reconstructions.
func writeReconstructionGrid(test: Tensor, columns: [(String, Tensor)], path: String) throws {
  let columns = Style.inSystemOrder(columns) { $0.0 }
  try PNG.write(Grid.make(interleave([test] + columns.map { $0.1 }), nrow: columns.count + 1, scale: 2,
                          columnLabels: ["test image"] + columns.map { $0.0 }), to: path)
}

/// One row of samples per system.
func writeSampleRows(_ rows: [(String, Tensor)], path: String) throws {
  let rows = Style.inSystemOrder(rows) { $0.0 }
  let all = rows.map { $0.1 }
  let n = all[0].shape[0]
  var s = all[0].shape; s[0] = n * all.count
  try PNG.write(Grid.make(Tensor(shape: s, data: all.flatMap { $0.data }), nrow: n, scale: 2, rowLabels: rows.map { $0.0 }),
                to: path)
}

/// Quality against training seconds for every system with a curve.
func writeQualityCurves(_ runs: [(String, SystemRun)], dir: String, render: Bool) throws {
  func series(_ key: String) -> [Series] {
    runs.compactMap { name, run in
      guard let t = run.history["curve_seconds"], let y = run.history[key], !y.isEmpty else { return nil }
      return Series(title: name, columns: ["seconds", key], rows: zip(t, y).map { [Double($0), Double($1)] },
                    style: "linespoints lw 2 pt 7")
    }
  }
  let l1 = Plot(title: "Test reconstruction error against training time", xlabel: "training seconds",
                ylabel: "L1 per pixel on [-1, 1]", series: series("curve_l1"))
  if !l1.series.isEmpty { _ = try l1.write(dir: dir, name: "quality-time-l1", render: render) }
  var fd = Plot(title: "Frechet distance of samples against training time", xlabel: "training seconds",
                ylabel: "Frechet distance (classifier features)", series: series("curve_fd"))
  fd.logY = true
  if !fd.series.isEmpty { _ = try fd.write(dir: dir, name: "quality-time-fd", render: render) }
}

/// The likelihood models' validation curves (one plot per measure) and the AIS estimate against T.
func writeLikelihoodFigures(_ l: LikelihoodResults, dir: String) throws {
  func curve(_ pick: (LikelihoodScore) -> [Float]) -> [Series] {
    l.scores.compactMap { sc in
      let y = pick(sc)
      guard !y.isEmpty else { return nil }
      return Series(title: displayName(sc.key), columns: ["epoch", "value"], rows: y.enumerated().map { [Double($0.offset + 1), Double($0.element)] },
                    style: "linespoints lw 2 pt 7 ps 0.5")
    }
  }
  var se = Plot(title: "Likelihood models: validation reconstruction error", xlabel: "epoch",
                ylabel: "|x - g(e(x))|^2 per digit on [0, 1]", series: curve(\.curveSE))
  se.logY = true
  if !se.series.isEmpty { try se.write(dir: dir, name: "likelihood-validation-recon") }
  var fd = Plot(title: "Likelihood models: FD of 7x7-pooled samples", xlabel: "epoch", ylabel: "Frechet distance (pooled pixels)",
                series: curve(\.curveFD))
  fd.logY = true
  if !fd.series.isEmpty { try fd.write(dir: dir, name: "likelihood-validation-fd") }
  let sweeps = l.scores.filter { !$0.sweep.isEmpty }.map { sc in
    Series(title: displayName(sc.key), columns: ["distributions", "mean_log_p"], rows: sc.sweep.map { [Double($0.distributions), $0.mean] },
           style: "linespoints lw 2 pt 7")
  }
  if !sweeps.isEmpty {
    var p = Plot(title: "AIS estimate against the number of distributions T", xlabel: "T (intermediate distributions)",
                 ylabel: "mean log p(x), nats", series: sweeps)
    p.logX = true
    try p.write(dir: dir, name: "likelihood-ais-sweep")
  }
}
