//===--- Adam.swift -------------------------------------------------------===//
// Adam (Kingma & Ba 2015) with PyTorch's semantics (torch.optim.Adam):
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p -= lr / (1 - b1^t) * m / ( sqrt(v) / sqrt(1 - b2^t) + eps )
// with optional L2 weight decay added to g. Parameters without a gradient are skipped.
//===----------------------------------------------------------------------===//
import Kernels

/// Adam's hyperparameters as a recipe records them (Codable, so a run's configuration carries them).
public struct AdamSettings: Codable, Equatable, Sendable {
  public var lr: Float
  public var beta1: Float, beta2: Float
  /// A recipe's Adam settings.
  public init(lr: Float, beta1: Float, beta2: Float = 0.999) { self.lr = lr; self.beta1 = beta1; self.beta2 = beta2 }
  /// DCGAN's recipe (Radford et al. 2016, Section 4): lr 2e-4, beta1 0.5. AGE's released code, pix2pix,
  /// AAE, alpha-GAN, the VAE and DCGAN here train with it.
  public static let dcgan = AdamSettings(lr: 2e-4, beta1: 0.5)
  /// ALI's scripts (github.com/IshmaelBelghazi/ALI, `experiments/ali_cifar10.py`): lr 1e-4, beta1 0.5.
  public static let ali = AdamSettings(lr: 1e-4, beta1: 0.5)
}

/// Adam over a fixed list of parameters (torch.optim.Adam); `step()` applies their accumulated gradients.
public final class Adam {
  public let parameters: [Tensor]
  public var lr: Float
  public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
  /// Steps taken so far (PyTorch keeps one per parameter; here they move together).
  public internal(set) var step = 0
  var m: [[Float]], v: [[Float]]

  /// PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay.
  public init(_ parameters: [Tensor], lr: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8,
              weightDecay: Float = 0) {
    self.parameters = parameters; self.lr = lr; beta1 = betas.0; beta2 = betas.1
    self.eps = eps; self.weightDecay = weightDecay
    m = parameters.map { [Float](repeating: 0, count: $0.count) }
    v = parameters.map { [Float](repeating: 0, count: $0.count) }
  }

  /// An Adam with a recipe's settings (eps 1e-8, no weight decay).
  public convenience init(_ parameters: [Tensor], _ s: AdamSettings) {
    self.init(parameters, lr: s.lr, betas: (s.beta1, s.beta2))
  }

  /// Applies one update from the parameters' accumulated gradients.
  public func step(_ unused: Void = ()) {
    step += 1
    let bc1 = 1 - pow(beta1, step), bc2 = 1 - pow(beta2, step)
    let stepSize = lr / bc1, sqrtBc2 = bc2.squareRoot()
    for (i, p) in parameters.enumerated() {
      guard let g = p.grad else { continue }
      let (b1, b2, e, wd) = (beta1, beta2, eps, weightDecay)
      p.data.withUnsafeMutableBufferPointer { pd in m[i].withUnsafeMutableBufferPointer { pm in
        v[i].withUnsafeMutableBufferPointer { pv in g.withUnsafeBufferPointer { pg in
          let (d, mm, vv, gg) = (pd.baseAddress!, pm.baseAddress!, pv.baseAddress!, pg.baseAddress!)
          // Elementwise, so any split across threads gives the same bits.
          let t = pd.count >= 1 << 16 ? KernelConfig.threads : 1
          parallelFor(t) { part in
            for j in chunkRange(pd.count, parts: t, index: part) {
              let gj = wd == 0 ? gg[j] : gg[j] + wd * d[j]
              mm[j] = b1 * mm[j] + (1 - b1) * gj
              vv[j] = b2 * vv[j] + (1 - b2) * gj * gj
              d[j] -= stepSize * mm[j] / (vv[j].squareRoot() / sqrtBc2 + e)
            }
          }
        } }
      } }
    }
  }
  /// Clears the gradients of all parameters.
  public func zeroGrad() { for p in parameters { p.grad = nil } }
}

/// Float power for small integer exponents (bias corrections).
func pow(_ x: Float, _ n: Int) -> Float {
  var r: Double = 1, b = Double(x), e = n
  while e > 0 { if e & 1 == 1 { r *= b }; b *= b; e >>= 1 }
  return Float(r)
}

/// Multiplies the learning rate by `gamma` every `stepSize` epochs (torch.optim.lr_scheduler.StepLR);
/// the released AGE code halves it every `drop_lr` epochs.
public struct StepLR {
  public let initialLR: Float, stepSize: Int, gamma: Float
  /// The learning rate of epoch e is initialLR * gamma^(e / stepSize).
  public init(initialLR: Float, stepSize: Int, gamma: Float = 0.5) {
    self.initialLR = initialLR; self.stepSize = stepSize; self.gamma = gamma
  }
  /// The learning rate for a 0-based epoch.
  public func lr(epoch: Int) -> Float { initialLR * pow(gamma, stepSize > 0 ? epoch / stepSize : 0) }
  /// Sets every optimizer's learning rate to the one of `epoch` (0-based).
  public func apply(to opts: [Adam], epoch: Int) { for o in opts { o.lr = lr(epoch: epoch) } }
}
