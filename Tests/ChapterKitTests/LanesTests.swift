import ChapterKit
import Datasets
import DeepLearning
import Foundation
import Models
import Testing

/// Training runs on concurrent lanes: every task runs once, errors come back, and runs trained
/// side by side end bit-identical to the same runs trained one after another.
@Suite("Training runs side by side on lanes")
struct LanesTests {
  struct Boom: Error {}

  @Test func everyTaskRunsOnce() throws {
    let seen = Shared<[Int]>([])
    let tasks: [() throws -> Void] = (0..<7).map { i in { seen.with { $0.append(i) } } }
    try runInLanes(tasks, lanes: 3, threads: 2)
    #expect(seen.with { $0.sorted() } == Array(0..<7))
  }

  @Test func firstErrorIsRethrownAndLaterTasksDoNotStart() {
    let seen = Shared<[Int]>([])
    let tasks: [() throws -> Void] = [
      { seen.with { $0.append(0) } }, { throw Boom() }, { seen.with { $0.append(2) } },
    ]
    #expect(throws: Boom.self) { try runInLanes(tasks, lanes: 1, threads: 2) }
    #expect(seen.with { $0 } == [0])
    #expect(throws: Boom.self) { try runInLanes(tasks + tasks, lanes: 2, threads: 2) }
  }

  /// Trains a tiny AGE pair for a few steps and returns its parameters.
  static func train(seed: UInt64) -> [Float] {
    let config = DCGAN32Config(channels: 1, nz: 8, ngf: 8, ndf: 8)
    var rng = RandomGenerator(seed: seed)
    let e = makeEncoder32(config, rng: &rng), g = makeGenerator32(config, rng: &rng)
    let t = AGETrainer(e: e, g: g, nz: config.nz, config: AGEConfig())
    let x = Tensor.uniform([32, 1, 32, 32], -1, 1, rng: &rng)
    for _ in 0..<3 { t.step(x: x, nextRealBatch: { x }, rng: &rng) }
    return (e.parameters + g.parameters).flatMap(\.data)
  }

  @Test func sideBySideRunsMatchSequentialRuns() throws {
    let seeds: [UInt64] = [1, 2, 3]
    let alone = seeds.map { Self.train(seed: $0) }
    let together = Shared<[UInt64: [Float]]>([:])
    try runInLanes(seeds.map { s in { let p = Self.train(seed: s); together.with { $0[s] = p } } }, lanes: 2, threads: 2)
    for (s, p) in zip(seeds, alone) { #expect(together.with { $0[s] } == p) }
    #expect(alone[0] != alone[1])
  }
}
