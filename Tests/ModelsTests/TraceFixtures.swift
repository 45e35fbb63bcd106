import Foundation

/// What the reference-trace tests share (ReferenceTraceTests, ALITraceTests): where the fixtures written by
/// tools/trace/*.py live, and the error measure they compare tensors with.
enum TraceFixtures {
  /// The path of `name` in Fixtures/ beside this file.
  static func path(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
  }

  /// |a - b| / |b| over a whole tensor (Euclidean norms).
  static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var d = 0.0, n = 0.0
    for (x, y) in zip(a, b) { d += Double(x - y) * Double(x - y); n += Double(y) * Double(y) }
    return (d / max(n, 1e-30)).squareRoot()
  }
}
