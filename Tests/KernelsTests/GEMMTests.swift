@testable import Kernels
import Libm
import TestSupport
import Testing

/// Fills a buffer with a deterministic ramp-like pattern in [-1, 1].
func pattern(_ n: Int, _ seed: Int) -> [Float] {
  (0..<n).map { i in Float(((i &* 2654435761 &+ seed &* 40503) % 2001) - 1000) / 1000 }
}

@Suite("GEMM against the naive reference")
struct GEMMTests {
  static let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (1, 17, 5), (17, 1, 5), (2, 3, 1), (6, 16, 8), (7, 17, 9), (5, 15, 257), (13, 33, 300),
    (37, 53, 61), (72, 32, 256), (73, 1025, 3), (100, 31, 513), (128, 64, 1),
    (11, 16, 7), (12, 16, 8), (25, 17, 9), (24, 48, 300),   // around the AVX-512 kernel's 12 rows
    (12, 32, 8), (13, 33, 9), (11, 31, 7), (24, 64, 300), (12, 95, 260),   // and its 32 columns
    (1500, 1100, 20), (301, 40, 300),   // rows split across threads sharing packed B, over several column blocks
  ]

  /// Whichever micro-kernel this machine builds (AVX-512 12x32 or AVX2 6x16), every element of C is
  /// the same chain of fused multiply-adds over k, in kc blocks: bit-identical to this scalar
  /// reference, so results do not depend on the instruction set the package was built for.
  @Test("bit-identical to a fused multiply-add chain in kc blocks", arguments: [(7, 17, 9), (25, 33, 300), (13, 16, 600)])
  func accumulationOrder(_ s: (Int, Int, Int)) {
    print("GEMM micro-kernel in this build: \(gemmKernelName)")
    let (m, n, k) = s
    let a = pattern(m * k, 4), b = pattern(k * n, 5)
    var c = [Float](repeating: 0, count: m * n)
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer {
      sgemm(m: m, n: n, k: k, a: .rowMajor(pa.baseAddress!, ld: k), b: .rowMajor(pb.baseAddress!, ld: n),
            c: $0.baseAddress!, ldc: n, threads: 2)
    } } }
    var mismatches = 0
    for i in 0..<m { for j in 0..<n {
      var total: Float = 0
      for p0 in stride(from: 0, to: k, by: gemmKC) {
        var acc: Float = 0
        for p in p0..<min(k, p0 + gemmKC) { acc = acc.addingProduct(a[i * k + p], b[p * n + j]) }
        total = p0 == 0 ? acc : total + acc
      }
      if total.bitPattern != c[i * n + j].bitPattern { mismatches += 1 }
    } }
    #expect(mismatches == 0, "\(gemmKernelName): \(mismatches) of \(m * n) elements differ from the FMA chain")
  }

  @Test("row-major operands, odd shapes", arguments: shapes)
  func plain(_ s: (Int, Int, Int)) {
    let (m, n, k) = s
    check(m, n, k, transA: false, transB: false, alpha: 1, beta: 0)
  }

  @Test("transposed operands with alpha and beta", arguments: [(false, true), (true, false), (true, true)])
  func transposed(_ t: (Bool, Bool)) {
    for (m, n, k) in [(7, 17, 9), (37, 53, 61), (13, 33, 300), (301, 40, 300)] {
      check(m, n, k, transA: t.0, transB: t.1, alpha: 0.5, beta: 0.25)
    }
  }

  func check(_ m: Int, _ n: Int, _ k: Int, transA: Bool, transB: Bool, alpha: Float, beta: Float) {
    let a = pattern(m * k, 1), b = pattern(k * n, 2), c0 = pattern(m * n, 3)
    var c1 = c0, c2 = c0, c3 = c0, c4 = c0
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
      let av = transA ? MatrixView.transposed(pa.baseAddress!, ld: m) : .rowMajor(pa.baseAddress!, ld: k)
      let bv = transB ? MatrixView.transposed(pb.baseAddress!, ld: k) : .rowMajor(pb.baseAddress!, ld: n)
      c1.withUnsafeMutableBufferPointer {
        sgemm(m: m, n: n, k: k, alpha: alpha, a: av, b: bv, beta: beta, c: $0.baseAddress!, ldc: n, threads: 1)
      }
      c2.withUnsafeMutableBufferPointer {
        sgemm(m: m, n: n, k: k, alpha: alpha, a: av, b: bv, beta: beta, c: $0.baseAddress!, ldc: n, threads: 2)
      }
      c4.withUnsafeMutableBufferPointer {
        sgemm(m: m, n: n, k: k, alpha: alpha, a: av, b: bv, beta: beta, c: $0.baseAddress!, ldc: n, threads: 3)
      }
      c3.withUnsafeMutableBufferPointer {
        sgemmReference(m: m, n: n, k: k, alpha: alpha, a: av, b: bv, beta: beta, c: $0.baseAddress!, ldc: n)
      }
    } }
    let score = closeness(c1, c3, atol: 1e-4 * Double(k).squareRoot(), rtol: 1e-4)
    #expect(score <= 1, "m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB): score \(score)")
    #expect(c1 == c2 && c1 == c4, "1, 2 and 3 threads must agree bit for bit (m=\(m) n=\(n) k=\(k))")
  }
}

@Suite("Pure-Swift elementary functions against Foundation")
struct MathTests {
  @Test func functions() {
    var worst: [String: Double] = [:]
    func rec(_ name: String, _ a: Double, _ b: Double) {
      let e = abs(a - b) / max(abs(b), 1e-300)
      worst[name] = max(worst[name] ?? 0, e)
    }
    var x = -30.0
    while x < 30 {
      rec("exp", Math.exp(x), foundationExp(x))
      rec("tanh", Math.tanh(x), foundationTanh(x))
      rec("sin", Math.sin(x), foundationSin(x))
      rec("cos", Math.cos(x), foundationCos(x))
      rec("sigmoid", Math.sigmoid(x), 1 / (1 + foundationExp(-x)))
      x += 0.0137
    }
    var y = 1e-30
    while y < 1e30 {
      rec("log", Math.log(y), foundationLog(y)); rec("log1p", Math.log1p(y), foundationLog1p(y))
      y *= 1.37
    }
    for v in stride(from: 0.1, to: 50, by: 0.173) { rec("lgamma", Math.lgamma(v), foundationLgamma(v)) }
    for v in stride(from: -1.0, through: 1.0, by: 0.00731) { rec("acos", Math.acos(v), foundationAcos(v)) }
    for e in stride(from: -8.0, through: 6.0, by: 0.0123) {
      let v = Math.exp(e * 2.302585092994046)  // 10^e
      rec("atan", Math.atan(v), foundationAtan(v)); rec("atan", Math.atan(-v), foundationAtan(-v))
    }
    for (name, e) in worst {
      // sin, cos and lgamma near their zeros are compared relative to tiny values: allow more.
      let tol = (name == "sin" || name == "cos" || name == "acos") ? 1e-9 : (name == "lgamma" ? 1e-11 : 1e-13)
      #expect(e < tol, "\(name): worst relative error \(e)")
    }
    #expect(Math.exp(-1000.0) == 0 && Math.exp(1000.0) == .infinity && Math.log(0.0) == -.infinity && Math.log(-1.0).isNaN)
  }
}
