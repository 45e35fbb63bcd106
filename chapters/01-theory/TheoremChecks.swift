//===--- TheoremChecks.swift ----------------------------------------------===//
// Theorems 1 and 2 in one dimension: for a family of generators g_t moving
// through the perfect generator g* (at t = 1), train an encoder to maximize
//   V1(g, e) = Delta(e(g(Z)) || e(X))                        (game 1)
//   V2(g, e) = Delta(e(g(Z)) || Y) - Delta(e(X) || Y), Y = Z  (game 2)
// and record the best value: it should be ~0 exactly at t = 1 and positive
// elsewhere. Delta is eq. (7) (Gaussian fit) or a differentiable
// nearest-neighbour (Kozachenko-Leonenko) estimate (via sorting in 1-D,
// pairwise distances and a min reduction in 2-D).
//===----------------------------------------------------------------------===//
import ChapterKit
import DeepLearning
import Figures
import Foundation
import Libm

/// The data: X = g*(Z), Z ~ N(0, 1), with the monotone map g*(z) = z + 0.8 tanh(3z) (bimodal X).
func gStar(_ z: Tensor) -> Tensor { z + (z * 3).tanh() * 0.8 }
/// g_t = (1 - t) g0 + t g*, with g0(z) = 0.6 z + 0.5; g_1 = g* is the perfect generator.
func gFamily(_ t: Float, _ z: Tensor) -> Tensor { (z * 0.6 + 0.5) * (1 - t) + gStar(z) * t }

/// A floor on fitted variances: an encoder maximizing V can collapse one sample's codes to a point
/// (variance 0, divergence +infinity: the paper's "+infinity score"); the floor keeps values finite.
let varianceFloor: Float = 1e-3

/// Eq. (7) on [N, M] codes with the variance floor: mean_j ((v_j + m_j^2)/2 - log(v_j)/2) - 1/2.
func gaussianFitFloored(_ p: Tensor) -> Tensor {
  let m = p.mean(axes: [0], keepDims: true)
  let v = (p - m).square().mean(axes: [0], keepDims: true) + varianceFloor
  return ((v + m.square()) * 0.5 - v.log() * 0.5).mean() - 0.5
}

/// KL(N(m1, diag v1) || N(m2, diag v2)) between diagonal Gaussian fits of two [N, M] samples,
/// averaged over dimensions (variances floored).
func gaussianFitKL2(_ p: Tensor, _ q: Tensor) -> Tensor {
  let m1 = p.mean(axes: [0], keepDims: true), m2 = q.mean(axes: [0], keepDims: true)
  let v1 = (p - m1).square().mean(axes: [0], keepDims: true) + varianceFloor
  let v2 = (q - m2).square().mean(axes: [0], keepDims: true) + varianceFloor
  return ((v2.log() - v1.log()) * 0.5 + (v1 + (m1 - m2).square()) / (v2 * 2)).mean() - 0.5
}

/// Elementwise min(a, b) = (a + b - |a - b|) / 2 (differentiable almost everywhere).
func elementMin(_ a: Tensor, _ b: Tensor) -> Tensor { (a + b - (a - b).abs()) * 0.5 }

/// Nearest-neighbour distances within a 1-D sample [N, 1] (via sorting; the order is data, not graph).
func nnDistances1D(_ u: Tensor) -> Tensor {
  let n = u.shape[0]
  let order = (0..<n).sorted { u.data[$0] < u.data[$1] }
  let s = u.rows(order)
  let d = s.narrow(axis: 0, start: 1, length: n - 1) - s.narrow(axis: 0, start: 0, length: n - 1)  // gaps [N-1, 1]
  let inner = elementMin(d.narrow(axis: 0, start: 0, length: n - 2), d.narrow(axis: 0, start: 1, length: n - 2))
  return Tensor.concat([d.narrow(axis: 0, start: 0, length: 1), inner, d.narrow(axis: 0, start: n - 2, length: 1)], axis: 0) + 1e-6
}

/// Kozachenko-Leonenko KL(Q || N(0, 1)) of a 1-D sample: -H(Q) + E[u^2]/2 + log(2 pi)/2,
/// H = psi(N) - psi(1) + log 2 + mean log eps_i.
func knnKL1D(_ u: Tensor) -> Tensor {
  let n = u.shape[0]
  let h = nnDistances1D(u).log().mean() + Float(digamma(n) - digamma(1) + Math.log(2.0))
  return u.square().mean() * 0.5 + Float(0.5 * Math.log(2 * Double.pi)) - h
}

/// Two-sample k-NN KL(P || Q) for 1-D samples (Wang et al. 2009, k = 1).
func knnKL2_1D(_ p: Tensor, _ q: Tensor) -> Tensor {
  let n = p.shape[0], m = q.shape[0]
  let sortedQ = (0..<m).sorted { q.data[$0] < q.data[$1] }
  // Nearest point of q for each point of p, by binary search (an index choice, not differentiated).
  var nearest = [Int](repeating: 0, count: n)
  for i in 0..<n {
    let v = p.data[i]
    var lo = 0, hi = m - 1
    while lo < hi { let mid = (lo + hi) / 2; if q.data[sortedQ[mid]] < v { lo = mid + 1 } else { hi = mid } }
    var best = sortedQ[lo]
    if lo > 0 && abs(q.data[sortedQ[lo - 1]] - v) < abs(q.data[best] - v) { best = sortedQ[lo - 1] }
    nearest[i] = best
  }
  let nu = (p - q.rows(nearest)).abs() + 1e-6
  // rho: nearest neighbour within p, in p's original order.
  let order = (0..<n).sorted { p.data[$0] < p.data[$1] }
  var inverse = [Int](repeating: 0, count: n)
  for (r, i) in order.enumerated() { inverse[i] = r }
  let rho = nnDistances1D(p).rows(inverse)
  return (nu.log() - rho.log()).mean() + Float(Math.log(Double(m) / Double(n - 1)))
}

/// Squared distances between the rows of p [n, d] and q [m, d], shape [n, m].
func pairwiseSquaredDistances(_ p: Tensor, _ q: Tensor) -> Tensor {
  let pp = p.square().sum(axes: [1], keepDims: true), qq = q.square().sum(axes: [1], keepDims: true)
  return pp + qq.T - p.matmul(q.T) * 2
}

/// Nearest-neighbour distances within an [n, d] sample (the point itself masked out).
func nnDistances(_ u: Tensor) -> Tensor {
  let n = u.shape[0]
  var mask = [Float](repeating: 0, count: n * n)
  for i in 0..<n { mask[i * n + i] = 1e9 }
  let d2 = pairwiseSquaredDistances(u, u) + Tensor(shape: [n, n], data: mask)
  return (d2.min(axis: 1).clamp(0, 1e9) + 1e-10).sqrt()
}

/// Kozachenko-Leonenko KL(Q || N(0, I_d)) of an [n, d] sample:
/// E|u|^2/2 + (d/2) log(2 pi) - H, H = psi(n) - psi(1) + log V_d + d mean log eps_i.
func knnKLnD(_ u: Tensor) -> Tensor {
  let n = u.shape[0], d = Double(u.shape[1])
  let logBall = (d / 2) * Math.log(Double.pi) - Math.lgamma(d / 2 + 1)
  let h = nnDistances(u).log().mean() * Float(d) + Float(digamma(n) - digamma(1) + logBall)
  return u.square().sum(axes: [1]).mean() * 0.5 + Float(d / 2 * Math.log(2 * Double.pi)) - h
}

/// Two-sample k-NN KL(P || Q) for [n, d] and [m, d] samples (Wang et al. 2009, k = 1).
func knnKL2nD(_ p: Tensor, _ q: Tensor) -> Tensor {
  let n = p.shape[0], m = q.shape[0], d = Float(p.shape[1])
  let nu = (pairwiseSquaredDistances(p, q).min(axis: 1).clamp(0, 1e9) + 1e-10).sqrt()
  return (nu.log() - nnDistances(p).log()).mean() * d + Float(Math.log(Double(m) / Double(n - 1)))
}

enum Divergence1D: String { case eq7 = "eq. (7)", knn = "k-NN" }

/// The best encoder's value of game 1 or 2 along g_t, for data of dimension `dim` (1 or 2; the maps
/// act coordinatewise) with divergence `div`. Returns rows [t, value].
func bestEncoderValues(game: Int, dim: Int, div: Divergence1D, ts: [Float], steps: Int) -> [[Double]] {
  // Quadratic-cost estimates train on smaller batches and are evaluated on smaller samples.
  let quadratic = div == .knn && dim > 1
  let batch = quadratic ? 256 : 512, evalN = quadratic ? 1024 : 4096
  var rows: [[Double]] = []
  for t in ts {
    var rng = RandomGenerator(seed: 100 + UInt64(game) + 10 * UInt64(dim))   // the same encoder init for every t
    let e = Sequential(mlp([dim, 32, 32, dim], act: { Tanh() }, rng: &rng), Tanh())
    let opt = Adam(e.parameters, lr: 3e-3)
    func value(_ zf: Tensor, _ zr: Tensor) -> Tensor {
      let ef = e(gFamily(t, zf)) * 3, er = e(gStar(zr)) * 3   // codes in (-3, 3)
      switch (div, game) {
      case (.eq7, 1): return gaussianFitKL2(ef, er)
      case (.eq7, _): return gaussianFitFloored(ef) - gaussianFitFloored(er)
      case (.knn, 1): return dim == 1 ? knnKL2_1D(ef, er) : knnKL2nD(ef, er)
      case (.knn, _): return dim == 1 ? knnKL1D(ef) - knnKL1D(er) : knnKLnD(ef) - knnKLnD(er)
      }
    }
    for _ in 0..<steps {
      opt.zeroGrad()
      (-value(Tensor.normal([batch, dim], rng: &rng), Tensor.normal([batch, dim], rng: &rng))).backward()
      opt.step()
    }
    // The value of the trained encoder on fresh, larger samples.
    var v = 0.0
    for _ in 0..<4 { v += Double(withNoGrad { value(Tensor.normal([evalN, dim], rng: &rng), Tensor.normal([evalN, dim], rng: &rng)) }.item) / 4 }
    rows.append([Double(t), v])
  }
  return rows
}

/// Theorem 1 (game 1) or 2 (game 2), in 1-D and 2-D, with eq. (7) and with k-NN.
func theoremCheck(game: Int) -> Check {
  Check(
    id: "theorem-\(game)",
    claim: game == 1
      ? "Theorem 1: in game (1), V1 = Delta(e(g(Z)) || e(X)), the best encoder's value is ~0 exactly at the perfect generator and positive away from it"
      : "Theorem 2: in game (2), V2 = Delta(e(g(Z)) || Y) - Delta(e(X) || Y), the best encoder's value is ~0 exactly at the perfect generator and positive away from it",
    paper: "Theorem \(game)"
  ) { ctx in
    let ts: [Float] = [0, 0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5]
    let steps = max(10, ctx.budget.steps / 3)
    var curves: [String: [[Double]]] = [:]
    for (dim, div) in [(1, Divergence1D.eq7), (1, .knn), (2, .eq7), (2, .knn)] {
      curves["\(dim)-D, \(div.rawValue)"] = bestEncoderValues(game: game, dim: dim, div: div, ts: ts, steps: steps)
    }
    let series = curves.keys.sorted().map { Series(title: $0, columns: ["t", "value"], rows: curves[$0]!, style: "linespoints lw 2 pt 7") }
    var p = Plot(title: "Game (\(game)): best encoder value along g_t = (1 - t) g_0 + t g* (g_1 = g*, the perfect generator)",
                 xlabel: "t", ylabel: "max_e V\(game)(g_t, e)", series: series)
    p.extra = ["set arrow from 1, graph 0 to 1, graph 1 nohead dt 2"] + offScale(curves)
    try p.write(dir: ctx.out, name: "theorem\(game)")
    // Per curve: ~0 at t = 1 (below 10% of the largest value, or below 0.02) and clearly positive at t = 0 and 1.5.
    var ok = 0
    var table: [String: Any] = [:]
    var failing: [String] = []
    for (k, rows) in curves.sorted(by: { $0.key < $1.key }) {
      let at1 = rows.first { $0[0] == 1 }![1], mx = rows.map { $0[1] }.max()!
      let floor = 3 * max(abs(at1), 0.01)
      let good = abs(at1) < max(0.1 * mx, 0.02) && rows.first![1] > floor && rows.last![1] > floor
      if good { ok += 1 } else { failing.append(k) }
      table[k] = ["value_at_perfect": at1, "value_at_t0": rows.first![1], "value_at_t1.5": rows.last![1], "pattern_holds": good ? "yes" : "no"]
    }
    return CheckResult(
      verdict: ok == curves.count ? .holds : (ok > 0 ? .partly : .fails),
      summary: "pattern holds for \(ok) of \(curves.count) settings" + (failing.isEmpty ? "" : " (not for: \(failing.joined(separator: "; ")))")
        + "; 1-D eq. (7): \(fmt(curves["1-D, eq. (7)"]!.first![1])) at t=0, \(fmt(curves["1-D, eq. (7)"]!.first { $0[0] == 1 }![1])) at t=1",
      numbers: ["steps": steps, "t": ts.map { Double($0) }, "curves": table])
  }
}

let theorem1Check = theoremCheck(game: 1)
let theorem2Check = theoremCheck(game: 2)

/// gnuplot commands that keep one runaway value from squashing the other curves: when the largest value
/// exceeds 3x the 90th percentile, the y axis stops above the rest and a label gives the values left out.
func offScale(_ curves: [String: [[Double]]]) -> [String] {
  let values = curves.values.flatMap { $0.map { $0[1] } }.filter(\.isFinite).sorted()
  guard values.count >= 10, let top = values.last else { return [] }
  let p90 = values[values.count * 9 / 10]
  guard p90 > 0, top > 3 * p90 else { return [] }
  let kept = values.last { $0 <= 3 * p90 }!
  let outside = curves.keys.sorted().flatMap { k in
    curves[k]!.filter { $0[1] > 3 * p90 }.map { "\(k) at t = \(String(format: "%.2g: %.3g", $0[0], $0[1]))" }
  }
  return [String(format: "set yrange [*:%.4g]", kept * 1.25),
          "set label \"off scale: \(outside.joined(separator: "; "))\" at graph 0.02, graph 0.95 left"]
}
