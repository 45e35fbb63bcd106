import Datasets
import DeepLearning
import Foundation
import TestSupport
import Testing

func tempDir(_ name: String) -> String {
  let d = FileManager.default.temporaryDirectory.appendingPathComponent("age-data-\(getpid())-\(name)").path
  try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
  return d
}

func gzip(_ path: String) throws {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["gzip", "-f", "-n", path]
  try p.run(); p.waitUntilExit()
}

/// A tiny IDX image file: n images of r x c with pixel (i, y, x) = (i + y + x) % 256.
func idxImages(n: Int, r: Int, c: Int) -> [UInt8] {
  var b: [UInt8] = [0, 0, 8, 3]
  for v in [n, r, c] { b += [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
  for i in 0..<n { for y in 0..<r { for x in 0..<c { b.append(UInt8((i + y + x) % 256)) } } }
  return b
}
func idxLabels(_ labels: [Int]) -> [UInt8] {
  let n = labels.count
  return [0, 0, 8, 1, UInt8(n >> 24 & 255), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)] + labels.map { UInt8($0) }
}

@Suite("Dataset loaders")
struct LoaderTests {
  /// A split smaller than one batch is an error naming its folder, before anything trains on it.
  @Test func tooSmallSplitIsNamed() throws {
    let dir = tempDir("tiny-mnist") + "/mnist"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for split in ["train", "t10k"] {
      try Data(idxImages(n: 3, r: 28, c: 28)).write(to: URL(fileURLWithPath: "\(dir)/\(split)-images-idx3-ubyte"))
      try Data(idxLabels([1, 0, 9])).write(to: URL(fileURLWithPath: "\(dir)/\(split)-labels-idx1-ubyte"))
    }
    var message = ""
    do { _ = try DataLocator(dataDir: (dir as NSString).deletingLastPathComponent).load(.mnist, train: true) } catch { message = "\(error)" }
    #expect(message.contains(dir) && message.contains("holds 3 images"), "\(message)")
  }

  @Test func idxRawAndGzip() throws {
    let dir = tempDir("idx")
    let img = idxImages(n: 3, r: 4, c: 5), lab = idxLabels([1, 0, 9])
    _ = FileManager.default.createFile(atPath: "\(dir)/i", contents: Data(img))
    _ = FileManager.default.createFile(atPath: "\(dir)/l", contents: Data(lab))
    let a = try IDX.load(name: "t", images: "\(dir)/i", labels: "\(dir)/l", classNames: (0..<10).map(String.init))
    #expect(a.count == 3 && a.height == 4 && a.width == 5 && a.labels == [1, 0, 9])
    #expect(a.pixels[0] == -1 && abs(a.pixels[1] - (1 / 127.5 - 1)) < 1e-6)
    try gzip("\(dir)/i"); try gzip("\(dir)/l")
    let b = try IDX.load(name: "t", images: "\(dir)/i.gz", labels: "\(dir)/l.gz", classNames: (0..<10).map(String.init))
    #expect(b.pixels == a.pixels && b.labels == a.labels)
    let p = a.padded(to: 8)
    #expect(p.height == 8 && p.width == 8 && p.pixels[0] == -1 && p.pixels[2 * 8 + 1] == a.pixels[0])
  }

  @Test func clearErrors() throws {
    let dir = tempDir("errors")
    var img = idxImages(n: 2, r: 3, c: 3)
    img[3] = 1  // wrong magic
    _ = FileManager.default.createFile(atPath: "\(dir)/magic", contents: Data(img))
    #expect { try IDX.readImages("\(dir)/magic") } throws: { "\($0)".contains("wrong magic number") && "\($0)".contains("\(dir)/magic") }
    _ = FileManager.default.createFile(atPath: "\(dir)/short", contents: Data(idxImages(n: 2, r: 3, c: 3).dropLast(4)))
    #expect { try IDX.readImages("\(dir)/short") } throws: { "\($0)".contains("declares 2 images") }
    #expect { try IDX.readImages("\(dir)/absent") } throws: { "\($0)".contains("file not found") }
    _ = FileManager.default.createFile(atPath: "\(dir)/c.bin", contents: Data(repeating: 3, count: 3073 * 2 - 1))
    #expect { try CIFAR10.readBatch("\(dir)/c.bin") } throws: { "\($0)".contains("not a multiple") }
    _ = FileManager.default.createFile(atPath: "\(dir)/d.bin", contents: Data(repeating: 11, count: 3073))
    #expect { try CIFAR10.readBatch("\(dir)/d.bin") } throws: { "\($0)".contains("label 11") }
    let loc = DataLocator(dataDir: dir)
    #expect { try loc.load(.mnist, train: true) } throws: { "\($0)".contains("train-images-idx3-ubyte.gz") && "\($0)".contains(dir) }
    #expect { try loc.load(.cifar10, train: true) } throws: { "\($0)".contains("data_batch_1.bin") }
    // A truncated gzip stream is an error, not silent garbage.
    _ = FileManager.default.createFile(atPath: "\(dir)/g", contents: Data(idxImages(n: 50, r: 28, c: 28)))
    try gzip("\(dir)/g")
    let gz = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/g.gz"))
    _ = FileManager.default.createFile(atPath: "\(dir)/t.gz", contents: gz.prefix(gz.count / 2))
    #expect(throws: DatasetError.self) { try IDX.readImages("\(dir)/t.gz") }
  }

  var cifarRecords: [UInt8] {
    var b = [UInt8](repeating: 0, count: 2 * 3073)
    for i in 0..<b.count { b[i] = UInt8(i % 251) }
    b[0] = 3; b[3073] = 7
    return b
  }

  /// Thousands of mutated files (truncations, flipped bytes, huge declared sizes): errors, never a crash or hang.
  @Test func fuzzedInputsNeverCrash() throws {
    let dir = tempDir("fuzz")
    var rng = RandomGenerator(seed: 2024)
    let seeds: [(String, [UInt8])] = [
      ("images", idxImages(n: 4, r: 6, c: 5)), ("labels", idxLabels([3, 1, 4, 1, 5])),
      ("cifar", cifarRecords),
    ]
    var outcomes = (ok: 0, rejected: 0)
    for (kind, good) in seeds {
      for i in 0..<1000 {
        var d = good
        switch rng.int(below: 4) {
        case 0: d = Array(d.prefix(rng.int(below: d.count)))
        case 1: for _ in 0..<(1 + rng.int(below: 3)) { d[rng.int(below: d.count)] ^= UInt8(1 + rng.int(below: 255)) }
        case 2: d[4 + rng.int(below: 4)] = 0xff  // a huge declared count or size
        default: d += (0..<rng.int(below: 9)).map { _ in UInt8(rng.int(below: 256)) }
        }
        let path = "\(dir)/\(kind)-\(i % 8)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(d))
        do {
          switch kind {
          case "images": _ = try IDX.readImages(path)
          case "labels": _ = try IDX.readLabels(path)
          default: _ = try CIFAR10.readBatch(path)
          }
          outcomes.ok += 1
        } catch is DatasetError { outcomes.rejected += 1 }
      }
    }
    #expect(outcomes.rejected > 1500, "\(outcomes)")
  }

  @Test func realFashionMNISTWhenInstalled() throws {
    let loc = DataLocator(dataDir: "/nonexistent")
    guard loc.isAvailable(.fashionMNIST) else { return }
    let test = try loc.load(.fashionMNIST, train: false)
    #expect(test.count == 10000 && test.height == 28 && test.labels.max() == 9)
    #expect(test.pixels.min()! >= -1 && test.pixels.max()! <= 1)
  }

  @Test func shufflingIsDeterministic() {
    var a = BatchSampler(count: 100, batchSize: 7, seed: 3), b = BatchSampler(count: 100, batchSize: 7, seed: 3)
    var c = BatchSampler(count: 100, batchSize: 7, seed: 4)
    let sa = (0..<30).map { _ in a.next() }, sb = (0..<30).map { _ in b.next() }, sc = (0..<30).map { _ in c.next() }
    #expect(sa == sb && sa != sc)
    #expect(a.epoch == 2 && Set(sa[0..<14].flatMap { $0 }).count == 98)
  }

  /// Published sRGB -> L*a*b* (D65) values (Lindbloom's calculator, EasyRGB).
  @Test func labReferenceValues() {
    let refs: [((Double, Double, Double), (Double, Double, Double))] = [
      ((1, 1, 1), (100, 0.005, -0.010)), ((1, 0, 0), (53.2408, 80.0925, 67.2032)),
      ((0, 1, 0), (87.7347, -86.1827, 83.1793)), ((0, 0, 1), (32.2970, 79.1875, -107.8602)),
      ((0, 0, 0), (0, 0, 0)), ((0.5, 0.5, 0.5), (53.3890, 0.003, -0.006)),
    ]
    for (rgb, lab) in refs {
      let l = ColorSpace.rgbToLab(rgb.0, rgb.1, rgb.2)
      #expect(abs(l.0 - lab.0) < 0.02 && abs(l.1 - lab.1) < 0.05 && abs(l.2 - lab.2) < 0.05, "\(rgb) -> \(l), expected \(lab)")
      let back = ColorSpace.labToRgb(l.0, l.1, l.2)
      // The 7-digit matrices are inverses to about 1e-5: far below one 8-bit level (0.004).
      #expect(abs(back.0 - rgb.0) < 1e-4 && abs(back.1 - rgb.1) < 1e-4 && abs(back.2 - rgb.2) < 1e-4, "\(rgb) -> \(back)")
    }
  }
}

@Suite("Batch sampler state")
struct SamplerStateTests {
  @Test func restoredSamplerContinuesExactly() {
    var a = BatchSampler(count: 50, batchSize: 8, seed: 3)
    for _ in 0..<9 { _ = a.next() }  // into the second epoch
    var b = BatchSampler(count: 50, batchSize: 8, state: a.state)!
    for _ in 0..<20 { #expect(a.next() == b.next()) }
    #expect(a.epoch == b.epoch && a.position == b.position)
    var bad = a.state; bad.order[0] = bad.order[1]
    #expect(BatchSampler(count: 50, batchSize: 8, state: bad) == nil)
  }
}

@Suite("Lab images for colorization")
struct LabImagesTests {
  @Test func roundTripAndScaling() {
    // Four 2x2 RGB images with values across [-1, 1], including pure black, white and saturated red.
    var px = [Float](repeating: 0, count: 4 * 3 * 4)
    var rng = RandomGenerator(seed: 3)
    for i in 0..<px.count { px[i] = rng.uniform(-1, 1) }
    for c in 0..<3 { px[c * 4] = -1; px[c * 4 + 1] = 1 }         // image 0: black and white pixels
    px[2] = 1; px[4 + 2] = -1; px[8 + 2] = -1                     // image 0, pixel 2: pure red
    let rgb = ImageDataset(name: "t", pixels: px, labels: [0, 1, 0, 1], channels: 3, height: 2, width: 2, classNames: ["a", "b"])
    let lab = LabImages(rgb)
    let (l, ab) = lab.batch([0, 1, 2, 3])
    #expect(abs(l.data[0] - -1) < 1e-4 && abs(l.data[1] - 1) < 1e-4)     // L = 0 and 100
    #expect(abs(ab.data[0]) < 1e-4 && abs(ab.data[4]) < 1e-4)            // black: a = b = 0
    #expect(abs(ab.data[2] * 110 - 80.1) < 0.2)                          // red: a* = 80.1
    let back = LabImages.rgb(l: l, ab: ab)
    #expect(closeness(back.data, px, atol: 2e-3, rtol: 0) <= 1)
    #expect(lab.filter(labels: [1]).count == 2)
  }
}
