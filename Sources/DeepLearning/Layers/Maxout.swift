//===--- Maxout.swift -----------------------------------------------------===//
// Maxout (Goodfellow et al. 2013), the nonlinearity of ALI's CIFAR-10
// discriminator: the channels (axis 1) fall into groups of `pieces` consecutive
// channels and each group keeps its maximum, as Blocks' Maxout brick does.
// [N, C, H, W] -> [N, C / pieces, H, W]; [N, F] -> [N, F / pieces].
//===----------------------------------------------------------------------===//

extension Tensor {
  /// The maximum over consecutive groups of `pieces` channels (axis 1).
  public func maxout(_ pieces: Int) -> Tensor {
    precondition(rank >= 2 && shape[1] % pieces == 0, "maxout: \(shape[1]) channels do not split into \(pieces) pieces")
    let rest = shape[2...].reduce(1, *)
    var out = shape; out[1] /= pieces
    return reshape([shape[0], shape[1] / pieces, pieces, rest]).max(axis: 2).reshape(out)
  }
}

/// Maxout over `pieces` channels as a layer.
public func Maxout(_ pieces: Int = 2) -> Lambda { Lambda("Maxout(\(pieces))") { $0.maxout(pieces) } }
