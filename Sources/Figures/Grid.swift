//===--- Grid.swift -------------------------------------------------------===//
// Image grids in the manner of torchvision.utils.make_grid: images [N, C, H, W]
// laid out `nrow` per row with `padding` pixels between and around them, values
// mapped from `range` to [0, 255]; optional row and column labels are drawn
// into the image (BitmapFont) in margins above and to the left of the grid.
//===----------------------------------------------------------------------===//
import DeepLearning
import ImageIO

/// Image grids in the manner of torchvision.utils.make_grid, with labels drawn in.
public enum Grid {
  /// A grid image from a batch [N, C, H, W] (C = 1 or 3), `nrow` images per row.
  /// - Parameters:
  ///   - columnLabels: drawn above the columns, wrapped on spaces to the column's width (empty: none).
  ///   - rowLabels: drawn left of the rows (empty: none).
  public static func make(_ x: Tensor, nrow: Int = 8, padding: Int = 2, range: (Float, Float) = (-1, 1),
                          padValue: UInt8 = 255, scale: Int = 1,
                          columnLabels: [String] = [], rowLabels: [String] = []) -> Image8 {
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
    let grid = Image8(width: W, height: H, channels: c, pixels: px)
    if columnLabels.isEmpty && rowLabels.isEmpty { return grid }
    return label(grid, cell: (ww, hh), padding: padding, columns: columnLabels, rows: rowLabels)
  }

  /// `grid` (cells of `cell` pixels, `padding` between and around them) inside a white canvas with
  /// `columns[k]` centred above column k and `rows[r]` left of row r.
  public static func label(_ grid: Image8, cell: (width: Int, height: Int), padding: Int,
                           columns: [String], rows: [String]) -> Image8 {
    let lineHeight = BitmapFont.height + 2
    let colWidth = cell.width + padding
    let wrapped = columns.map { wrap($0, width: colWidth) }
    let top = wrapped.isEmpty ? 0 : wrapped.map(\.count).max()! * lineHeight + 2
    let left = rows.isEmpty ? 0 : rows.map(Image8.textWidth).max()! + 6
    let c = grid.channels
    var out = Image8(width: grid.width + left, height: grid.height + top, channels: c,
                     pixels: [UInt8](repeating: 255, count: (grid.width + left) * (grid.height + top) * c))
    for y in 0..<grid.height {
      let src = y * grid.width * c, dst = ((y + top) * out.width + left) * c
      out.pixels.replaceSubrange(dst..<(dst + grid.width * c), with: grid.pixels[src..<(src + grid.width * c)])
    }
    for (k, lines) in wrapped.enumerated() {
      let centre = left + padding + k * colWidth + cell.width / 2
      for (i, line) in lines.enumerated() {
        out.draw(text: line, x: centre - Image8.textWidth(line) / 2, y: 1 + i * lineHeight + (top - 2 - lines.count * lineHeight))
      }
    }
    for (r, text) in rows.enumerated() {
      let y = top + padding + r * (cell.height + padding) + (cell.height - BitmapFont.height) / 2
      out.draw(text: text, x: left - 4 - Image8.textWidth(text), y: y)
    }
    return out
  }

  /// `text` broken at spaces into lines at most `width` pixels wide (a longer word is cut).
  static func wrap(_ text: String, width: Int) -> [String] {
    let maxChars = max(1, (width + 1) / BitmapFont.advance)
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ").map(String.init) {
      let candidate = line.isEmpty ? word : line + " " + word
      if candidate.count <= maxChars { line = candidate; continue }
      if !line.isEmpty { lines.append(line) }
      line = String(word.prefix(maxChars))
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// Real images and their reconstructions in alternating columns (as the paper's Fig. 2c and 6).
  /// - Parameter labelled: draw "real" and "recon." above each pair of columns.
  public static func pairs(real: Tensor, reconstructed: Tensor, pairsPerRow: Int = 8, scale: Int = 1,
                           labelled: Bool = false) -> Image8 {
    precondition(real.shape == reconstructed.shape, "Grid.pairs: shapes \(real.shape) and \(reconstructed.shape)")
    let n = real.shape[0], per = real.count / n
    var d = [Float](repeating: 0, count: 2 * real.count)
    for i in 0..<n {
      for j in 0..<per { d[(2 * i) * per + j] = real.data[i * per + j]; d[(2 * i + 1) * per + j] = reconstructed.data[i * per + j] }
    }
    var s = real.shape; s[0] = 2 * n
    let columns = labelled ? Array(repeating: ["real", "recon."], count: min(pairsPerRow, n)).flatMap { $0 } : []
    return make(Tensor(shape: s, data: d), nrow: 2 * pairsPerRow, scale: scale, columnLabels: columns)
  }
}
