//===--- ImageDataset.swift -----------------------------------------------===//
// An in-memory labelled image set: pixels as Float in [-1, 1], NCHW.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Images [N, C, H, W] in [-1, 1] with integer labels, held in memory.
public struct ImageDataset: Sendable {
  /// A short name, e.g. "fashion-mnist".
  public var name: String
  /// Pixels [N, C, H, W] in row-major order, scaled to [-1, 1].
  public var pixels: [Float]
  public var labels: [Int]
  public var channels: Int, height: Int, width: Int
  public var classNames: [String]

  /// A dataset from its pixels (N * C * H * W values, NCHW) and one label per image.
  public init(name: String, pixels: [Float], labels: [Int], channels: Int, height: Int, width: Int,
              classNames: [String]) {
    precondition(pixels.count == labels.count * channels * height * width, "ImageDataset: pixel count mismatch")
    self.name = name; self.pixels = pixels; self.labels = labels
    self.channels = channels; self.height = height; self.width = width; self.classNames = classNames
  }

  public var count: Int { labels.count }
  public var imageSize: Int { channels * height * width }

  /// Images `indices` as a tensor [n, C, H, W].
  public func batch(_ indices: [Int]) -> Tensor {
    var d = [Float](repeating: 0, count: indices.count * imageSize)
    pixels.withUnsafeBufferPointer { src in
      d.withUnsafeMutableBufferPointer { dst in
        for (r, i) in indices.enumerated() {
          (dst.baseAddress! + r * imageSize).update(from: src.baseAddress! + i * imageSize, count: imageSize)
        }
      }
    }
    return Tensor(shape: [indices.count, channels, height, width], data: d)
  }

  /// The first n images (or all).
  public func prefix(_ n: Int) -> ImageDataset {
    let k = min(n, count)
    return ImageDataset(name: name, pixels: Array(pixels[0..<(k * imageSize)]), labels: Array(labels[0..<k]),
                        channels: channels, height: height, width: width, classNames: classNames)
  }
  /// The images whose label is in `keep`.
  public func filter(labels keep: Set<Int>) -> ImageDataset { subset((0..<count).filter { keep.contains(labels[$0]) }) }

  /// The images at `indices`, in that order.
  public func subset(_ indices: [Int]) -> ImageDataset {
    ImageDataset(name: name, pixels: batch(indices).data, labels: indices.map { labels[$0] }, channels: channels,
                 height: height, width: width, classNames: classNames)
  }

  /// Pads every image with `value` (the background, -1 for MNIST) to size x size, centred:
  /// 28x28 -> 32x32 as the AGE code's 32px networks expect.
  public func padded(to size: Int, value: Float = -1) -> ImageDataset {
    guard height < size || width < size else { return self }
    let top = (size - height) / 2, left = (size - width) / 2
    var out = [Float](repeating: value, count: count * channels * size * size)
    for n in 0..<count { for c in 0..<channels { for y in 0..<height {
      let src = ((n * channels + c) * height + y) * width
      let dst = ((n * channels + c) * size + y + top) * size + left
      for x in 0..<width { out[dst + x] = pixels[src + x] }
    } } }
    return ImageDataset(name: name, pixels: out, labels: labels, channels: channels, height: size, width: size,
                        classNames: classNames)
  }
}

/// Shuffled minibatches, reshuffled every epoch, deterministic by seed.
public struct BatchSampler: Sendable {
  public let count: Int, batchSize: Int
  public private(set) var epoch = 0
  public private(set) var position = 0
  var order: [Int]
  var rng: RandomGenerator

  /// Shuffled batches of `batchSize` indices of 0..<count, reshuffled every epoch from `seed`.
  public init(count: Int, batchSize: Int, seed: UInt64) {
    precondition(count >= batchSize && batchSize > 0, "BatchSampler: \(count) examples for batches of \(batchSize)")
    self.count = count; self.batchSize = batchSize
    rng = RandomGenerator(seed: seed)
    order = rng.permutation(count)
  }
  /// Batches per epoch (the last incomplete batch is dropped, as the AGE code's loader does).
  public var batchesPerEpoch: Int { count / batchSize }
  /// Fractional epochs done.
  public var progress: Double { Double(epoch) + Double(position) / Double(batchesPerEpoch * batchSize) }

  /// Everything needed to continue this exact sequence of batches after a restart.
  public var state: (epoch: Int, position: Int, order: [Int], rng: [UInt64]) { (epoch, position, order, rng.state) }

  /// A sampler restored from `state`; nil when the state does not fit `count` and `batchSize`.
  public init?(count: Int, batchSize: Int, state: (epoch: Int, position: Int, order: [Int], rng: [UInt64])) {
    guard count >= batchSize, batchSize > 0, state.order.count == count, state.epoch >= 0,
          (0...count).contains(state.position), Set(state.order) == Set(0..<count),
          let r = RandomGenerator(state: state.rng) else { return nil }
    self.count = count; self.batchSize = batchSize
    epoch = state.epoch; position = state.position; order = state.order; rng = r
  }

  /// The indices of the next batch; starts a new epoch (with a new order) when needed.
  public mutating func next() -> [Int] {
    if position + batchSize > count {
      epoch += 1; position = 0; order = rng.permutation(count)
    }
    defer { position += batchSize }
    return Array(order[position..<(position + batchSize)])
  }
}
