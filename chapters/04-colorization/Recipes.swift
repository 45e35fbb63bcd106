//===--- Recipes.swift ----------------------------------------------------===//
// The conditional AGE recipes the chapter trains, each written once and recorded
// in results.json (the prose reads them from there):
//   released-nz16  the released `cars_reconstruction` command of the cAGE branch
//                  (github.com/DmitryUlyanov/AGE, branch `cAGE`, `cars_reconstruction.cmd`
//                  and `age.py`): Adam 6e-4 multiplied by 0.96 every 2 epochs (`drop_lr`),
//                  the released formulas (variance KL, cosine L_Z), encoder
//                  `1;KL_fake:0.5,KL_real:1,match_z:10,match_x:10`, generator
//                  `4;KL_fake:1,match_z:10,match_x:10`, M = 16. The chapter's main run.
//   released-nz3   the same with M = 3, the paper's latent dimension.
//   first-round    the first round's recipe, kept as an ablation: Adam 2e-4 without decay,
//                  the paper's formulas (eq. 7 with sd, L2 L_Z), encoder eq. (5) as printed
//                  (KL_fake weight 1, no L_Z), 2 generator steps with L_X at nu = 10, M = 3.
//===----------------------------------------------------------------------===//
import DeepLearning
import Models

/// lr is multiplied by `factor` after every `everyEpochs` epochs (the cAGE code's `adjust_lr`).
struct LRDecay: Codable, Equatable {
  var factor: Float
  var everyEpochs: Int
}

struct ColorRecipe: Codable, Equatable {
  var name: String
  var summary: String
  var nz: Int
  var lr: Float
  var decay: LRDecay?
  var age: AGEConfig

  /// Adam for e and g: the recipe's initial learning rate, DCGAN's betas (0.5, 0.999) as the released code.
  var optimizer: AdamSettings { AdamSettings(lr: lr, beta1: AdamSettings.dcgan.beta1, beta2: AdamSettings.dcgan.beta2) }

  /// The learning rate of epoch `epoch` (0-based).
  func lr(epoch: Int) -> Float {
    guard let d = decay else { return lr }
    var r = lr
    for _ in 0..<(epoch / d.everyEpochs) { r *= d.factor }
    return r
  }

  static func released(nz: Int) -> ColorRecipe {
    var a = AGEConfig.officialCode
    a.mu = 10; a.lambda = 10; a.generatorLX = 10
    a.encoderFakeWeight = 0.5; a.encoderLZ = 10
    a.generatorSteps = 4
    return ColorRecipe(name: "released-nz\(nz)", summary: "the released cars_reconstruction command, M = \(nz)",
                       nz: nz, lr: 6e-4, decay: LRDecay(factor: 0.96, everyEpochs: 2), age: a)
  }

  static var firstRound: ColorRecipe {
    var a = AGEConfig()
    a.mu = 10; a.lambda = 10; a.generatorLX = 10
    a.generatorSteps = 2
    return ColorRecipe(name: "first-round", summary: "the first round's recipe (paper formulas, lr 2e-4), M = 3",
                       nz: 3, lr: 2e-4, decay: nil, age: a)
  }

  /// Every recipe by name; the first is the main run.
  static var all: [ColorRecipe] { [released(nz: 16), released(nz: 3), firstRound] }

  var json: [String: Any] {
    let a = age
    func d(_ x: Float) -> Double { Double("\(x)")! }   // 6e-4 as written, not its float's binary expansion
    return ["name": name, "summary": summary, "nz": nz, "lr": d(lr), "lr_decay_factor": d(decay?.factor ?? 1),
            "lr_decay_every_epochs": decay?.everyEpochs ?? 0, "mu": d(a.mu), "lambda": d(a.lambda), "nu": d(a.generatorLX),
            "kappa": d(a.encoderFakeWeight), "lambda_e": d(a.encoderLZ), "generator_steps": a.generatorSteps,
            "divergence": a.divergence.rawValue, "latent_loss": a.latentLoss.rawValue, "batch": batchSize,
            "beta1": d(optimizer.beta1), "beta2": d(optimizer.beta2)]
  }
}

/// Batch size of every run (the released commands' 64).
let batchSize = 64
