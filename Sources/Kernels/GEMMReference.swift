//===--- GEMMReference.swift ----------------------------------------------===//
// The slow twin of `sgemm`: a plain triple loop accumulating in Double. It is
// the oracle for the tests and for the benchmark's pre-timing check.
//===----------------------------------------------------------------------===//

/// C[m x n] = alpha * A * B + beta * C, naively, with Double accumulation.
public func sgemmReference(
  m: Int, n: Int, k: Int, alpha: Float = 1,
  a: MatrixView, b: MatrixView, beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k {
        s += Double(a.base[i * a.rowStride + p * a.colStride]) * Double(b.base[p * b.rowStride + j * b.colStride])
      }
      let old: Double = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
      c[i * ldc + j] = Float(Double(alpha) * s + old)
    }
  }
}
