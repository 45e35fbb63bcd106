//===--- Im2Col.swift -----------------------------------------------------===//
// im2col / col2im for a whole batch, so a convolution becomes one large GEMM.
//
// Geometry: input [N, C, H, W] (NCHW), square kernel k, stride s, padding p,
// output spatial size OH = (H + 2p - k) / s + 1 (and OW likewise).
// The column matrix is [C*k*k, N*OH*OW], row (c, kh, kw), column (n, oh, ow):
//   col[(c*k + kh)*k + kw][(n*OH + oh)*OW + ow] = x[n, c, oh*s - p + kh, ow*s - p + kw]
// (zero outside the image). col2im is its adjoint: it adds every column entry back
// into the input position it was read from.
//===----------------------------------------------------------------------===//

/// The shape of a 2-D convolution over a batch.
public struct ConvGeometry: Equatable, Sendable {
  public var n, c, h, w, k, stride, padding: Int
  /// The geometry of a k x k convolution over [n, c, h, w] inputs.
  public init(n: Int, c: Int, h: Int, w: Int, k: Int, stride: Int, padding: Int) {
    self.n = n; self.c = c; self.h = h; self.w = w; self.k = k; self.stride = stride; self.padding = padding
  }
  public var oh: Int { (h + 2 * padding - k) / stride + 1 }
  public var ow: Int { (w + 2 * padding - k) / stride + 1 }
  /// Rows of the column matrix: C*k*k.
  public var colRows: Int { c * k * k }
  /// Columns of the column matrix: N*OH*OW.
  public var colCols: Int { n * oh * ow }
}

/// The output columns xo whose input column xo * s - p + kw lies inside [0, w).
@inline(__always)
func validRange(_ kw: Int, w: Int, ow: Int, s: Int, p: Int) -> Range<Int> {
  // xo >= ceil((p - kw) / s) and xo <= floor((w - 1 + p - kw) / s), for possibly negative numerators.
  func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
  let lo = max(0, -floorDiv(kw - p, s)), hi = min(ow, floorDiv(w - 1 + p - kw, s) + 1)
  return lo..<max(lo, hi)
}

/// col[C*k*k, N*OH*OW] := im2col(x[N, C, H, W]). Rows are split across threads.
public func im2col(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>,
                   threads: Int = KernelConfig.threads) {
  let oh = g.oh, ow = g.ow, ncols = g.colCols, s = g.stride, p = g.padding
  let rows = g.colRows
  let t = rows * ncols >= 1 << 16 ? threads : 1
  parallelFor(t) { part in
    for row in chunkRange(rows, parts: t, index: part) {
      let kw = row % g.k, kh = (row / g.k) % g.k, c = row / (g.k * g.k)
      let xr = validRange(kw, w: g.w, ow: ow, s: s, p: p)
      let yr = validRange(kh, w: g.h, ow: oh, s: s, p: p)
      var dst = col + row * ncols
      for n in 0..<g.n {
        let plane = x + (n * g.c + c) * g.h * g.w
        for y in 0..<oh {
          if !yr.contains(y) { dst.update(repeating: 0, count: ow); dst += ow; continue }
          let src = plane + (y * s - p + kh) * g.w + (kw - p)   // src[xo * s] is the input for column xo
          if xr.lowerBound > 0 { dst.update(repeating: 0, count: xr.lowerBound) }
          if s == 1 {
            (dst + xr.lowerBound).update(from: src + xr.lowerBound, count: xr.count)
          } else {
            for xo in xr { dst[xo] = src[xo &* s] }
          }
          if xr.upperBound < ow { (dst + xr.upperBound).update(repeating: 0, count: ow - xr.upperBound) }
          dst += ow
        }
      }
    }
  }
}

/// x[N, C, H, W] (+)= col2im(col[C*k*k, N*OH*OW]). Overwrites x when `accumulate` is false.
///
/// The N*C output planes are split across threads, visited channel-major (all images of channel c,
/// then c + 1), so consecutive planes read consecutive stretches of the same k*k column rows.
/// Each plane is assembled by `Col2imPlan.plane`; every output element sums its taps in the fixed
/// order (kh, kw), so results do not depend on the thread count.
public func col2im(_ g: ConvGeometry, _ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>,
                   accumulate: Bool = false, threads: Int = KernelConfig.threads) {
  let plan = Col2imPlan(g)
  let planes = g.n * g.c, ncols = g.colCols, kk = g.k * g.k, hw = g.h * g.w
  let t = g.colRows * ncols >= 1 << 16 ? min(threads, planes) : 1
  parallelFor(t) { part in
    let rowBuffer = UnsafeMutablePointer<Float>.allocate(capacity: plan.bufferCount)
    defer { rowBuffer.deallocate() }
    for order in chunkRange(planes, parts: t, index: part) {
      let c = order / g.n, n = order % g.n
      plan.plane(taps: col + c * kk * ncols + n * g.oh * g.ow, ncols: ncols, out: x + (n * g.c + c) * hw,
                 accumulate: accumulate, rowBuffer: rowBuffer)
    }
  }
}

/// What col2im precomputes once per geometry, and the assembly of one output plane.
///
/// Each output row is assembled in a small buffer split by column residue mod stride: tap (kh, kw)
/// adds its whole column-matrix row to residue class (kw - p) mod s with SIMD additions (`addRun`),
/// and the classes are then interleaved into the row.
struct Col2imPlan {
  let g: ConvGeometry
  /// Per kernel column kw: its residue class q and shift d (column xx = (xo + d) s + q).
  var columnTaps: [(q: Int, d: Int)] = []
  /// Per output row yy: the kernel rows kh that reach it, with the column-matrix row y they come from.
  var rowTaps: [[(kh: Int, y: Int)]]
  /// Length of each residue class of a row, and of the longest.
  let classCounts: [Int], classLength: Int
  /// Spare cells before each class and the distance between classes in the row buffer: every tap
  /// adds its whole column-matrix row (OW values), and the values that fall outside the image land
  /// in the spare cells, which are never read. Whole rows make the additions full SIMD vectors.
  let guardCells: Int, classStride: Int
  /// Floats of the row buffer `plane` needs.
  var bufferCount: Int { g.stride * classStride }

  init(_ g: ConvGeometry) {
    self.g = g
    let s = g.stride, p = g.padding, oh = g.oh, ow = g.ow
    classLength = (g.w + s - 1) / s
    var before = 0, after = 0
    for kw in 0..<g.k {
      let off = kw - p
      let q = ((off % s) + s) % s, d = (off - q) / s
      columnTaps.append((q, d))
      before = max(before, -d); after = max(after, d + ow - classLength)
    }
    guardCells = before
    classStride = before + classLength + after
    rowTaps = Array(repeating: [], count: g.h)
    for yy in 0..<g.h {
      for kh in 0..<g.k {
        let num = yy + p - kh                    // = y s for the column-matrix row y feeding yy
        if num >= 0 && num % s == 0 && num / s < oh { rowTaps[yy].append((kh, num / s)) }
      }
    }
    classCounts = (0..<s).map { q in max(0, (g.w - q + s - 1) / s) }
  }

  /// out[H, W] (+)= the plane whose tap (kh, kw) rows start at taps + (kh k + kw) ncols (each the
  /// OH*OW columns of one image). `rowBuffer` holds `bufferCount` floats.
  @inline(__always)
  func plane(taps: UnsafePointer<Float>, ncols: Int, out: UnsafeMutablePointer<Float>, accumulate: Bool,
             rowBuffer: UnsafeMutablePointer<Float>) {
    let s = g.stride, ow = g.ow, classes = rowBuffer + guardCells
    columnTaps.withUnsafeBufferPointer { cols in
      for yy in 0..<g.h {
        rowBuffer.update(repeating: 0, count: s * classStride)
        for (kh, y) in rowTaps[yy] {
          var src = taps + kh * g.k * ncols + y * ow
          for kw in 0..<g.k {
            let ct = cols[kw]
            addRun(classes + ct.q * classStride + ct.d, src, ow)
            src += ncols
          }
        }
        let row = out + yy * g.w
        if s == 2 && !accumulate && g.w % 2 == 0 {
          interleavePairs(classes, classes + classStride, into: row, pairs: g.w / 2)
          continue
        }
        for q in 0..<min(s, g.w) {
          let cls = classes + q * classStride, count = classCounts[q]
          if s == 1 {
            if accumulate { for m in 0..<count { row[m] += cls[m] } } else { row.update(from: cls, count: count) }
          } else if accumulate {
            for m in 0..<count { row[m &* s &+ q] += cls[m] }
          } else {
            for m in 0..<count { row[m &* s &+ q] = cls[m] }
          }
        }
      }
    }
  }
}

/// dst[i] += src[i] for i in 0..<count, sixteen, eight and four at a time (one addition per element,
/// as a scalar loop would do it).
@inline(__always)
func addRun(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ hi: Int) {
  var i = 0
  while i + 16 <= hi {
    let d = UnsafeMutableRawPointer(dst + i)
    d.storeBytes(of: d.loadUnaligned(as: SIMD16<Float>.self) + UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self),
                 as: SIMD16<Float>.self)
    i += 16
  }
  if i + 8 <= hi {
    let d = UnsafeMutableRawPointer(dst + i)
    d.storeBytes(of: d.loadUnaligned(as: SIMD8<Float>.self) + UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self),
                 as: SIMD8<Float>.self)
    i += 8
  }
  if i + 4 <= hi {
    let d = UnsafeMutableRawPointer(dst + i)
    d.storeBytes(of: d.loadUnaligned(as: SIMD4<Float>.self) + UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Float>.self),
                 as: SIMD4<Float>.self)
    i += 4
  }
  while i < hi { dst[i] += src[i]; i += 1 }
}

/// row[2 m] = even[m], row[2 m + 1] = odd[m] for m in 0..<pairs (stride 2's two residue classes).
@inline(__always)
func interleavePairs(_ even: UnsafePointer<Float>, _ odd: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, pairs: Int) {
  var m = 0
  while m + 8 <= pairs {
    let e = UnsafeRawPointer(even + m).loadUnaligned(as: SIMD8<Float>.self)
    let o = UnsafeRawPointer(odd + m).loadUnaligned(as: SIMD8<Float>.self)
    let v = SIMD16<Float>(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3], e[4], o[4], e[5], o[5], e[6], o[6], e[7], o[7])
    UnsafeMutableRawPointer(row + 2 * m).storeBytes(of: v, as: SIMD16<Float>.self)
    m += 8
  }
  while m < pairs { row[2 * m] = even[m]; row[2 * m + 1] = odd[m]; m += 1 }
}

/// The naive twin of col2im: every column entry added back where im2col read it, one at a time.
public func col2imReference(_ g: ConvGeometry, _ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
  x.update(repeating: 0, count: g.n * g.c * g.h * g.w)
  for c in 0..<g.c { for kh in 0..<g.k { for kw in 0..<g.k {
    let row = (c * g.k + kh) * g.k + kw
    for n in 0..<g.n { for yo in 0..<g.oh { for xo in 0..<g.ow {
      let yy = yo * g.stride - g.padding + kh, xx = xo * g.stride - g.padding + kw
      if yy < 0 || yy >= g.h || xx < 0 || xx >= g.w { continue }
      x[((n * g.c + c) * g.h + yy) * g.w + xx] += col[row * g.colCols + (n * g.oh + yo) * g.ow + xo]
    } } }
  } } }
}

/// out[N, C, H + 2p, W + 2p] := x[N, C, H, W] surrounded by p zeros on every side (p = g.padding).
public func padImage(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
  let p = g.padding, pw = g.w + 2 * p, ph = g.h + 2 * p
  let planes = g.n * g.c
  let t = planes * ph * pw >= elementwiseParallelMinimum ? min(KernelConfig.threads, planes) : 1
  parallelFor(t) { part in
  for plane in chunkRange(planes, parts: t, index: part) {
    let src = x + plane * g.h * g.w, dst = out + plane * ph * pw
    dst.update(repeating: 0, count: p * pw)
    for y in 0..<g.h {
      let row = dst + (y + p) * pw
      row.update(repeating: 0, count: p)
      (row + p).update(from: src + y * g.w, count: g.w)
      (row + p + g.w).update(repeating: 0, count: p)
    }
    (dst + (g.h + p) * pw).update(repeating: 0, count: p * pw)
  }
  }
}
