//===--- IDX.swift --------------------------------------------------------===//
// The IDX format of MNIST and Fashion-MNIST (gzip-compressed or raw):
// big-endian magic 0x00000803 (u8 images: count, rows, cols) or 0x00000801
// (u8 labels: count), then the bytes.
//===----------------------------------------------------------------------===//

/// The IDX format of MNIST and Fashion-MNIST (big-endian header, unsigned bytes).
public enum IDX {
  /// Reads an IDX3 image file: (count, rows, cols, pixels as bytes).
  public static func readImages(_ path: String) throws -> (count: Int, rows: Int, cols: Int, bytes: [UInt8]) {
    let b = try FileReader.read(path)
    guard b.count >= 16 else { throw DatasetError(path, "truncated: \(b.count) bytes, an IDX image header needs 16") }
    let magic = be32(b, 0)
    guard magic == 0x0803 else {
      throw DatasetError(path, String(format: "wrong magic number 0x%08x (IDX images have 0x00000803)", magic))
    }
    let n = Int(be32(b, 4)), r = Int(be32(b, 8)), c = Int(be32(b, 12))
    guard r > 0 && c > 0 && r <= 4096 && c <= 4096 else { throw DatasetError(path, "implausible image size \(r)x\(c)") }
    let (need, o) = n.multipliedReportingOverflow(by: r * c)
    guard !o, need == b.count - 16 else {
      throw DatasetError(path, "header declares \(n) images of \(r)x\(c) (\(need) bytes) but the file holds \(b.count - 16)")
    }
    return (n, r, c, Array(b[16...]))
  }

  /// Reads an IDX1 label file.
  public static func readLabels(_ path: String) throws -> [Int] {
    let b = try FileReader.read(path)
    guard b.count >= 8 else { throw DatasetError(path, "truncated: \(b.count) bytes, an IDX label header needs 8") }
    let magic = be32(b, 0)
    guard magic == 0x0801 else {
      throw DatasetError(path, String(format: "wrong magic number 0x%08x (IDX labels have 0x00000801)", magic))
    }
    let n = Int(be32(b, 4))
    guard n == b.count - 8 else { throw DatasetError(path, "header declares \(n) labels but the file holds \(b.count - 8)") }
    return b[8...].map { Int($0) }
  }

  /// Images and labels as an ImageDataset with pixels in [-1, 1] (x / 127.5 - 1).
  public static func load(name: String, images: String, labels: String, classNames: [String]) throws -> ImageDataset {
    let im = try readImages(images)
    let lb = try readLabels(labels)
    guard lb.count == im.count else {
      throw DatasetError(labels, "\(lb.count) labels for \(im.count) images in \(images)")
    }
    if let bad = lb.first(where: { $0 >= classNames.count }) {
      throw DatasetError(labels, "label \(bad) out of range 0..<\(classNames.count)")
    }
    return ImageDataset(name: name, pixels: im.bytes.map { Float($0) / 127.5 - 1 }, labels: lb, channels: 1,
                        height: im.rows, width: im.cols, classNames: classNames)
  }

  static func be32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
  }
}
