//===--- GEMMMicroKernel.swift -----------------------------------------===//
// The register-blocked heart of the GEMM: a 6 x 16 tile of C held in 12
// SIMD8<Float> accumulators (one ymm register each: AVX2 has 16), updated by kc
// rank-1 products of a packed 6-row A micro-panel and a packed 16-column B
// micro-panel, as in BLIS's Zen kernels. Written out so that every accumulator is
// a named local the register allocator keeps in a register.
//
// SIMD8 rather than SIMD16: on this AMD machine (AVX2, no AVX-512) a SIMD16 value
// occupies two registers, and a 24-accumulator SIMD16 tile spilled to the stack
// (24 GFLOP/s measured, against ~90 for this tile).
//===----------------------------------------------------------------------===//

/// Rows of the micro-tile (the A micro-panel height).
public let gemmMR = 6
/// Columns of the micro-tile (the B micro-panel width, 2 SIMD8 vectors).
public let gemmNR = 16

/// C[0..<6, 0..<16] (+)= Ap * Bp over `kc` steps: accumulates into C when `accumulate`,
/// overwrites it otherwise (the first k-block of a beta = 0 product, so C needs no zeroing).
/// - Ap: packed A, kc groups of 6 consecutive floats (column p of the panel).
/// - Bp: packed B, kc groups of 16 consecutive floats (row p of the panel).
/// - c: top-left of the C tile; rows are `ldc` floats apart.
@inline(__always)
func gemmMicroKernel(
  _ kc: Int, _ Ap: UnsafePointer<Float>, _ Bp: UnsafePointer<Float>,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  typealias V = SIMD8<Float>
  var c0_0 = V(); var c0_1 = V();
  var c1_0 = V(); var c1_1 = V();
  var c2_0 = V(); var c2_1 = V();
  var c3_0 = V(); var c3_1 = V();
  var c4_0 = V(); var c4_1 = V();
  var c5_0 = V(); var c5_1 = V();
  var a = Ap
  var b = UnsafeRawPointer(Bp)
  for _ in 0..<kc {
    let b0 = (b + 0).loadUnaligned(as: V.self)
    let b1 = (b + 32).loadUnaligned(as: V.self)
    do { let s = V(repeating: a[0]); c0_0 = c0_0.addingProduct(s, b0); c0_1 = c0_1.addingProduct(s, b1) }
    do { let s = V(repeating: a[1]); c1_0 = c1_0.addingProduct(s, b0); c1_1 = c1_1.addingProduct(s, b1) }
    do { let s = V(repeating: a[2]); c2_0 = c2_0.addingProduct(s, b0); c2_1 = c2_1.addingProduct(s, b1) }
    do { let s = V(repeating: a[3]); c3_0 = c3_0.addingProduct(s, b0); c3_1 = c3_1.addingProduct(s, b1) }
    do { let s = V(repeating: a[4]); c4_0 = c4_0.addingProduct(s, b0); c4_1 = c4_1.addingProduct(s, b1) }
    do { let s = V(repeating: a[5]); c5_0 = c5_0.addingProduct(s, b0); c5_1 = c5_1.addingProduct(s, b1) }
    a += 6
    b += 64
  }
  @inline(__always) func add(_ p: UnsafeMutablePointer<Float>, _ v: V) {
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(of: accumulate ? raw.loadUnaligned(as: V.self) + v : v, as: V.self)
  }
  var row = c
  add(row + 0, c0_0); add(row + 8, c0_1); row += ldc
  add(row + 0, c1_0); add(row + 8, c1_1); row += ldc
  add(row + 0, c2_0); add(row + 8, c2_1); row += ldc
  add(row + 0, c3_0); add(row + 8, c3_1); row += ldc
  add(row + 0, c4_0); add(row + 8, c4_1); row += ldc
  add(row + 0, c5_0); add(row + 8, c5_1); row += ldc
}
