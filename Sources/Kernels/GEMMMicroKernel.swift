//===--- GEMMMicroKernel.swift -----------------------------------------===//
// The register-blocked heart of the GEMM: an MR x 16 tile of C held in SIMD
// accumulators, updated by kc rank-1 products of a packed MR-row A micro-panel and
// a packed 16-column B micro-panel, as in BLIS's Zen kernels. Written out so that
// every accumulator is a named local the register allocator keeps in a register.
//
// Two shapes, chosen when the package is built (Package.swift defines AGE_AVX512 when
// the build machine has AVX-512, and the kernels are compiled for the host CPU):
// - AVX2 (16 ymm registers): 6 x 16 in 12 SIMD8<Float> accumulators. A SIMD16 tile
//   there occupies two registers per value and spills (24 GFLOP/s against ~90).
// - AVX-512 (32 zmm registers): 12 x 16 in 12 SIMD16<Float> accumulators, one per row,
//   so each step is one B load, 12 broadcasts and 12 full-width FMAs.
// Both give bit-identical results: every element of C is accumulated over k in the same
// order whatever the tile shape.
//===----------------------------------------------------------------------===//

#if AGE_AVX512
/// Rows of the micro-tile (the A micro-panel height).
public let gemmMR = 12
/// Columns of the micro-tile (the B micro-panel width, one SIMD16 vector).
public let gemmNR = 16
/// The micro-kernel this build uses (printed by `make bench`, named by the tests).
public let gemmKernelName = "12x16 AVX-512 (SIMD16 accumulators)"

/// C[0..<12, 0..<16] (+)= Ap * Bp over `kc` steps: accumulates into C when `accumulate`,
/// overwrites it otherwise (the first k-block of a beta = 0 product, so C needs no zeroing).
/// - Ap: packed A, kc groups of 12 consecutive floats (column p of the panel).
/// - Bp: packed B, kc groups of 16 consecutive floats (row p of the panel).
/// - c: top-left of the C tile; rows are `ldc` floats apart.
@inline(__always)
func gemmMicroKernel(
  _ kc: Int, _ Ap: UnsafePointer<Float>, _ Bp: UnsafePointer<Float>,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  typealias V = SIMD16<Float>
  var c0 = V(), c1 = V(), c2 = V(), c3 = V(), c4 = V(), c5 = V()
  var c6 = V(), c7 = V(), c8 = V(), c9 = V(), c10 = V(), c11 = V()
  var a = Ap
  var b = UnsafeRawPointer(Bp)
  for _ in 0..<kc {
    let bv = b.loadUnaligned(as: V.self)
    c0 = c0.addingProduct(V(repeating: a[0]), bv); c1 = c1.addingProduct(V(repeating: a[1]), bv)
    c2 = c2.addingProduct(V(repeating: a[2]), bv); c3 = c3.addingProduct(V(repeating: a[3]), bv)
    c4 = c4.addingProduct(V(repeating: a[4]), bv); c5 = c5.addingProduct(V(repeating: a[5]), bv)
    c6 = c6.addingProduct(V(repeating: a[6]), bv); c7 = c7.addingProduct(V(repeating: a[7]), bv)
    c8 = c8.addingProduct(V(repeating: a[8]), bv); c9 = c9.addingProduct(V(repeating: a[9]), bv)
    c10 = c10.addingProduct(V(repeating: a[10]), bv); c11 = c11.addingProduct(V(repeating: a[11]), bv)
    a += 12
    b += 64
  }
  @inline(__always) func add(_ p: UnsafeMutablePointer<Float>, _ v: V) {
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(of: accumulate ? raw.loadUnaligned(as: V.self) + v : v, as: V.self)
  }
  add(c, c0); add(c + ldc, c1); add(c + 2 * ldc, c2); add(c + 3 * ldc, c3)
  add(c + 4 * ldc, c4); add(c + 5 * ldc, c5); add(c + 6 * ldc, c6); add(c + 7 * ldc, c7)
  add(c + 8 * ldc, c8); add(c + 9 * ldc, c9); add(c + 10 * ldc, c10); add(c + 11 * ldc, c11)
}
#else
/// Rows of the micro-tile (the A micro-panel height).
public let gemmMR = 6
/// Columns of the micro-tile (the B micro-panel width, 2 SIMD8 vectors).
public let gemmNR = 16
/// The micro-kernel this build uses (printed by `make bench`, named by the tests).
public let gemmKernelName = "6x16 AVX2 (SIMD8 accumulators)"

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
#endif
