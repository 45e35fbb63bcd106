//===--- Transfer.swift ---------------------------------------------------===//
// Colour transfer (Fig. 4b, 10): the code z_i = e(x_i | L_i) of a source colours a
// target's lightness, y_ij = g(z_i | L_j). Every test image is a source, paired with
// `targetsPerSource` other test images as targets (fixed offsets j = i + o mod n).
//
// For each image a colour statistic per channel c in {a, b}: the mean over all pixels,
// and the mean over its most saturated quarter of pixels (largest chroma sqrt(a^2 + b^2)).
// r_c(source) is Pearson's correlation over the pairs between the statistic of y_ij and
// that of x_i, r_c(target) the same against the target's own true colours x_j. Channels
// are correlated separately: pooling a and b into one vector lets any output with a
// constant colour per channel score r > 0. The summary r is the mean over a and b.
//
// Intervals: a percentile bootstrap over sources (each with its pairs), and a null made
// by permuting which source's statistic each pair is compared with (no transfer at all):
// its central 95% is the range chance alone gives.
// Reconstruction: g(e(x | L) | L) against x, beside the grayscale output's error.
//===----------------------------------------------------------------------===//
import DeepLearning
import Evaluation
import Models

let targetsPerSource = 8
let permutations = 1000

/// Mean a and b of each image of [N, 2, S, S] over all pixels, or over its `share` most saturated pixels.
func colourStatistic(_ ab: Tensor, saturatedShare share: Double? = nil) -> [(a: Double, b: Double)] {
  let (n, p) = (ab.shape[0], ab.shape[2] * ab.shape[3])
  return (0..<n).map { i in
    let a = Array(ab.data[(i * 2 * p)..<(i * 2 * p + p)]), b = Array(ab.data[(i * 2 * p + p)..<((i + 1) * 2 * p)])
    var pixels = Array(0..<p)
    if let share {
      pixels.sort { a[$0] * a[$0] + b[$0] * b[$0] > a[$1] * a[$1] + b[$1] * b[$1] }
      pixels = Array(pixels.prefix(max(1, Int(Double(p) * share))))
    }
    let m = Double(pixels.count)
    return (pixels.reduce(0.0) { $0 + Double(a[$1]) } / m * abUnits, pixels.reduce(0.0) { $0 + Double(b[$1]) } / m * abUnits)
  }
}

func pearson(_ x: [Double], _ y: [Double]) -> Double {
  let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
  var sxy = 0.0, sxx = 0.0, syy = 0.0
  for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
  return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

/// The correlations of one region (whole image or saturated pixels).
struct TransferRegion {
  var rA = 0.0, rB = 0.0, rTargetA = 0.0, rTargetB = 0.0
  /// Mean of rA and rB with its bootstrap interval over sources.
  var rSource = Interval(exact: 0)
  var rTarget: Double { (rTargetA + rTargetB) / 2 }
  /// The central 95% of the mean r when sources are permuted.
  var nullLow = 0.0, nullHigh = 0.0
  var json: [String: Any] {
    ["r_source_a": rA, "r_source_b": rB, "r_source": rSource.json, "r_target_a": rTargetA, "r_target_b": rTargetB,
     "r_target": rTarget, "null_95": [nullLow, nullHigh]]
  }
}

struct TransferScores {
  var sources = 0
  var whole = TransferRegion(), saturated = TransferRegion()
  /// |x - g(e(x | L) | L)| per test image (ab units).
  var reconL1PerInput: [Double] = []
  var reconL1: Double { mean(reconL1PerInput) }
  var json: [String: Any] {
    ["sources": sources, "targets_per_source": targetsPerSource, "permutations": permutations,
     "whole_image": whole.json, "saturated_quarter": saturated.json, "recon_ab_l1": reconL1]
  }
}

/// Codes e(x | L) [N, M] of the test images through `nets`.
func encodeAll(_ nets: PairInMode, l: Tensor, ab: Tensor) -> Tensor {
  chunked(l.shape[0]) { r in nets.encode(Tensor.concat([l.rows(Array(r)), ab.rows(Array(r))], axis: 1)) }
}

/// g(z | L) for codes of real images (the decoding statistics of `nets`), rows of l and z paired.
func decodeAll(_ nets: PairInMode, l: Tensor, z: Tensor) -> Tensor {
  let s = l.shape[2]
  return chunked(l.shape[0]) { r in
    nets.decode(Tensor.concat([l.rows(Array(r)), z.rows(Array(r)).tileSpatial(s, s)], axis: 1))
  }
}

/// Transfer and reconstruction scores of an AGE run's networks `nets` on the test images (l, ab).
func transfer(_ nets: PairInMode, l: Tensor, ab: Tensor, seed: UInt64) -> TransferScores {
  let n = l.shape[0]
  var s = TransferScores()
  s.sources = n
  let z = encodeAll(nets, l: l, ab: ab)
  s.reconL1PerInput = l1PerImage(decodeAll(nets, l: l, z: z), ab)
  guard n >= 3 else { return s }
  var rng = RandomGenerator(seed: seed)
  let offsets = Array(rng.permutation(n - 1).prefix(min(targetsPerSource, n - 1)).map { $0 + 1 })
  let src = (0..<n).flatMap { i in offsets.map { _ in i } }
  let dst = (0..<n).flatMap { i in offsets.map { (i + $0) % n } }
  let out = decodeAll(nets, l: l.rows(dst), z: z.rows(src))
  let p = offsets.count
  for share in [nil, 0.25] {
    let o = colourStatistic(out, saturatedShare: share), truth = colourStatistic(ab, saturatedShare: share)
    let oa = o.map(\.a), ob = o.map(\.b)
    func r(_ pairs: [Int], source: (Int) -> Int) -> (Double, Double) {
      (pearson(pairs.map { oa[$0] }, pairs.map { truth[source($0)].a }),
       pearson(pairs.map { ob[$0] }, pairs.map { truth[source($0)].b }))
    }
    let all = Array(0..<(n * p))
    var region = TransferRegion()
    (region.rA, region.rB) = r(all) { src[$0] }
    (region.rTargetA, region.rTargetB) = r(all) { dst[$0] }
    region.rSource = bootstrap(counts: [n], seed: seed &+ 1) { idx in
      let pairs = idx[0].flatMap { i in (0..<p).map { i * p + $0 } }
      let (a, b) = r(pairs) { src[$0] }
      return (a + b) / 2
    }
    var nullRNG = RandomGenerator(seed: seed &+ 2)
    var null = (0..<permutations).map { _ -> Double in
      let perm = nullRNG.permutation(n)
      let (a, b) = r(all) { perm[src[$0]] }
      return (a + b) / 2
    }
    null.sort()
    region.nullLow = null[Int(0.025 * Double(permutations))]
    region.nullHigh = null[Int(0.975 * Double(permutations)) - 1]
    if share == nil { s.whole = region } else { s.saturated = region }
  }
  return s
}

/// The K x K transfer matrix of the first K test images for the figure: row i*K + j is g(e(x_i | L_i) | L_j).
func transferMatrix(_ nets: PairInMode, l: Tensor, ab: Tensor) -> Tensor {
  let k = l.shape[0]
  let z = encodeAll(nets, l: l, ab: ab)
  return decodeAll(nets, l: l.rows((0..<(k * k)).map { $0 % k }), z: z.rows((0..<(k * k)).map { $0 / k }))
}
