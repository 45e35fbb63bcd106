//===--- GEMMCol2im.swift -------------------------------------------------===//
// x = col2im(A B) without writing the column matrix A B to memory. For DCGAN's
// 4x4 kernels that matrix is 16 times the size of its input positions (a
// transposed convolution's forward pass, a convolution's input gradient), and
// writing it out and reading it back cost about as much as col2im's additions.
//
// The product is computed in blocks of whole channels (rows) by whole images
// (columns), each into a buffer that stays in L2, and each block is added back
// into its output planes at once. Every element of A B is computed with the
// operations of the unblocked GEMM (its sums over k do not depend on the blocking),
// and every output element sums its taps in col2im's order, so the result is
// bit-identical to col2im(sgemm(A, B)) on any thread count.
//===----------------------------------------------------------------------===//

/// Floats of one block of A B (256 KiB: it stays in L2 with the packed A block).
let gemmCol2imBlock = 1 << 16

/// x[N, C, H, W] := col2im(A B) for A [C k k, kInner] and B [kInner, N OH OW] (the column matrix of
/// geometry `g`), never storing A B. Falls back to the two steps when kInner exceeds one GEMM k-block.
public func gemmCol2im(_ g: ConvGeometry, kInner: Int, a: MatrixView, b: MatrixView, _ x: UnsafeMutablePointer<Float>,
                       threads: Int = KernelConfig.threads) {
  let rows = g.colRows, cols = g.colCols, kk = g.k * g.k, perImage = g.oh * g.ow, hw = g.h * g.w
  guard kInner <= gemmKC, kInner > 0, perImage > 0 else {
    let col = UnsafeMutablePointer<Float>.allocate(capacity: rows * cols)
    defer { col.deallocate() }
    sgemm(m: rows, n: cols, k: kInner, a: a, b: b, c: col, ldc: cols, threads: threads)
    col2im(g, col, x, threads: threads)
    return
  }
  let plan = Col2imPlan(g)
  // Blocks: up to gemmNC columns of whole images, and as many whole channels as fit the budget.
  let images = max(1, min(g.n, gemmNC / perImage))
  let blockCols = images * perImage
  let channels = max(1, min(g.c, gemmCol2imBlock / (blockCols * kk)))
  let groups = (g.n + images - 1) / images, channelBlocks = (g.c + channels - 1) / channels
  let units = groups * channelBlocks   // group-major: a thread's consecutive units share a packed B
  let flops = 2 * rows * cols * kInner
  let t = max(1, min(threads, units, flops / 1_000_000))
  parallelFor(t) { part in
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: channels * kk * blockCols)
    let rowBuffer = UnsafeMutablePointer<Float>.allocate(capacity: plan.bufferCount)
    defer { buffer.deallocate(); rowBuffer.deallocate() }
    PackBufferPool.with { packs in
      packs.reserve(a: (channels * kk + gemmMR) * kInner, b: (blockCols + gemmNR) * kInner)
      var packedGroup = -1
      for unit in chunkRange(units, parts: t, index: part) {
        let group = unit / channelBlocks, block = unit % channelBlocks
        let n0 = group * images, nImages = min(images, g.n - n0), nc = nImages * perImage
        let c0 = block * channels, nChannels = min(channels, g.c - c0), mc = nChannels * kk
        if group != packedGroup {
          packB(kc: kInner, nc: nc, b.base + n0 * perImage * b.colStride, b.rowStride, b.colStride, packs.b)
          packedGroup = group
        }
        packA(mc: mc, kc: kInner, alpha: 1, a.base + c0 * kk * a.rowStride, a.rowStride, a.colStride, packs.a)
        microTiles(mc: mc, nc: nc, kc: kInner, aPack: packs.a, bPack: packs.b, c: buffer, ldc: nc, accumulate: false,
                   edge: packs.edge)
        // The block's planes, channel-major as col2im visits them.
        for c in 0..<nChannels {
          for n in 0..<nImages {
            plan.plane(taps: buffer + c * kk * nc + n * perImage, ncols: nc, out: x + ((n0 + n) * g.c + c0 + c) * hw,
                       accumulate: false, rowBuffer: rowBuffer)
          }
        }
      }
    }
  }
}
