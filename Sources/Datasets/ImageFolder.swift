//===--- ImageFolder.swift ------------------------------------------------===//
// Image folders as users keep CelebA, Stanford Cars or Tiny ImageNet: PNG files
// read through libpng, JPEG files through libjpeg-turbo (TurboJPEG API), each
// resized so its shorter side is `size` (area averaging) and center-cropped to
// size x size. Images in first-level subfolders get the subfolder's index as
// label (sorted names); images at the top level get label 0.
//===----------------------------------------------------------------------===//
import Foundation
import ImageIO

/// Folders of PNG and JPEG files as image datasets (see the file's header).
public enum ImageFolder {
  static let extensions: Set<String> = ["png", "jpg", "jpeg"]

  /// The image files under `root`, with labels from first-level subfolders.
  public static func list(_ root: String) throws -> (files: [String], labels: [Int], classes: [String]) {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
      throw DatasetError(root, "image folder not found")
    }
    guard let walker = fm.enumerator(atPath: root) else { throw DatasetError(root, "cannot list the folder") }
    var rel: [String] = []
    while let f = walker.nextObject() as? String {
      if extensions.contains((f as NSString).pathExtension.lowercased()) { rel.append(f) }
    }
    rel.sort()
    guard !rel.isEmpty else { throw DatasetError(root, "no .png, .jpg or .jpeg files in this folder or below") }
    let classes = Array(Set(rel.compactMap { $0.contains("/") ? String($0.split(separator: "/")[0]) : nil })).sorted()
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    let labels = rel.map { $0.contains("/") ? index[String($0.split(separator: "/")[0])]! : 0 }
    return (rel.map { "\(root)/\($0)" }, labels, classes.isEmpty ? ["images"] : classes)
  }

  /// Loads up to `limit` images, resized and center-cropped to size x size, as RGB in [-1, 1].
  public static func load(_ root: String, size: Int, limit: Int? = nil, name: String? = nil) throws -> ImageDataset {
    var (files, labels, classes) = try list(root)
    if let limit, files.count > limit { files = Array(files.prefix(limit)); labels = Array(labels.prefix(limit)) }
    var px = [Float](repeating: 0, count: files.count * 3 * size * size)
    for (i, f) in files.enumerated() {
      let ext = (f as NSString).pathExtension.lowercased()
      let img = ext == "png" ? try readPNG(f) : try readJPEG(f)
      let sq = centerCrop(resizeShorterSide(img, to: size), size: size)
      for c in 0..<3 { for y in 0..<size { for x in 0..<size {
        px[((i * 3 + c) * size + y) * size + x] = Float(sq.pixels[(y * size + x) * 3 + c]) / 127.5 - 1
      } } }
    }
    return ImageDataset(name: name ?? (root as NSString).lastPathComponent, pixels: px, labels: labels, channels: 3,
                        height: size, width: size, classNames: classes)
  }

  static func readJPEG(_ path: String) throws -> Image8 {
    do { return try JPEG.read(path) } catch let e as ImageFileError { throw DatasetError(path, e.message) }
  }

  static func readPNG(_ path: String) throws -> Image8 {
    do { return try PNG.read(path, channels: 3) } catch let e as ImageFileError { throw DatasetError(path, e.message) }
  }

  /// Area-averaging resize so that the shorter side becomes `s`.
  public static func resizeShorterSide(_ img: Image8, to s: Int) -> Image8 {
    let scale = Double(s) / Double(min(img.width, img.height))
    let w = max(s, Int((Double(img.width) * scale).rounded())), h = max(s, Int((Double(img.height) * scale).rounded()))
    return resize(img, width: w, height: h)
  }

  /// Box-filter resize: each output pixel averages the source area it covers (with fractional edges).
  public static func resize(_ img: Image8, width w: Int, height h: Int) -> Image8 {
    let c = img.channels
    let sx = Double(img.width) / Double(w), sy = Double(img.height) / Double(h)
    var out = [UInt8](repeating: 0, count: w * h * c)
    for y in 0..<h {
      let y0 = Double(y) * sy, y1 = y0 + sy
      for x in 0..<w {
        let x0 = Double(x) * sx, x1 = x0 + sx
        var acc = [Double](repeating: 0, count: c)
        var area = 0.0
        var yy = Int(y0)
        while Double(yy) < y1 && yy < img.height {
          let wy = min(Double(yy + 1), y1) - max(Double(yy), y0)
          var xx = Int(x0)
          while Double(xx) < x1 && xx < img.width {
            let wgt = wy * (min(Double(xx + 1), x1) - max(Double(xx), x0))
            for ch in 0..<c { acc[ch] += wgt * Double(img.pixels[(yy * img.width + xx) * c + ch]) }
            area += wgt
            xx += 1
          }
          yy += 1
        }
        for ch in 0..<c { out[(y * w + x) * c + ch] = UInt8(min(255, max(0, (acc[ch] / max(area, 1e-12)).rounded()))) }
      }
    }
    return Image8(width: w, height: h, channels: c, pixels: out)
  }

  /// The central size x size square.
  public static func centerCrop(_ img: Image8, size: Int) -> Image8 {
    let ox = (img.width - size) / 2, oy = (img.height - size) / 2, c = img.channels
    var out = [UInt8](repeating: 0, count: size * size * c)
    for y in 0..<size { for x in 0..<size { for ch in 0..<c {
      out[(y * size + x) * c + ch] = img.pixels[((y + oy) * img.width + x + ox) * c + ch]
    } } }
    return Image8(width: size, height: size, channels: c, pixels: out)
  }
}
