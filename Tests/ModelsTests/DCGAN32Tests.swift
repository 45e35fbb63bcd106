import DeepLearning
import Models
import Testing

@Suite("The 32x32 pairs")
struct DCGAN32Tests {
  @Test func releasedPairShapesAndParameters() {
    var rng = RandomGenerator(seed: 1)
    var c = DCGAN32Config(channels: 3, nz: 128, ngf: 64, ndf: 64)
    c.arch = .dcgan32px
    let e = makeEncoder32(c, rng: &rng), g = makeGenerator32(c, rng: &rng)
    // models/dcgan32px.py at nz 128, nc 3: the counts of its layer list, by hand.
    #expect(parameterCount(e) == 3072 + 131072 + 256 + 524288 + 512 + 524288 + 128)
    #expect(parameterCount(g) == 1048576 + 1024 + 2097152 + 512 + 524288 + 256 + 262144 + 256 + 128 * 3 + 3)
    let x = Tensor.normal([2, 3, 32, 32], rng: &rng)
    let z = withNoGrad { e(x) }
    #expect(z.shape == [2, 128])
    let norms = (0..<2).map { i in (0..<128).reduce(Float(0)) { $0 + z.data[i * 128 + $1] * z.data[i * 128 + $1] } }
    #expect(norms.allSatisfy { abs($0 - 1) < 1e-4 })
    let y = withNoGrad { g(z) }
    #expect(y.shape == [2, 3, 32, 32] && y.data.allSatisfy { abs($0) <= 1 })
    // The reduced pair at the same width is smaller.
    c.arch = .reduced
    #expect(parameterCount(makeGenerator32(c, rng: &rng)) < parameterCount(g))
  }
}
