//===--- GEMM.swift -------------------------------------------------------===//
// Single-precision matrix multiply C = alpha * A * B + beta * C after BLIS:
// five loops around a register-blocked micro-kernel, with A and B packed into
// contiguous micro-panels so the kernel streams through cache-resident memory.
//
// A and B are given by a base pointer and a row and column stride, so transposed
// operands cost nothing extra: the packing routines read any layout. C is row-major
// with leading dimension ldc.
//===----------------------------------------------------------------------===//

/// A read-only strided matrix view: element (i, j) is at base[i * rowStride + j * colStride].
public struct MatrixView {
  public var base: UnsafePointer<Float>
  public var rowStride: Int
  public var colStride: Int
  /// A view of the matrix at `base` whose element (i, j) is at base[i * rowStride + j * colStride].
  @inlinable public init(_ base: UnsafePointer<Float>, rowStride: Int, colStride: Int) {
    self.base = base; self.rowStride = rowStride; self.colStride = colStride
  }
  /// A row-major matrix with `ld` floats per row.
  @inlinable public static func rowMajor(_ base: UnsafePointer<Float>, ld: Int) -> MatrixView {
    MatrixView(base, rowStride: ld, colStride: 1)
  }
  /// The transpose of a row-major matrix with `ld` floats per row.
  @inlinable public static func transposed(_ base: UnsafePointer<Float>, ld: Int) -> MatrixView {
    MatrixView(base, rowStride: 1, colStride: ld)
  }
}

/// Cache blocking (AMD Zen 3 to 5: 32-48 KiB L1d, 0.5-1 MiB L2 per core): a KC x NR micro-panel of B (16 KiB) stays
/// in L1, an MC x KC block of A (~72 KiB) in L2, a KC x NC block of B (~1 MiB) in L3.
let gemmKC = 256
let gemmMC = 72
let gemmNC = 1024

/// C[m x n] = alpha * A[m x k] * B[k x n] + beta * C, using up to `threads` threads.
///
/// The work is split over disjoint blocks of C (columns when n is the larger side,
/// rows otherwise), so every element of C sees the same arithmetic whatever the
/// thread count: results are bit-identical on 1 and 2 threads.
public func sgemm(
  m: Int, n: Int, k: Int, alpha: Float = 1,
  a: MatrixView, b: MatrixView, beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = KernelConfig.threads
) {
  sgemm(m: m, n: n, k: k, alpha: alpha, a: a, b: .matrix(b), beta: beta, c: c, ldc: ldc, threads: threads)
}

/// The same product with B given as an operand that may be an implicit im2col matrix.
public func sgemm(
  m: Int, n: Int, k: Int, alpha: Float = 1,
  a: MatrixView, b: GEMMOperandB, beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = KernelConfig.threads
) {
  if m == 0 || n == 0 { return }
  // An im2col operand with padding reads a zero-padded copy of its image instead, so every
  // packed position is interior (no per-tap masks); the copy costs one pass over the image.
  if case .im2col(let g, let x, let transposed) = b, g.padding > 0 {
    let pg = ConvGeometry(n: g.n, c: g.c, h: g.h + 2 * g.padding, w: g.w + 2 * g.padding, k: g.k,
                          stride: g.stride, padding: 0)
    PaddedImagePool.with(count: pg.n * pg.c * pg.h * pg.w) { padded in
      padImage(g, x, padded)
      sgemm(m: m, n: n, k: k, alpha: alpha, a: a, b: .im2col(pg, padded, transposed: transposed), beta: beta,
            c: c, ldc: ldc, threads: threads)
    }
    return
  }
  // Parallelize only when each thread gets at least ~1 MFLOP.
  let flops = 2 * m * n * k
  let t = max(1, min(threads, flops / 1_000_000))
  if t == 1 {
    sgemmSerial(m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c, ldc: ldc)
    return
  }
  let splitColumns = (n + gemmNR - 1) / gemmNR >= (m + gemmMR - 1) / gemmMR
  if !splitColumns {
    sgemmSplitRows(m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c, ldc: ldc, threads: t)
    return
  }
  parallelFor(t) { part in
    let r = chunkRange(n, parts: t, index: part, granule: gemmNR)
    if r.isEmpty { return }
    let (bv, j0) = b.offsetColumns(r.lowerBound)
    sgemmSerial(m: m, n: r.count, k: k, alpha: alpha, a: a, b: bv, columnOffset: j0, beta: beta,
                c: c + r.lowerBound, ldc: ldc)
  }
}

/// The product with the rows of C split across `threads`, which share one packed copy of each
/// block of B (packed by all of them, a share of its panels each) instead of each packing all of
/// B. Every element of C sees the same operations as in `sgemmSerial`.
func sgemmSplitRows(
  m: Int, n: Int, k: Int, alpha: Float, a: MatrixView, b: GEMMOperandB, beta: Float,
  c: UnsafeMutablePointer<Float>, ldc: Int, threads t: Int
) {
  if beta != 1 && (beta != 0 || k == 0 || alpha == 0) {
    parallelFor(t) { part in
      for i in chunkRange(m, parts: t, index: part) {
        let row = c + i * ldc
        if beta == 0 { row.update(repeating: 0, count: n) } else { for j in 0..<n { row[j] *= beta } }
      }
    }
  }
  if k == 0 || alpha == 0 { return }
  let nc0 = min(gemmNC, (n + gemmNR - 1) / gemmNR * gemmNR), kc0 = min(gemmKC, k)
  PackBufferPool.with { shared in
    shared.reserve(a: 0, b: kc0 * nc0)
    let bPack = shared.b
    var jc = 0
    while jc < n {
      let nc = min(gemmNC, n - jc), panels = (nc + gemmNR - 1) / gemmNR
      var pc = 0
      while pc < k {
        let kc = min(gemmKC, k - pc)
        parallelFor(min(t, panels)) { part in
          let r = chunkRange(panels, parts: min(t, panels), index: part)
          if r.isEmpty { return }
          let j = r.lowerBound * gemmNR, width = min(nc, r.upperBound * gemmNR) - j
          switch b {
          case .matrix(let bm):
            packB(kc: kc, nc: width, bm.base + pc * bm.rowStride + (jc + j) * bm.colStride, bm.rowStride, bm.colStride,
                  bPack + j * kc)
          case .im2col(let g, let x, let transposed):
            packBIm2col(g, x, transposed: transposed, pc: pc, kc: kc, j0: jc + j, nc: width, bPack + j * kc)
          }
        }
        parallelFor(t) { part in
          let rows = chunkRange(m, parts: t, index: part, granule: gemmMR)
          if rows.isEmpty { return }
          PackBufferPool.with { own in
            own.reserve(a: kc0 * min(gemmMC, (rows.count + gemmMR - 1) / gemmMR * gemmMR), b: 0)
            var ic = rows.lowerBound
            while ic < rows.upperBound {
              let mc = min(gemmMC, rows.upperBound - ic)
              packA(mc: mc, kc: kc, alpha: alpha, a.base + ic * a.rowStride + pc * a.colStride, a.rowStride, a.colStride, own.a)
              microTiles(mc: mc, nc: nc, kc: kc, aPack: own.a, bPack: bPack, c: c + ic * ldc + jc, ldc: ldc,
                         accumulate: pc > 0 || beta != 0, edge: own.edge)
              ic += gemmMC
            }
          }
        }
        pc += gemmKC
      }
      jc += gemmNC
    }
  }
}

/// C[mc x nc] (+)= packed A [mc x kc] * packed B [kc x nc], one micro-tile at a time (edge tiles
/// through the scratch tile `edge`).
@inline(__always)
func microTiles(mc: Int, nc: Int, kc: Int, aPack: UnsafeMutablePointer<Float>, bPack: UnsafeMutablePointer<Float>,
                c: UnsafeMutablePointer<Float>, ldc: Int, accumulate acc: Bool, edge: UnsafeMutablePointer<Float>) {
  var jr = 0
  while jr < nc {
    let nr = min(gemmNR, nc - jr)
    let bp = bPack + jr * kc
    var ir = 0
    while ir < mc {
      let mr = min(gemmMR, mc - ir)
      let ap = aPack + ir * kc
      let ct = c + ir * ldc + jr
      if mr == gemmMR && nr == gemmNR {
        gemmMicroKernel(kc, ap, bp, ct, ldc, acc)
      } else {
        // Edge tile: compute the full tile into a scratch buffer, then the valid part.
        gemmMicroKernel(kc, ap, bp, edge, gemmNR, false)
        for i in 0..<mr {
          let dst = ct + i * ldc, src = edge + i * gemmNR
          if acc { for j in 0..<nr { dst[j] += src[j] } } else { dst.update(from: src, count: nr) }
        }
      }
      ir += gemmMR
    }
    jr += gemmNR
  }
}

/// The single-threaded BLIS loop nest.
func sgemmSerial(
  m: Int, n: Int, k: Int, alpha: Float, a: MatrixView, b: GEMMOperandB, columnOffset j0: Int = 0, beta: Float,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  // C := beta * C first (beta = 0 needs nothing: the first k-block overwrites C).
  if beta != 1 && (beta != 0 || k == 0 || alpha == 0) {
    for i in 0..<m {
      let row = c + i * ldc
      if beta == 0 { row.update(repeating: 0, count: n) } else { for j in 0..<n { row[j] *= beta } }
    }
  }
  if k == 0 || alpha == 0 { return }
  let nc0 = min(gemmNC, (n + gemmNR - 1) / gemmNR * gemmNR)
  let mc0 = min(gemmMC, (m + gemmMR - 1) / gemmMR * gemmMR)
  let kc0 = min(gemmKC, k)
  PackBufferPool.with { buffers in
    buffers.reserve(a: kc0 * mc0, b: kc0 * nc0)
    let bPack = buffers.b, aPack = buffers.a, edge = buffers.edge

    var jc = 0
    while jc < n {
      let nc = min(gemmNC, n - jc)
      var pc = 0
      while pc < k {
        let kc = min(gemmKC, k - pc)
        switch b {
        case .matrix(let bm):
          packB(kc: kc, nc: nc, bm.base + pc * bm.rowStride + jc * bm.colStride, bm.rowStride, bm.colStride, bPack)
        case .im2col(let g, let x, let transposed):
          packBIm2col(g, x, transposed: transposed, pc: pc, kc: kc, j0: j0 + jc, nc: nc, bPack)
        }
        var ic = 0
        while ic < m {
          let mc = min(gemmMC, m - ic)
          packA(mc: mc, kc: kc, alpha: alpha, a.base + ic * a.rowStride + pc * a.colStride,
                a.rowStride, a.colStride, aPack)
          microTiles(mc: mc, nc: nc, kc: kc, aPack: aPack, bPack: bPack, c: c + ic * ldc + jc, ldc: ldc,
                     accumulate: pc > 0 || beta != 0, edge: edge)
          ic += gemmMC
        }
        pc += gemmKC
      }
      jc += gemmNC
    }
  }
}

/// Packs B[kc x nc] into ceil(nc / NR) micro-panels of kc rows x NR floats, zero-padded.
@inline(__always)
func packB(kc: Int, nc: Int, _ b: UnsafePointer<Float>, _ rs: Int, _ cs: Int, _ out: UnsafeMutablePointer<Float>) {
  var dst = out
  var j0 = 0
  while j0 < nc {
    let w = min(gemmNR, nc - j0)
    if cs == 1 && w == gemmNR {
      for p in 0..<kc {
        let src = UnsafeRawPointer(b + p * rs + j0)
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: gemmNR * 4)
        dst += gemmNR
      }
    } else {
      for p in 0..<kc {
        let src = b + p * rs + j0 * cs
        for j in 0..<w { dst[j] = src[j * cs] }
        for j in w..<gemmNR { dst[j] = 0 }
        dst += gemmNR
      }
    }
    j0 += gemmNR
  }
}

/// Packs alpha * A[mc x kc] into ceil(mc / MR) micro-panels of kc columns x MR floats, zero-padded.
@inline(__always)
func packA(mc: Int, kc: Int, alpha: Float, _ a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
           _ out: UnsafeMutablePointer<Float>) {
  var dst = out
  var i0 = 0
  while i0 < mc {
    let h = min(gemmMR, mc - i0)
    if rs == 1 && h == gemmMR && alpha == 1 {
      // Column-contiguous A (a transposed row-major matrix): copy MR floats per k.
      for p in 0..<kc {
        let src = a + i0 + p * cs
        for i in 0..<gemmMR { dst[i] = src[i] }
        dst += gemmMR
      }
    } else {
      for p in 0..<kc {
        let src = a + i0 * rs + p * cs
        for i in 0..<h { dst[i] = alpha * src[i * rs] }
        for i in h..<gemmMR { dst[i] = 0 }
        dst += gemmMR
      }
    }
    i0 += gemmMR
  }
}
