//===--- TrainingChecks.swift ---------------------------------------------===//
// Theorem 3 (reciprocity from L_Z alone), checked by training a small encoder
// against an exact aligning map.
//===----------------------------------------------------------------------===//
import ChapterKit
import DeepLearning
import Figures
import Foundation
import Libm
import Models

// MARK: - Theorem 3

/// An exact aligning map f from Z = N(0, I_2) onto an annulus 1 <= r <= 2 (the data X = f(Z)):
/// f(z) = (1 + Phi-like squash of |z|) * z / |z|, invertible onto the annulus, never inside or outside it.
func annulus(_ z: Tensor) -> Tensor {
  let r = z.square().sum(axes: [1], keepDims: true).sqrt() + 1e-6        // [N, 1]
  let radius = (r * 0.7).tanh() + 1                                     // in [1, 2)
  return z / r * radius
}

let theorem3Check = Check(
  id: "theorem-3",
  claim: "If f aligns W with Q and h inverts f on W (L_Z = 0), then f inverts h on the support of Q: training e with the latent loss L_Z only drives L_X to 0 on the data, not off it",
  paper: "Theorem 3"
) { ctx in
  let steps = ctx.budget.steps * 2
  var rng = ctx.rng.split()
  let e = mlp([2, 64, 64, 2], act: { Tanh() }, rng: &rng)
  let opt = Adam(e.parameters, lr: 3e-3)
  // Evaluation sets: data (the annulus) and points off the support (inside the hole, outside the ring).
  let zEval = Tensor.normal([2000, 2], rng: &rng)
  let onSupport = withNoGrad { annulus(zEval) }.detach()
  var off = [Float]()
  for _ in 0..<1000 {
    let a = rng.uniformDouble() * 2 * Double.pi
    let r = rng.int(below: 2) == 0 ? rng.uniformDouble() * 0.7 : 2.4 + rng.uniformDouble() * 1.5
    off += [Float(r * Math.cos(a)), Float(r * Math.sin(a))]
  }
  let offSupport = Tensor(shape: [1000, 2], data: off)
  func lx(_ x: Tensor) -> Double { Double(withNoGrad { (annulus(e(x)) - x).square().sum(axes: [1]).sqrt().mean() }.item) }
  var curve: [[Double]] = []
  for step in 0...steps {
    if step % max(1, steps / 40) == 0 || step == steps {
      let lz = Double(withNoGrad { (e(annulus(zEval)) - zEval).square().sum(axes: [1]).mean() }.item)
      curve.append([Double(step), lz, lx(onSupport), lx(offSupport)])
    }
    if step == steps { break }
    // L_Z = E ||z - e(f(z))||^2 (eq. 4), the only loss: L_X is never trained.
    let z = Tensor.normal([256, 2], rng: &rng)
    opt.zeroGrad()
    (e(annulus(z)) - z).square().sum(axes: [1]).mean().backward()
    opt.step()
  }
  let first = curve.first!, last = curve.last!
  let holds = last[2] < 0.1 * first[2] && last[3] > 3 * last[2]
  let series = [
    Series(title: "L_Z (trained)", columns: ["step", "value"], rows: curve.map { [$0[0], $0[1]] }),
    Series(title: "L_X on the data's support", columns: ["step", "value"], rows: curve.map { [$0[0], $0[2]] }),
    Series(title: "L_X off the support", columns: ["step", "value"], rows: curve.map { [$0[0], $0[3]] }),
  ]
  var p = Plot(title: "Theorem 3: training e on L_Z only, with f aligning N(0, I) onto an annulus",
               xlabel: "Adam steps on L_Z", ylabel: "reconstruction error", series: series)
  p.logY = true
  try p.write(dir: ctx.out, name: "theorem3")
  return CheckResult(
    verdict: holds ? .holds : .fails,
    summary: "after \(steps) steps on L_Z only: L_Z \(sci(last[1])), L_X on support \(sci(last[2])) (from \(fmt(first[2]))), off support \(fmt(last[3]))",
    numbers: ["steps": steps, "lz_final": last[1], "lx_support_initial": first[2], "lx_support_final": last[2],
              "lx_off_support_final": last[3]])
}

/// An MLP: Linear layers with `act` between them (none after the last).
func mlp(_ sizes: [Int], act: @escaping () -> Module = { ReLU() }, rng: inout RandomGenerator) -> Sequential {
  var layers: [Module] = []
  for i in 0..<(sizes.count - 1) {
    layers.append(Linear(sizes[i], sizes[i + 1], rng: &rng))
    if i < sizes.count - 2 { layers.append(act()) }
  }
  return Sequential(layers)
}
