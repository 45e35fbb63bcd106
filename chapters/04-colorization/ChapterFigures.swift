//===--- ChapterFigures.swift ---------------------------------------------===//
// The chapter's figures: Fig. 4a's panes (per grayscale input, a row of AGE
// colorizations and a row of pix2pix-with-noise colorizations), Fig. 4b/10's color
// transfer as a matrix, AGE reconstructions g(e(x | L) | L), and training curves.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Figures
import Foundation
import ImageIO
import Models

/// Rows of [grayscale input, original, 8 colorizations]: for each input of (l, ab) an AGE row, then
/// a pix2pix row (Fig. 4a). `age` and `pix` are the [8][N,2,S,S] colorizations of `l`.
func writeDiversityPanes(l: Tensor, ab: Tensor, age: [Tensor], pix: [Tensor], path: String) throws {
  let gray = LabImages.rgb(l: l, ab: Tensor(zeros: ab.shape))
  let real = LabImages.rgb(l: l, ab: ab)
  let systems = [age, pix].map { $0.map { LabImages.rgb(l: l, ab: $0) } }
  var rows: [Tensor] = []
  for k in 0..<l.shape[0] {
    for system in systems { rows += [gray.rows([k]), real.rows([k])] + system.map { $0.rows([k]) } }
  }
  let rowLabels = (0..<l.shape[0]).flatMap { _ in ["AGE", "pix2pix"] }
  try PNG.write(Grid.make(Tensor.concat(rows, axis: 0), nrow: 2 + age.count, scale: 2,
                          columnLabels: ["input", "original"] + (1...age.count).map { "sample \($0)" }, rowLabels: rowLabels), to: path)
}

/// The transfer matrix of the first `shown` sources and targets: the top row holds the sources
/// x_i, the left column the grayscale targets L_j, and cell (j, i) is g(e(x_i | L_i) | L_j).
/// `out` is [K*K, 2, S, S] with row i*K + j for the K images of (l, ab).
func writeTransfer(l: Tensor, ab: Tensor, out: Tensor, shown k: Int, path: String) throws {
  let bigK = l.shape[0], s = l.shape[2]
  let shownL = l.rows(Array(0..<k))
  let sources = LabImages.rgb(l: shownL, ab: ab.rows(Array(0..<k)))
  let targets = LabImages.rgb(l: shownL, ab: Tensor(zeros: [k, 2, s, s]))
  var rows: [Tensor] = [Tensor(repeating: 1, shape: [1, 3, s, s]), sources]
  for j in 0..<k {
    rows.append(targets.rows([j]))
    rows.append(LabImages.rgb(l: l.rows(Array(repeating: j, count: k)), ab: out.rows((0..<k).map { $0 * bigK + j })))
  }
  try PNG.write(Grid.make(Tensor.concat(rows, axis: 0), nrow: k + 1, scale: 2,
                          columnLabels: [""] + (1...k).map { "source \($0)" }, rowLabels: [""] + (1...k).map { "target \($0)" }), to: path)
}

/// Test images and their AGE reconstructions `rec` = g(e(x | L) | L) in alternating columns.
func writeReconstructions(l: Tensor, ab: Tensor, rec: Tensor, path: String) throws {
  try PNG.write(Grid.pairs(real: LabImages.rgb(l: l, ab: ab), reconstructed: LabImages.rgb(l: l, ab: rec),
                           pairsPerRow: 8, scale: 2, labelled: true), to: path)
}

/// The moving-average window for a curve of `n` points (about 200 points drawn).
func window(_ n: Int) -> Int { max(1, n / 200) }

/// Training curves of one conditional AGE run (moving averages).
func writeCurves(age: ColorRun, dir: String, name: String) throws {
  let h = age.history, w = window(age.iterations)
  var series = [
    Series(title: "KL real: Delta(e(X|L))", columns: ["iteration", "v"], rows: movingAverage(h["kl_real"]!, window: w)),
    Series(title: "KL fake: Delta(e(g(Z|L)|L))", columns: ["iteration", "v"], rows: movingAverage(h["kl_fake_e"]!, window: w)),
    Series(title: "L_X = |x - g(e(x|L)|L)|_1", columns: ["iteration", "v"], rows: movingAverage(h["recon_x"]!, window: w)),
    Series(title: "L_Z in g's steps", columns: ["iteration", "v"], rows: movingAverage(h["recon_z"]!, window: w)),
  ]
  if age.spec.recipe.age.encoderLZ > 0 {
    series.append(Series(title: "L_Z in e's step", columns: ["iteration", "v"], rows: movingAverage(h["recon_z_e"]!, window: w)))
  }
  var p = Plot(title: "\(name): conditional AGE losses" + (w > 1 ? " (moving average, \(w) iterations)" : ""),
               xlabel: "iteration", ylabel: "loss", series: series)
  p.logY = true
  try p.write(dir: dir, name: "\(name)-curves")
}

/// Training curves of a pix2pix run (moving averages).
func writePix2PixCurves(_ pix: ColorRun, dir: String, name: String) throws {
  let h = pix.history, w = window(pix.iterations)
  var q = Plot(title: "\(name): pix2pix losses" + (w > 1 ? " (moving average, \(w) iterations)" : ""),
               xlabel: "iteration", ylabel: "loss", series: [
    Series(title: "D: BCE", columns: ["iteration", "v"], rows: movingAverage(h["loss_d"]!, window: w)),
    Series(title: "G: BCE", columns: ["iteration", "v"], rows: movingAverage(h["gan_g"]!, window: w)),
    Series(title: "G: L1 (scaled ab)", columns: ["iteration", "v"], rows: movingAverage(h["l1"]!, window: w)),
  ])
  q.logY = true
  try q.write(dir: dir, name: "\(name)-curves")
}

/// Best-of-N ab L1 against N for every system of a setting, with the grayscale output as a reference line.
func writeBestOfN(_ r: SettingResult, dir: String, name: String) throws {
  // AGE's recipes share AGE's hue family, pix2pix keeps its system colour.
  let ageColors = [Style.color(ofSystem: "AGE")!, "#E69F00", "#CC79A7"]
  var series = (r.ages + [r.pix]).enumerated().map { i, x in
    Series(title: x.run.age == nil ? "pix2pix + noise" : "AGE \(x.run.spec.recipe.name)", columns: ["N", "ab_l1"],
           rows: x.main.bestOfN.enumerated().map { [Double($0.offset + 1), $0.element] }, style: "linespoints lw 2 pt 7 ps 0.6",
           color: x.run.age == nil ? nil : ageColors[i % ageColors.count])
  }
  series.append(Series(title: "grayscale (ab = 0)", columns: ["N", "ab_l1"],
                       rows: [[1, r.reference.grayL1], [Double(samplesPerInput), r.reference.grayL1]], style: "lines lw 2 dt 2 lc rgb 'black'"))
  var p = Plot(title: "\(r.source.name): best-of-N colorization error (\(r.evalInputs) test inputs)", xlabel: "N (colorizations per input)",
               ylabel: "mean best-of-N ab L1 (ab units)", series: series)
  p.logX = true
  p.logY = true   // the recipes differ by up to tenfold (the first round's about 50-90 ab, the others about 8-13)
  // The y range ends at the data, not at whole decades, with labelled tics inside it.
  p.extra = ["set autoscale yfix", "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05",
             "set ytics (1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300)"]
  try p.write(dir: dir, name: name)
}
