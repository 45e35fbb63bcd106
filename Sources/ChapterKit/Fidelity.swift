//===--- Fidelity.swift ---------------------------------------------------===//
// Which formulas an AGE run uses: the paper's as printed, or the released code's
// (github.com/DmitryUlyanov/AGE: `src/losses.py` `KLN01Loss`, `src/utils.py` `match`, `age.py`). A command-line
// option of chapters 2 and 4.
//===----------------------------------------------------------------------===//
import ArgumentParser
import Models

/// The formula set of an AGE run, as `--fidelity paper|official-code`.
public enum Fidelity: String, ExpressibleByArgument, CaseIterable, Sendable {
  /// Eq. (7) with the standard deviation and the L2 latent loss, as the paper prints them.
  case paper
  /// The released code: variance in place of the standard deviation, cosine latent loss.
  case officialCode = "official-code"
  /// Sets `c`'s divergence and latent loss to this formula set's (`AGEConfig()` and `AGEConfig.officialCode`).
  public func apply(to c: inout AGEConfig) {
    let formulas = self == .paper ? AGEConfig() : AGEConfig.officialCode
    c.divergence = formulas.divergence; c.latentLoss = formulas.latentLoss
  }
}
