//===--- DataLocator.swift ------------------------------------------------===//
// Where datasets live. The embedded default, Fashion-MNIST, comes from Debian's
// `dataset-fashion-mnist` package (/usr/share/datasets/fashion-mnist). Others are
// looked up in the data directory: --data-dir, else $AGE_DATA, else ./data, in
// their standard layouts:
//   <dir>/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]
//   <dir>/mnist/...                (same names)
//   <dir>/cifar-10-batches-bin/ or <dir>/cifar-10-subset/ or <dir>/cifar10/  (data_batch_*.bin, test_batch.bin)
//   <dir>/svhn/{train,test}_32x32.mat                                      (SVHN cropped digits)
//===----------------------------------------------------------------------===//
import Foundation

/// The datasets the chapters read, by their command-line names.
public enum DatasetName: String, CaseIterable, Codable, Sendable {
  case fashionMNIST = "fashion-mnist", mnist, cifar10, svhn
}

/// Where each dataset's files are: --data-dir, AGE_DATA or ./data, and Debian's Fashion-MNIST package.
public struct DataLocator: Sendable {
  /// The directory searched for datasets other than the packaged Fashion-MNIST.
  public let dataDir: String
  /// Debian's Fashion-MNIST location.
  public static let systemFashionMNIST = "/usr/share/datasets/fashion-mnist"

  /// --data-dir if given, else $AGE_DATA, else ./data.
  public init(dataDir: String?) {
    self.dataDir = dataDir ?? ProcessInfo.processInfo.environment["AGE_DATA"] ?? "data"
  }

  static let fashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                               "Bag", "Ankle boot"]
  static let digitClasses = (0...9).map(String.init)

  /// Whether the dataset's files are present.
  public func isAvailable(_ d: DatasetName) -> Bool { (try? directory(for: d)) != nil }

  /// The fewest images a split may hold: one training batch of 64 (the metrics need no more).
  public static let minimumImages = 64

  /// Loads the training or test split; a split with fewer than `minimumImages` images is an error naming its folder.
  public func load(_ d: DatasetName, train: Bool) throws -> ImageDataset {
    let dir = try directory(for: d)
    let set = try loadSplit(d, dir: dir, train: train)
    guard set.count >= Self.minimumImages else {
      throw DatasetError(dir, "the \(d.rawValue) \(train ? "training" : "test") split holds \(set.count) images; "
                         + "at least \(Self.minimumImages) (one batch) are needed. The files are truncated or not the dataset's.")
    }
    return set
  }

  func loadSplit(_ d: DatasetName, dir: String, train: Bool) throws -> ImageDataset {
    switch d {
    case .fashionMNIST, .mnist:
      let split = train ? "train" : "t10k"
      return try IDX.load(name: d.rawValue, images: idxFile(dir, "\(split)-images-idx3-ubyte"),
                          labels: idxFile(dir, "\(split)-labels-idx1-ubyte"),
                          classNames: d == .mnist ? Self.digitClasses : Self.fashionClasses)
    case .cifar10:
      return try CIFAR10.load(directory: dir, train: train)
    case .svhn:
      return try SVHN.load("\(dir)/\(train ? "train" : "test")_32x32.mat")
    }
  }

  func idxFile(_ dir: String, _ base: String) -> String {
    let gz = "\(dir)/\(base).gz"
    return FileManager.default.fileExists(atPath: gz) ? gz : "\(dir)/\(base)"
  }

  /// The folder holding the dataset, or an error naming what is expected and how to get it.
  public func directory(for d: DatasetName) throws -> String {
    let fm = FileManager.default
    func hasIDX(_ dir: String) -> Bool {
      ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
        .allSatisfy { fm.fileExists(atPath: "\(dir)/\($0).gz") || fm.fileExists(atPath: "\(dir)/\($0)") }
    }
    switch d {
    case .fashionMNIST:
      let candidates = ["\(dataDir)/fashion-mnist", Self.systemFashionMNIST]
      if let c = candidates.first(where: hasIDX) { return c }
      throw DatasetError(candidates.joined(separator: " and "),
        "Fashion-MNIST not found: expected train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz. Install Debian's package (sudo apt-get install dataset-fashion-mnist) or put the files in \(dataDir)/fashion-mnist/")
    case .mnist:
      let c = "\(dataDir)/mnist"
      if hasIDX(c) { return c }
      throw DatasetError(c, "MNIST not found: expected train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (the original files from the MNIST database) in this folder; set --data-dir or AGE_DATA to the folder that holds mnist/")
    case .cifar10:
      let candidates = ["cifar-10-batches-bin", "cifar-10-subset", "cifar10"].map { "\(dataDir)/\($0)" }
      if let c = candidates.first(where: { fm.fileExists(atPath: "\($0)/test_batch.bin") }) { return c }
      throw DatasetError(candidates.joined(separator: ", "), "CIFAR-10 not found: expected data_batch_1.bin ... data_batch_5.bin and test_batch.bin (the 'CIFAR-10 binary version' from https://www.cs.toronto.edu/~kriz/cifar.html, unpacked as cifar-10-batches-bin/) under \(dataDir); set --data-dir or AGE_DATA")
    case .svhn:
      let c = "\(dataDir)/svhn"
      if fm.fileExists(atPath: "\(c)/train_32x32.mat") && fm.fileExists(atPath: "\(c)/test_32x32.mat") { return c }
      throw DatasetError(c, "SVHN not found: expected train_32x32.mat and test_32x32.mat (the 'cropped digits' format 2 files from http://ufldl.stanford.edu/housenumbers/) in this folder; set --data-dir or AGE_DATA")
    }
  }
}
