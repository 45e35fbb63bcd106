//===--- CIFAR10.swift ----------------------------------------------------===//
// CIFAR-10's binary version: records of 1 label byte + 3072 pixel bytes
// (1024 R, 1024 G, 1024 B, row-major 32x32), any number of records per file;
// class names in batches.meta.txt, one per line.
//===----------------------------------------------------------------------===//
import Foundation

/// CIFAR-10's binary version (data_batch_*.bin, test_batch.bin): 32x32 RGB images in [-1, 1] with labels.
public enum CIFAR10 {
  public static let recordSize = 3073
  public static let defaultClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                                         "ship", "truck"]

  /// Reads one batch file: labels and pixels in [-1, 1].
  public static func readBatch(_ path: String) throws -> (labels: [Int], pixels: [Float]) {
    let b = try FileReader.read(path)
    guard !b.isEmpty else { throw DatasetError(path, "empty file") }
    guard b.count % recordSize == 0 else {
      throw DatasetError(path, "size \(b.count) is not a multiple of the \(recordSize)-byte CIFAR-10 record (truncated?)")
    }
    let n = b.count / recordSize
    var labels = [Int](repeating: 0, count: n), pixels = [Float](repeating: 0, count: n * 3072)
    for i in 0..<n {
      let l = Int(b[i * recordSize])
      guard l < 10 else { throw DatasetError(path, "record \(i) has label \(l), CIFAR-10 labels are 0...9") }
      labels[i] = l
      for j in 0..<3072 { pixels[i * 3072 + j] = Float(b[i * recordSize + 1 + j]) / 127.5 - 1 }
    }
    return (labels, pixels)
  }

  /// The training set (data_batch_1...5.bin, those present, at least one) or the test set (test_batch.bin).
  public static func load(directory: String, train: Bool) throws -> ImageDataset {
    let files = train ? (1...5).map { "\(directory)/data_batch_\($0).bin" } : ["\(directory)/test_batch.bin"]
    let present = files.filter { FileManager.default.fileExists(atPath: $0) }
    guard !present.isEmpty else {
      throw DatasetError(directory, "no CIFAR-10 binary batches: expected \(files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")); download 'CIFAR-10 binary version' (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html and unpack it there")
    }
    var labels: [Int] = [], pixels: [Float] = []
    for f in present {
      let (l, p) = try readBatch(f)
      labels += l; pixels += p
    }
    var names = defaultClassNames
    if let meta = try? String(contentsOfFile: "\(directory)/batches.meta.txt", encoding: .utf8) {
      let lines = meta.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      if lines.count == 10 { names = lines }
    }
    return ImageDataset(name: "cifar10", pixels: pixels, labels: labels, channels: 3, height: 32, width: 32,
                        classNames: names)
  }
}
