//===--- ConditionalAGE.swift ---------------------------------------------===//
// One iteration of conditional AGE (Section 3.2): the data sample x is the ab
// channels, the condition is L; both networks see L. The divergence Delta of
// eq. (7) is computed over the whole minibatch, unconditionally (each batch mixes
// many L), as the paper says:
//   encoder minimizes   Delta(e(X|L)) - Delta(e(g(Z|L)|L)) + mu |x - g(e(x|L)|L)|_1      (eq. 5)
//   generator minimizes Delta(e(g(Z|L')|L')) + lambda L_Z(z, e(g(z|L')|L'))             (eq. 6)
//                       [+ nu |x' - g(e(x'|L')|L')|_1, nu = config.generatorLX]
// with (L', x') a fresh real batch at each generator step (as the cAGE code draws). The
// bracketed term is the released `cars_reconstruction` command's match_x in the generator
// updates (github.com/DmitryUlyanov/AGE, branch `cAGE`, README); chapter 2 calls it the Fig. 9 ablation.
//===----------------------------------------------------------------------===//
import DeepLearning

/// Conditional AGE (Section 3.2) on e(x | L) and g(z | L), each with its own Adam.
public final class ConditionalAGETrainer {
  public let e: Sequential, g: Sequential
  public let optE: Adam, optG: Adam
  public var config: AGEConfig
  public let nz: Int

  /// Conditional AGE on encoder e ([N, 3, S, S] Lab -> [N, nz]) and generator g ([N, nz + 1, S, S] -> ab).
  public init(e: Sequential, g: Sequential, nz: Int, config: AGEConfig, optimizer: AdamSettings = .dcgan) {
    self.e = e; self.g = g; self.nz = nz; self.config = config
    optE = Adam(e.parameters, optimizer)
    optG = Adam(g.parameters, optimizer)
  }

  /// z ~ Uniform(S^{M-1}), [n, M].
  public func sampleZ(_ n: Int, rng: inout RandomGenerator) -> Tensor { Tensor.uniformOnSphere(n, nz, rng: &rng) }

  /// One encoder update on (l, ab) [N,1,S,S], [N,2,S,S] and `generatorSteps` generator updates,
  /// each on a fresh real batch `nextBatch()` (its L, and its ab when generatorLX > 0).
  @discardableResult
  public func step(l: Tensor, ab: Tensor, nextBatch: () -> (l: Tensor, ab: Tensor),
                   rng: inout RandomGenerator) -> AGEStepStats {
    ageIteration(e: e, g: g, optE: optE, optG: optG, config: config, x: ab, condition: l,
                 encode: { ab, l in encodeLab(e, l: l, ab: ab) }, generate: { z, l in colorize(g, l: l, z: z) },
                 sampleZ: { sampleZ($0, rng: &rng) }, batchPerGeneratorStep: true,
                 realBatch: { let b = nextBatch(); return (b.ab, b.l) })
  }
}
