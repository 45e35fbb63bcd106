//===--- LabImages.swift --------------------------------------------------===//
// Colour images split into lightness and colour for colorization: L [N, 1, H, W]
// scaled to [-1, 1] as L/50 - 1, and ab [N, 2, H, W] scaled as ab/110 (the pix2pix
// colorization convention: github.com/junyanz/pytorch-CycleGAN-and-pix2pix,
// `data/colorization_dataset.py`), with the way back to RGB in [-1, 1].
//===----------------------------------------------------------------------===//
import DeepLearning

/// A colour dataset split into L [N, 1, H, W] and ab [N, 2, H, W], both scaled to about [-1, 1].
public struct LabImages: Sendable {
  public let name: String
  /// Scaled lightness, [N, 1, H, W] row-major.
  public let l: [Float]
  /// Scaled colour, [N, 2, H, W] row-major.
  public let ab: [Float]
  public let labels: [Int]
  public let height: Int, width: Int
  public static let lScale: Float = 50, abScale: Float = 110

  public var count: Int { labels.count }
  var plane: Int { height * width }

  /// Converts an RGB set (pixels in [-1, 1]) to scaled Lab.
  public init(_ rgb: ImageDataset) {
    precondition(rgb.channels == 3, "LabImages: expects RGB images, got \(rgb.channels) channels")
    name = rgb.name; labels = rgb.labels; height = rgb.height; width = rgb.width
    let p = rgb.height * rgb.width
    var l = [Float](repeating: 0, count: rgb.count * p), ab = [Float](repeating: 0, count: rgb.count * 2 * p)
    for n in 0..<rgb.count {
      let base = n * 3 * p
      for i in 0..<p {
        func c(_ k: Int) -> Double { Double(rgb.pixels[base + k * p + i] + 1) / 2 }
        let (ll, a, b) = ColorSpace.rgbToLab(c(0), c(1), c(2))
        l[n * p + i] = Float(ll) / Self.lScale - 1
        ab[n * 2 * p + i] = Float(a) / Self.abScale
        ab[n * 2 * p + p + i] = Float(b) / Self.abScale
      }
    }
    self.l = l; self.ab = ab
  }

  init(name: String, l: [Float], ab: [Float], labels: [Int], height: Int, width: Int) {
    self.name = name; self.l = l; self.ab = ab; self.labels = labels; self.height = height; self.width = width
  }

  /// The images whose label is in `keep`.
  public func filter(labels keep: Set<Int>) -> LabImages {
    let idx = (0..<count).filter { keep.contains(labels[$0]) }
    let (lt, abt) = batch(idx)
    return LabImages(name: name, l: lt.data, ab: abt.data, labels: idx.map { labels[$0] }, height: height, width: width)
  }

  /// Lightness [n, 1, H, W] and colour [n, 2, H, W] of images `indices`.
  public func batch(_ indices: [Int]) -> (l: Tensor, ab: Tensor) {
    var lo = [Float](), abo = [Float]()
    lo.reserveCapacity(indices.count * plane); abo.reserveCapacity(indices.count * 2 * plane)
    for i in indices {
      lo += l[(i * plane)..<((i + 1) * plane)]
      abo += ab[(i * 2 * plane)..<((i + 1) * 2 * plane)]
    }
    return (Tensor(shape: [indices.count, 1, height, width], data: lo),
            Tensor(shape: [indices.count, 2, height, width], data: abo))
  }

  /// Scaled (L, ab) back to RGB in [-1, 1], [n, 3, H, W] (out-of-gamut colours clipped).
  public static func rgb(l: Tensor, ab: Tensor) -> Tensor {
    let (n, h, w) = (l.shape[0], l.shape[2], l.shape[3])
    precondition(ab.shape == [n, 2, h, w], "LabImages.rgb: L \(l.shape) and ab \(ab.shape) disagree")
    let p = h * w
    var out = [Float](repeating: 0, count: n * 3 * p)
    for k in 0..<n {
      for i in 0..<p {
        let ll = Double((l.data[k * p + i] + 1) * lScale)
        let a = Double(ab.data[k * 2 * p + i] * abScale), b = Double(ab.data[k * 2 * p + p + i] * abScale)
        let (r, g, bb) = ColorSpace.labToRgb(ll, a, b)
        out[k * 3 * p + i] = Float(r) * 2 - 1
        out[k * 3 * p + p + i] = Float(g) * 2 - 1
        out[k * 3 * p + 2 * p + i] = Float(bb) * 2 - 1
      }
    }
    return Tensor(shape: [n, 3, h, w], data: out)
  }
}
