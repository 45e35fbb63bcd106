import DeepLearning
import Evaluation
import Foundation
@testable import Models
import Testing

/// One AGE iteration against PyTorch (the trace tools/trace/age_trace.py wrote into
/// Fixtures/age-trace.safetensors): from the same initial weights, batch x and prior batches,
/// both formula sets give the same seven losses, the same gradients (read from Adam's first
/// moments, 0.1 g after one step), the same parameters after the update and the same
/// batch-norm running statistics, within float32 tolerance.
@Suite("One AGE iteration against the PyTorch reference trace")
struct ReferenceTraceTests {
  static let path = TraceFixtures.path("age-trace.safetensors")

  @Test(arguments: ["paper", "official-code"])
  func oneIteration(variant: String) throws {
    let (t, meta) = try SafeTensors.read(Self.path)
    let c = DCGAN32Config(channels: Int(meta["nc"]!)!, nz: Int(meta["nz"]!)!, ngf: Int(meta["ngf"]!)!, ndf: Int(meta["ndf"]!)!)
    var rng = RandomGenerator(seed: 1)
    let e = makeEncoder32(c, rng: &rng), g = makeGenerator32(c, rng: &rng)
    for (name, net) in [("e", e), ("g", g)] {
      for (i, p) in net.parameters.enumerated() {
        let s = try #require(t["init.\(name).\(i)"], "init.\(name).\(i)")
        #expect(s.shape == p.shape, "init.\(name).\(i): \(s.shape) vs \(p.shape)")
        p.data = s.data
      }
      #expect(t["init.\(name).\(net.parameters.count)"] == nil, "the reference \(name) has more parameters")
    }
    var config = variant == "paper" ? AGEConfig() : AGEConfig.officialCode
    config.mu = 10; config.lambda = 1000
    let optE = Adam(e.parameters, lr: 2e-4, betas: (0.5, 0.999)), optG = Adam(g.parameters, lr: 2e-4, betas: (0.5, 0.999))
    func tensor(_ k: String) -> Tensor { Tensor(shape: t[k]!.shape, data: t[k]!.data) }
    let x = tensor("x")
    var priors = ["z.e", "z.g0", "z.g1"].map(tensor)
    let s = ageIteration(e: e, g: g, optE: optE, optG: optG, config: config, x: x, condition: (),
                         encode: { x, _ in e(x) }, generate: { z, _ in g(z) },
                         sampleZ: { n in #expect(n == x.shape[0]); return priors.removeFirst() },
                         batchPerGeneratorStep: false, realBatch: { (x, ()) })
    #expect(priors.isEmpty)

    let ref = t["\(variant).losses"]!.data
    let ours = [s.klReal, s.klFakeE, s.reconX, s.lossE, s.klFakeG, s.reconZ, s.lossG]
    for (k, name) in ["kl_real", "kl_fake_e", "recon_x", "loss_e", "kl_fake_g", "recon_z", "loss_g"].enumerated() {
      #expect(abs(ours[k] - ref[k]) <= 1e-4 * max(1, abs(ref[k])), "\(variant) \(name): \(ours[k]) vs \(ref[k])")
    }
    for (name, net, opt) in [("e", e, optE), ("g", g, optG)] {
      let names = net.namedParameters().map { $0.0 }
      let state = opt.stateDict(names: names, prefix: "")
      for (i, p) in net.parameters.enumerated() {
        let initial = t["init.\(name).\(i)"]!.data
        let m = TraceFixtures.relativeError(state["exp_avg." + names[i]]!.data, t["\(variant).\(name)_exp_avg.\(i)"]!.data)
        let v = TraceFixtures.relativeError(state["exp_avg_sq." + names[i]]!.data, t["\(variant).\(name)_exp_avg_sq.\(i)"]!.data)
        #expect(m < 1e-3 && v < 2e-3, "\(variant) \(name) parameter \(i) (\(names[i])): gradient moments off by \(m), \(v)")
        // The update, relative to its own size (Adam's first steps are about lr per element).
        let refAfter = t["\(variant).\(name).\(i)"]!.data
        let du = TraceFixtures.relativeError(zip(p.data, initial).map { $0 - $1 }, zip(refAfter, initial).map { $0 - $1 })
        #expect(du < 1e-2, "\(variant) \(name) parameter \(i) (\(names[i])): update off by \(du)")
      }
      for (j, bn) in batchNormLayers(net).enumerated() {
        #expect(TraceFixtures.relativeError(bn.runningMean.data, t["\(variant).\(name)_running_mean.\(j)"]!.data) < 1e-4,
                "\(variant) \(name) BN \(j) running mean")
        #expect(TraceFixtures.relativeError(bn.runningVar.data, t["\(variant).\(name)_running_var.\(j)"]!.data) < 1e-4,
                "\(variant) \(name) BN \(j) running var")
      }
    }
  }
}
