//===--- Bootstrap.swift --------------------------------------------------===//
// Percentile bootstrap intervals (Efron and Tibshirani 1993, ch. 13): resample the
// items with replacement, recompute the statistic, and take the central `level`
// share of the resampled values. The items are test images or samples; the
// generator is seeded, so an interval is reproducible.
//===----------------------------------------------------------------------===//
import DeepLearning

/// A value with a confidence interval.
public struct Interval: Sendable, Equatable {
  public var value: Double, low: Double, high: Double
  /// A point estimate with its interval.
  public init(value: Double, low: Double, high: Double) { self.value = value; self.low = low; self.high = high }
  /// A value known exactly (no resampling).
  public init(exact v: Double) { self.init(value: v, low: v, high: v) }
  public var json: [String: Double] { ["value": value, "low": low, "high": high] }
  /// "0.71 [0.69, 0.73]".
  public func text(_ digits: Int = 2) -> String {
    let f = { (x: Double) in String(format: "%.\(digits)f", x) }
    return "\(f(value)) [\(f(low)), \(f(high))]"
  }
}

/// The percentile bootstrap interval of `statistic` over `count` items: `statistic` receives
/// one list of item indices per set (every set resampled independently, `counts[s]` items),
/// and is called once with the identity resamples for the point value.
public func bootstrap(counts: [Int], resamples: Int = 200, level: Double = 0.95, seed: UInt64 = 0,
                      statistic: ([[Int]]) -> Double) -> Interval {
  precondition(resamples >= 10 && level > 0 && level < 1 && counts.allSatisfy { $0 > 0 },
               "bootstrap: needs items in every set, >= 10 resamples and 0 < level < 1")
  let value = statistic(counts.map { Array(0..<$0) })
  var rng = RandomGenerator(seed: seed)
  var values: [Double] = []
  for _ in 0..<resamples {
    values.append(statistic(counts.map { n in (0..<n).map { _ in rng.int(below: n) } }))
  }
  values.sort()
  let tail = (1 - level) / 2
  func quantile(_ q: Double) -> Double {   // linear interpolation between order statistics
    let p = q * Double(values.count - 1), i = Int(p), f = p - Double(i)
    return i + 1 < values.count ? values[i] * (1 - f) + values[i + 1] * f : values[i]
  }
  return Interval(value: value, low: quantile(tail), high: quantile(1 - tail))
}

/// The bootstrap interval of the mean of per-item values.
public func bootstrapMean(_ x: [Double], resamples: Int = 200, level: Double = 0.95, seed: UInt64 = 0) -> Interval {
  bootstrap(counts: [x.count], resamples: resamples, level: level, seed: seed) { idx in
    idx[0].reduce(0.0) { $0 + x[$1] } / Double(idx[0].count)
  }
}
