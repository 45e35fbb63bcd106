import Datasets
import DeepLearning
import Foundation
import ImageIO
import Testing

/// Where the committed fixtures live (Tests/DatasetsTests/Fixtures, written by scipy.io.savemat:
/// X uint8 [32, 32, 3, 5] from numpy's default_rng(0) with X[0, 1, 2, 3] = 200, y = [1, 10, 3, 7, 10]).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

@Suite("SVHN (MATLAB v5) and image folders")
struct MATAndFolderTests {
  @Test("SVHN from scipy-written files", arguments: ["svhn_small.mat", "svhn_small_compressed.mat"])
  func svhn(_ file: String) throws {
    let d = try SVHN.load("\(fixtures)/\(file)")
    #expect(d.count == 5 && d.channels == 3 && d.height == 32)
    #expect(d.labels == [1, 0, 3, 7, 0])
    // X[0, 1, 2, 3] (row 0, column 1, channel 2, image 3) = 200.
    let px: Float = d.pixels[((3 * 3 + 2) * 32 + 0) * 32 + 1]
    #expect(px == Float(200.0 / 127.5 - 1.0))
    // Per-image pixel sums as numpy computed them when writing the fixture.
    let expected: [Double] = [384896, 389619, 392933, 396104, 399417]
    for i in 0..<5 {
      var s = 0.0
      for v in d.pixels[(i * 3072)..<((i + 1) * 3072)] { s += (Double(v) + 1) * 127.5 }
      #expect(abs(s - expected[i]) < 0.5, "image \(i): \(s)")
    }
  }

  @Test func svhnFuzzNeverCrashes() throws {
    let good = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/svhn_small.mat"))
    let goodZ = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/svhn_small_compressed.mat"))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("age-mat-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var rng = RandomGenerator(seed: 11)
    var rejected = 0
    for i in 0..<1000 {
      var d = i % 2 == 0 ? good : goodZ
      switch rng.int(below: 3) {
      case 0: d = d.prefix(rng.int(below: d.count))
      case 1: for _ in 0..<(1 + rng.int(below: 4)) { d[128 + rng.int(below: min(200, d.count - 128))] ^= UInt8(1 + rng.int(below: 255)) }
      default: let o = 128 + 4 + 8 * rng.int(below: 8); if o + 4 <= d.count { d[o + 3] = 0x7f }
      }
      let path = "\(dir)/f\(i % 4).mat"
      _ = FileManager.default.createFile(atPath: path, contents: d)
      do { _ = try SVHN.load(path) } catch is DatasetError { rejected += 1 }
    }
    #expect(rejected > 500)
  }

  @Test func imageFolderWithPNGAndJPEG() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("age-folder-\(getpid())").path
    try? FileManager.default.removeItem(atPath: root)
    for sub in ["cars", "trucks"] { try FileManager.default.createDirectory(atPath: "\(root)/\(sub)", withIntermediateDirectories: true) }
    // A 20x10 red image (PNG) and a 12x12 gray-ish image (JPEG).
    let red = Image8(width: 20, height: 10, channels: 3, pixels: (0..<200).flatMap { _ in [255, 0, 0] as [UInt8] })
    try PNG.write(red, to: "\(root)/cars/a.png")
    let gray = Image8(width: 12, height: 12, channels: 3, pixels: [UInt8](repeating: 128, count: 432))
    try JPEG.write(gray, to: "\(root)/trucks/b.jpg")
    let d = try ImageFolder.load(root, size: 8)
    #expect(d.count == 2 && d.height == 8 && d.labels == [0, 1] && d.classNames == ["cars", "trucks"])
    #expect(d.pixels[0] == 1 && d.pixels[64] == -1)  // red: R = 255, G = 0
    #expect(abs(d.pixels[192] - (128 / 127.5 - 1)) < 0.05)  // JPEG is lossy
    _ = FileManager.default.createFile(atPath: "\(root)/trucks/broken.jpg", contents: Data("not a jpeg".utf8))
    #expect { try ImageFolder.load(root, size: 8) } throws: { "\($0)".contains("broken.jpg") }
    #expect { try ImageFolder.load("\(root)/none", size: 8) } throws: { "\($0)".contains("not found") }
  }

  /// Mutated PNG and JPEG files (truncations, flipped bytes): an error naming the file, never a crash.
  @Test func fuzzedImagesNeverCrash() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("age-imgfuzz-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var rng = RandomGenerator(seed: 5)
    let img = Image8(width: 23, height: 17, channels: 3, pixels: (0..<(23 * 17 * 3)).map { _ in UInt8(rng.int(below: 256)) })
    try PNG.write(img, to: "\(dir)/good.png")
    try JPEG.write(img, to: "\(dir)/good.jpg")
    var rejected = 0, total = 0
    for ext in ["png", "jpg"] {
      let good = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/good.\(ext)"))
      for i in 0..<500 {
        var d = good
        if rng.int(below: 2) == 0 { d = d.prefix(rng.int(below: d.count)) }
        else { for _ in 0..<(1 + rng.int(below: 6)) { d[rng.int(below: d.count)] ^= UInt8(1 + rng.int(below: 255)) } }
        let path = "\(dir)/f\(i % 4).\(ext)"
        _ = FileManager.default.createFile(atPath: path, contents: d)
        total += 1
        do {
          let out = ext == "png" ? try PNG.read(path) : try JPEG.read(path)
          #expect(out.width > 0 && out.height > 0)
        } catch let e as DatasetError {
          rejected += 1; #expect(e.path == path)
        } catch let e as ImageFileError {
          rejected += 1; #expect(e.path == path)
        }
      }
    }
    #expect(rejected > total / 4, "\(rejected) of \(total) rejected")
  }
}
