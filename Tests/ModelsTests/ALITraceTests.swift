import DeepLearning
import Foundation
import Models
import Testing

/// ALI's losses and gradients against PyTorch (the trace tools/trace/ali_trace.py wrote into
/// Fixtures/ali-trace.safetensors): chapter 3's encoder, generator and joint discriminator at width 4,
/// with the same initial weights, batch x, prior draws z and encoder noise eps, give the same L_D and L_G
/// and the same gradients for D (from L_D) and for E and G (from L_G, D frozen). Together with
/// `SystemsTests.aliGradientsFromOnePass` (ALISystem.step's one-pass update equals this textbook form)
/// this checks the update chapter 3 trains ALI with, dropout aside.
@Suite("ALI's losses and gradients against the PyTorch reference trace")
struct ALITraceTests {
  static let path = TraceFixtures.path("ali-trace.safetensors")

  @Test func lossesAndGradients() throws {
    let (t, meta) = try SafeTensors.read(Self.path)
    let nz = Int(meta["nz"]!)!, w = Int(meta["width"]!)!
    let net = DCGAN32Config(channels: Int(meta["nc"]!)!, nz: nz, ngf: w, ndf: w, sphere: false)
    var rng = RandomGenerator(seed: 1)
    let s = ALISystem(net, stochastic: true, seed: 3, rng: &rng)
    let nets: [(String, Module)] = [("e", s.e), ("g", s.g), ("d", s.d)]
    for (name, m) in nets {
      for (i, p) in m.parameters.enumerated() {
        let r = try #require(t["init.\(name).\(i)"], "init.\(name).\(i)")
        #expect(r.shape == p.shape, "init.\(name).\(i): \(r.shape) vs \(p.shape)")
        p.data = r.data
      }
      #expect(t["init.\(name).\(m.parameters.count)"] == nil, "the reference \(name) has more parameters")
    }
    s.d.eval()                                             // the trace's D runs without dropout
    func tensor(_ k: String) -> Tensor { Tensor(shape: t[k]!.shape, data: t[k]!.data) }
    let x = tensor("x"), z = tensor("z"), eps = tensor("eps")
    let n = x.shape[0]

    let (mu, logSigma) = splitGaussian(s.e(x))
    let zHat = mu + logSigma.exp() * eps
    let xTilde = s.g(z)
    let logits = s.d(x: Tensor.concat([x, xTilde], axis: 0), z: Tensor.concat([zHat, z], axis: 0))
    let dEnc = logits.narrow(axis: 0, start: 0, length: n), dDec = logits.narrow(axis: 0, start: n, length: n)
    let dEncDet = s.d(x: x, z: zHat.detach()), dDecDet = s.d(x: xTilde.detach(), z: z)
    let lossD = (-dEncDet).softplus().mean() + dDecDet.softplus().mean()
    lossD.backward()
    s.d.requiresGrad(false)
    let lossG = dEnc.softplus().mean() + (-dDec).softplus().mean()
    lossG.backward()
    s.d.requiresGrad(true)

    let ref = t["losses"]!.data
    #expect(abs(lossD.item - ref[0]) <= 1e-5 * max(1, abs(ref[0])), "L_D \(lossD.item) vs \(ref[0])")
    #expect(abs(lossG.item - ref[1]) <= 1e-5 * max(1, abs(ref[1])), "L_G \(lossG.item) vs \(ref[1])")
    for (name, m) in nets {
      for (i, p) in m.parameters.enumerated() {
        let r = try #require(t["grad.\(name).\(i)"], "grad.\(name).\(i)")
        let g = p.grad ?? [Float](repeating: 0, count: p.count)
        let err = TraceFixtures.relativeError(g, r.data)
        #expect(err < 1e-3, "\(name) parameter \(i) \(p.shape): gradient off by \(err)")
      }
    }
  }
}
