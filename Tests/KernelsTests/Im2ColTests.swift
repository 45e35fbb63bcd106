import Kernels
import TestSupport
import Testing

/// The implicit im2col GEMM operand against the explicit im2col matrix (its slow twin), on odd
/// geometries: sizes 1 and primes, stride 1 and 2, padding 0, 1 and 2, both orientations.
@Suite("Implicit im2col against explicit im2col")
struct Im2ColTests {
  static let geometries: [ConvGeometry] = [
    ConvGeometry(n: 1, c: 1, h: 1, w: 1, k: 1, stride: 1, padding: 0),
    ConvGeometry(n: 2, c: 3, h: 7, w: 5, k: 3, stride: 1, padding: 1),
    ConvGeometry(n: 3, c: 2, h: 11, w: 13, k: 4, stride: 2, padding: 1),
    ConvGeometry(n: 1, c: 5, h: 13, w: 7, k: 4, stride: 2, padding: 2),
    ConvGeometry(n: 2, c: 7, h: 5, w: 5, k: 5, stride: 1, padding: 2),
    ConvGeometry(n: 5, c: 3, h: 4, w: 4, k: 4, stride: 1, padding: 0),
    ConvGeometry(n: 2, c: 1, h: 17, w: 9, k: 2, stride: 2, padding: 0),
    // Output rows of 16 or more positions take the contiguous and stride-2 packing paths.
    ConvGeometry(n: 2, c: 3, h: 5, w: 37, k: 3, stride: 1, padding: 1),
    ConvGeometry(n: 2, c: 2, h: 6, w: 40, k: 4, stride: 2, padding: 1),
    ConvGeometry(n: 1, c: 1, h: 4, w: 34, k: 4, stride: 2, padding: 0),
    // Output rows of 8 or 4 positions take the run-copy packing paths (stride 1 and 2).
    ConvGeometry(n: 3, c: 2, h: 8, w: 8, k: 3, stride: 1, padding: 1),
    ConvGeometry(n: 4, c: 3, h: 16, w: 16, k: 4, stride: 2, padding: 1),
    ConvGeometry(n: 5, c: 2, h: 8, w: 8, k: 4, stride: 2, padding: 1),
    ConvGeometry(n: 5, c: 2, h: 4, w: 4, k: 3, stride: 1, padding: 1),
    ConvGeometry(n: 3, c: 1, h: 9, w: 9, k: 2, stride: 1, padding: 0),
    // Rows of 16 positions (16x16 maps) and of 32 or more (the AVX-512 kernel's 32-wide panels).
    ConvGeometry(n: 2, c: 2, h: 32, w: 32, k: 4, stride: 2, padding: 1),
    ConvGeometry(n: 2, c: 2, h: 16, w: 16, k: 3, stride: 1, padding: 1),
    ConvGeometry(n: 1, c: 2, h: 6, w: 70, k: 3, stride: 1, padding: 1),
    ConvGeometry(n: 1, c: 2, h: 6, w: 70, k: 4, stride: 2, padding: 1),
  ]

  @Test("C = A im2col(x) and C = A im2col(x)^T", arguments: geometries)
  func matches(_ g: ConvGeometry) {
    let x = pattern(g.n * g.c * g.h * g.w, 5)
    var col = [Float](repeating: 0, count: g.colRows * g.colCols)
    x.withUnsafeBufferPointer { px in col.withUnsafeMutableBufferPointer { im2col(g, px.baseAddress!, $0.baseAddress!) } }
    for transposed in [false, true] {
      let k = transposed ? g.colCols : g.colRows, n = transposed ? g.colRows : g.colCols
      // 7 rows split the columns across threads; 1,000 rows split the rows, which then share packed B.
      for m in [7, 1000] {
        let a = pattern(m * k, 9)
        var fast = [Float](repeating: 0, count: m * n), ref = fast, one = fast
        a.withUnsafeBufferPointer { pa in x.withUnsafeBufferPointer { px in col.withUnsafeBufferPointer { pc in
          for t in [1, 2, 3] {
            fast.withUnsafeMutableBufferPointer {
              sgemm(m: m, n: n, k: k, a: .rowMajor(pa.baseAddress!, ld: k),
                    b: .im2col(g, px.baseAddress!, transposed: transposed), c: $0.baseAddress!, ldc: n, threads: t)
            }
            let colView = transposed ? MatrixView.transposed(pc.baseAddress!, ld: g.colCols) : .rowMajor(pc.baseAddress!, ld: g.colCols)
            ref.withUnsafeMutableBufferPointer {
              sgemmReference(m: m, n: n, k: k, a: .rowMajor(pa.baseAddress!, ld: k), b: colView, c: $0.baseAddress!, ldc: n)
            }
            #expect(closeness(fast, ref, atol: 1e-4, rtol: 1e-4) <= 1, "\(g) transposed=\(transposed) m=\(m) threads=\(t)")
            if t == 1 { one = fast } else { #expect(fast == one, "\(g) transposed=\(transposed) m=\(m): threads \(t) differ from 1") }
          }
        } } }
      }
    }
  }

  @Test("col2im against its naive twin", arguments: geometries + [
    ConvGeometry(n: 3, c: 4, h: 16, w: 16, k: 4, stride: 2, padding: 1),
    ConvGeometry(n: 2, c: 3, h: 9, w: 11, k: 3, stride: 3, padding: 1),
  ])
  func col2imMatchesReference(_ g: ConvGeometry) {
    let col = pattern(g.colRows * g.colCols, 7)
    var ref = [Float](repeating: 0, count: g.n * g.c * g.h * g.w)
    col.withUnsafeBufferPointer { pc in ref.withUnsafeMutableBufferPointer { col2imReference(g, pc.baseAddress!, $0.baseAddress!) } }
    for t in [1, 2] {
      var fast = [Float](repeating: 9, count: ref.count)
      col.withUnsafeBufferPointer { pc in fast.withUnsafeMutableBufferPointer { col2im(g, pc.baseAddress!, $0.baseAddress!, threads: t) } }
      #expect(closeness(fast, ref, atol: 1e-5, rtol: 1e-5) <= 1, "\(g) threads=\(t)")
      var acc = [Float](repeating: 1, count: ref.count)
      col.withUnsafeBufferPointer { pc in acc.withUnsafeMutableBufferPointer { col2im(g, pc.baseAddress!, $0.baseAddress!, accumulate: true, threads: t) } }
      #expect(closeness(acc, ref.map { $0 + 1 }, atol: 1e-5, rtol: 1e-5) <= 1, "accumulate \(g) threads=\(t)")
    }
  }
}
