//===--- ChapterFigures.swift ---------------------------------------------===//
// The chapter's figures: Fig. 4a's panes (per grayscale input, a row of AGE
// colorizations and a row of pix2pix-with-noise colorizations), Fig. 4b/10's color
// transfer as a matrix, AGE reconstructions g(e(x | L) | L), and training curves.
//===----------------------------------------------------------------------===//
import Datasets
import DeepLearning
import Figures
import Foundation
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
  try PNG.write(Grid.make(Tensor.concat(rows, axis: 0), nrow: 2 + age.count, scale: 2), to: path)
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
  try PNG.write(Grid.make(Tensor.concat(rows, axis: 0), nrow: k + 1, scale: 2), to: path)
}

/// Test images and their AGE reconstructions g(e(x | L) | L) in alternating columns.
func writeReconstructions(_ t: ConditionalAGETrainer, l: Tensor, ab: Tensor, path: String) throws {
  t.e.eval(); t.g.eval()
  let rec = withNoGrad { colorize(t.g, l: l, z: encodeLab(t.e, l: l, ab: ab)) }
  try PNG.write(Grid.pairs(real: LabImages.rgb(l: l, ab: ab), reconstructed: LabImages.rgb(l: l, ab: rec),
                           pairsPerRow: 8, scale: 2), to: path)
}

/// Training curves of both systems (moving averages).
func writeCurves(age: ColorRun, pix: ColorRun?, dir: String, name: String) throws {
  let w = max(1, age.iterations / 200)
  let h = age.history
  var p = Plot(title: "\(name): conditional AGE losses (moving average over \(w) iterations)", xlabel: "iteration",
               ylabel: "loss", series: [
    Series(title: "KL real: Delta(e(X|L))", columns: ["iteration", "v"], rows: movingAverage(h["kl_real"]!, window: w)),
    Series(title: "KL fake: Delta(e(g(Z|L)|L))", columns: ["iteration", "v"], rows: movingAverage(h["kl_fake_e"]!, window: w)),
    Series(title: "L_X = |x - g(e(x|L)|L)|_1", columns: ["iteration", "v"], rows: movingAverage(h["recon_x"]!, window: w)),
    Series(title: "L_Z = |z - e(g(z|L)|L)|^2", columns: ["iteration", "v"], rows: movingAverage(h["recon_z"]!, window: w)),
  ])
  p.logY = true
  try p.write(dir: dir, name: "\(name)-curves-age")
  if let pix {
    let w2 = max(1, pix.iterations / 200)
    var q = Plot(title: "\(name): pix2pix losses (moving average over \(w2) iterations)", xlabel: "iteration",
                 ylabel: "loss", series: [
      Series(title: "D: BCE", columns: ["iteration", "v"], rows: movingAverage(pix.history["loss_d"]!, window: w2)),
      Series(title: "G: BCE", columns: ["iteration", "v"], rows: movingAverage(pix.history["gan_g"]!, window: w2)),
      Series(title: "G: L1 (scaled ab)", columns: ["iteration", "v"], rows: movingAverage(pix.history["l1"]!, window: w2)),
    ])
    q.logY = true
    try q.write(dir: dir, name: "\(name)-curves-pix2pix")
  }
}
