//===--- GEMMMicroKernel.swift -----------------------------------------===//
// The register-blocked heart of the GEMM: an MR x NR tile of C held in SIMD
// accumulators, updated by kc rank-1 products of a packed MR-row A micro-panel and
// a packed NR-column B micro-panel, as in BLIS's Zen kernels. Written out so that
// every accumulator is a named local the register allocator keeps in a register.
//
// Two shapes, chosen when the package is built (Package.swift defines AGE_AVX512 when
// the build machine has AVX-512, and the kernels are compiled for the host CPU):
// - AVX2 (16 ymm registers): 6 x 16 in 12 SIMD8<Float> accumulators. A SIMD16 tile
//   there occupies two registers per value and spills (24 GFLOP/s against ~90).
// - AVX-512 (32 zmm registers): 12 x 32 in 24 SIMD16<Float> accumulators, two per row,
//   so each step is two B loads, 12 broadcasts and 24 full-width FMAs.
// Both give bit-identical results: every element of C is accumulated over k in the same
// order whatever the tile shape.
//===----------------------------------------------------------------------===//

#if AGE_AVX512
/// Rows of the micro-tile (the A micro-panel height).
public let gemmMR = 12
/// Columns of the micro-tile (the B micro-panel width, two SIMD16 vectors).
public let gemmNR = 32
/// The micro-kernel this build uses (printed by `make bench`, named by the tests).
public let gemmKernelName = "12x32 AVX-512 (SIMD16 accumulators)"

/// C[0..<12, 0..<32] (+)= Ap * Bp over `kc` steps: accumulates into C when `accumulate`,
/// overwrites it otherwise (the first k-block of a beta = 0 product, so C needs no zeroing).
/// - Ap: packed A, kc groups of 12 consecutive floats (column p of the panel).
/// - Bp: packed B, kc groups of 32 consecutive floats (row p of the panel).
/// - c: top-left of the C tile; rows are `ldc` floats apart.
///
/// Each step loads two B vectors and broadcasts 12 A values for 24 full-width FMAs: 14 loads per
/// 24 FMAs, where a 12 x 16 tile needs 13 per 12 and is bound by loads on cores with two 512-bit
/// FMA pipes (Zen 5). 24 accumulators, 2 B vectors and a broadcast fit the 32 zmm registers.
@inline(__always)
func gemmMicroKernel(
  _ kc: Int, _ Ap: UnsafePointer<Float>, _ Bp: UnsafePointer<Float>,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
  typealias V = SIMD16<Float>
  var c0l = V(), c1l = V(), c2l = V(), c3l = V(), c4l = V(), c5l = V()
  var c6l = V(), c7l = V(), c8l = V(), c9l = V(), c10l = V(), c11l = V()
  var c0h = V(), c1h = V(), c2h = V(), c3h = V(), c4h = V(), c5h = V()
  var c6h = V(), c7h = V(), c8h = V(), c9h = V(), c10h = V(), c11h = V()
  var a = Ap
  var b = UnsafeRawPointer(Bp)
  for _ in 0..<kc {
    let bl = b.loadUnaligned(as: V.self), bh = b.loadUnaligned(fromByteOffset: 64, as: V.self)
    do { let s = V(repeating: a[0]); c0l = c0l.addingProduct(s, bl); c0h = c0h.addingProduct(s, bh) }
    do { let s = V(repeating: a[1]); c1l = c1l.addingProduct(s, bl); c1h = c1h.addingProduct(s, bh) }
    do { let s = V(repeating: a[2]); c2l = c2l.addingProduct(s, bl); c2h = c2h.addingProduct(s, bh) }
    do { let s = V(repeating: a[3]); c3l = c3l.addingProduct(s, bl); c3h = c3h.addingProduct(s, bh) }
    do { let s = V(repeating: a[4]); c4l = c4l.addingProduct(s, bl); c4h = c4h.addingProduct(s, bh) }
    do { let s = V(repeating: a[5]); c5l = c5l.addingProduct(s, bl); c5h = c5h.addingProduct(s, bh) }
    do { let s = V(repeating: a[6]); c6l = c6l.addingProduct(s, bl); c6h = c6h.addingProduct(s, bh) }
    do { let s = V(repeating: a[7]); c7l = c7l.addingProduct(s, bl); c7h = c7h.addingProduct(s, bh) }
    do { let s = V(repeating: a[8]); c8l = c8l.addingProduct(s, bl); c8h = c8h.addingProduct(s, bh) }
    do { let s = V(repeating: a[9]); c9l = c9l.addingProduct(s, bl); c9h = c9h.addingProduct(s, bh) }
    do { let s = V(repeating: a[10]); c10l = c10l.addingProduct(s, bl); c10h = c10h.addingProduct(s, bh) }
    do { let s = V(repeating: a[11]); c11l = c11l.addingProduct(s, bl); c11h = c11h.addingProduct(s, bh) }
    a += 12
    b += 128
  }
  @inline(__always) func add(_ p: UnsafeMutablePointer<Float>, _ lo: V, _ hi: V) {
    let raw = UnsafeMutableRawPointer(p)
    if accumulate {
      raw.storeBytes(of: raw.loadUnaligned(as: V.self) + lo, as: V.self)
      raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 64, as: V.self) + hi, toByteOffset: 64, as: V.self)
    } else {
      raw.storeBytes(of: lo, as: V.self)
      raw.storeBytes(of: hi, toByteOffset: 64, as: V.self)
    }
  }
  add(c, c0l, c0h); add(c + ldc, c1l, c1h); add(c + 2 * ldc, c2l, c2h); add(c + 3 * ldc, c3l, c3h)
  add(c + 4 * ldc, c4l, c4h); add(c + 5 * ldc, c5l, c5h); add(c + 6 * ldc, c6l, c6h); add(c + 7 * ldc, c7l, c7h)
  add(c + 8 * ldc, c8l, c8h); add(c + 9 * ldc, c9l, c9h); add(c + 10 * ldc, c10l, c10h); add(c + 11 * ldc, c11l, c11h)
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
