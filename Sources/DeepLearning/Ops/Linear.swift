//===--- Linear.swift -----------------------------------------------------===//
// Matrix products through the packed GEMM:
//   matmul: C = A B, dA = dC B^T, dB = A^T dC
//   linear: y = x W^T + b (PyTorch's layout, W is [out, in]),
//           dx = dy W, dW = dy^T x, db = sum_rows dy.
//===----------------------------------------------------------------------===//
import Kernels

/// C[m, n] = op(A) op(B) for row-major buffers, where op transposes when asked.
func gemm(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false) -> [Float] {
  // With beta = 0 the GEMM writes every element of C (zeros when k = 0).
  var c = uninitializedFloats(m * n)
  guard m * n > 0 else { return c }
  a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
    let av = transA ? MatrixView.transposed(pa.baseAddress!, ld: m) : .rowMajor(pa.baseAddress!, ld: k)
    let bv = transB ? MatrixView.transposed(pb.baseAddress!, ld: k) : .rowMajor(pb.baseAddress!, ld: n)
    sgemm(m: m, n: n, k: k, a: av, b: bv, beta: 0, c: pc.baseAddress!, ldc: n)
  } } }
  return c
}

extension Tensor {
  /// [m, k] x [k, n] -> [m, n].
  public func matmul(_ b: Tensor) -> Tensor {
    precondition(rank == 2 && b.rank == 2 && shape[1] == b.shape[0], "matmul: \(shape) x \(b.shape)")
    let m = shape[0], k = shape[1], n = b.shape[1]
    let a = self
    return Tensor(shape: [m, n], data: gemm(data, b.data, m: m, n: n, k: k), inputs: [a, b]) { g, need in
      [need[0] ? gemm(g, b.data, m: m, n: k, k: n, transB: true) : nil,
       need[1] ? gemm(a.data, g, m: k, n: n, k: m, transA: true) : nil]
    }
  }
}

/// y[N, out] = x[N, in] W[out, in]^T + b[out] (torch.nn.functional.linear).
public func linear(_ x: Tensor, weight w: Tensor, bias b: Tensor?) -> Tensor {
  precondition(x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[1],
               "linear: input \(x.shape) with weight \(w.shape)")
  let n = x.shape[0], din = x.shape[1], dout = w.shape[0]
  var y = gemm(x.data, w.data, m: n, n: dout, k: din, transB: true)
  if let b {
    b.data.withUnsafeBufferPointer { pb in y.withUnsafeMutableBufferPointer { py in
      for i in 0..<n { let row = py.baseAddress! + i * dout; for j in 0..<dout { row[j] += pb[j] } }
    } }
  }
  let inputs = b.map { [x, w, $0] } ?? [x, w]
  return Tensor(shape: [n, dout], data: y, inputs: inputs) { g, need in
    var r: [[Float]?] = [
      need[0] ? gemm(g, w.data, m: n, n: din, k: dout) : nil,
      need[1] ? gemm(g, x.data, m: dout, n: din, k: n, transA: true) : nil,
    ]
    if b != nil {
      if need[2] {
        var gb = [Float](repeating: 0, count: dout)
        g.withUnsafeBufferPointer { pg in gb.withUnsafeMutableBufferPointer { po in
          for i in 0..<n { let row = pg.baseAddress! + i * dout; for j in 0..<dout { po[j] += row[j] } }
        } }
        r.append(gb)
      } else { r.append(nil) }
    }
    return r
  }
}
