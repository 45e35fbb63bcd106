//===--- Grid.swift -------------------------------------------------------===//
// Image grids in the manner of torchvision.utils.make_grid: images [N, C, H, W]
// laid out `nrow` per row with `padding` pixels between and around them, values
// mapped from `range` to [0, 255].
//===----------------------------------------------------------------------===//
import DeepLearning

public enum Grid {
  /// A grid image from a batch [N, C, H, W] (C = 1 or 3).
  public static func make(_ x: Tensor, nrow: Int = 8, padding: Int = 2, range: (Float, Float) = (-1, 1),
                          padValue: UInt8 = 255, scale: Int = 1) -> Image8 {
    precondition(x.rank == 4 && (x.shape[1] == 1 || x.shape[1] == 3), "Grid.make: expects [N, 1|3, H, W], got \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let cols = min(nrow, max(n, 1)), rows = (n + cols - 1) / cols
    let hh = h * scale, ww = w * scale
    let W = padding + cols * (ww + padding), H = padding + rows * (hh + padding)
    var px = [UInt8](repeating: padValue, count: W * H * c)
    let (lo, hi) = range
    for i in 0..<n {
      let r = i / cols, k = i % cols
      let oy = padding + r * (hh + padding), ox = padding + k * (ww + padding)
      for ch in 0..<c { for y in 0..<hh { for xx in 0..<ww {
        let v = x.data[((i * c + ch) * h + y / scale) * w + xx / scale]
        let t = v.isNaN ? 0 : min(max((v - lo) / (hi - lo), 0), 1)   // NaN drawn as the range's low end, never trapped
        px[((oy + y) * W + ox + xx) * c + ch] = UInt8((t * 255).rounded())
      } } }
    }
    return Image8(width: W, height: H, channels: c, pixels: px)
  }

  /// Real images and their reconstructions in alternating columns (as the paper's Fig. 2c and 6).
  public static func pairs(real: Tensor, reconstructed: Tensor, pairsPerRow: Int = 8, scale: Int = 1) -> Image8 {
    precondition(real.shape == reconstructed.shape, "Grid.pairs: shapes \(real.shape) and \(reconstructed.shape)")
    let n = real.shape[0], per = real.count / n
    var d = [Float](repeating: 0, count: 2 * real.count)
    for i in 0..<n {
      for j in 0..<per { d[(2 * i) * per + j] = real.data[i * per + j]; d[(2 * i + 1) * per + j] = reconstructed.data[i * per + j] }
    }
    var s = real.shape; s[0] = 2 * n
    return make(Tensor(shape: s, data: d), nrow: 2 * pairsPerRow, scale: scale)
  }
}
