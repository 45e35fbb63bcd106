//===--- Style.swift ------------------------------------------------------===//
// One plotting style for every chapter: Okabe and Ito's colour-blind-safe
// palette (its yellow left out: too faint on white), one fixed colour and one
// fixed order per system wherever it appears, legends below the plot, x ranges
// that end at the data.
//===----------------------------------------------------------------------===//

public enum Style {
  /// The colours series take in turn when their title names no system.
  public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#777777"]

  /// Every system the chapters plot, in the order figures and tables list them, with its colour.
  /// "data" (real samples) comes last so that it is drawn over the systems' points.
  public static let systems: [(name: String, color: String)] = [
    ("AGE", "#D55E00"), ("conditional AGE", "#D55E00"),
    ("ALI", "#0072B2"), ("ALI (longer)", "#56B4E9"),
    ("BiGAN", "#009E73"), ("AAE", "#E69F00"), ("alpha-GAN", "#CC79A7"),
    ("VAE", "#000000"), ("DCGAN", "#777777"), ("GAN", "#777777"), ("pix2pix", "#0072B2"),
    ("data", "#000000"),
  ]

  /// The system a series title names: the longest known name the title starts with
  /// ("AGE (Gaussian latent)" is AGE, "ALI (longer)" is not ALI).
  static func systemIndex(_ title: String) -> Int? {
    systems.indices.filter { title == systems[$0].name || title.hasPrefix(systems[$0].name + " ") || title.hasPrefix(systems[$0].name + ",") }
      .max { systems[$0].name.count < systems[$1].name.count }
  }

  /// The fixed colour of the system `title` names, if it names one.
  public static func color(ofSystem title: String) -> String? { systemIndex(title).map { systems[$0].color } }

  /// `items` in the systems' fixed order (by `name`); items naming no system keep their order, after the others.
  public static func inSystemOrder<T>(_ items: [T], name: (T) -> String) -> [T] {
    items.enumerated().sorted {
      let a = systemIndex(name($0.element)) ?? Int.max, b = systemIndex(name($1.element)) ?? Int.max
      return a != b ? a < b : $0.offset < $1.offset
    }.map(\.element)
  }
}
