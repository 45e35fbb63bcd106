//===--- ColorSpace.swift -------------------------------------------------===//
// sRGB <-> CIE L*a*b* under the D65 white point, as the colorization chapter
// needs (L in [0, 100]; a, b roughly in [-128, 127]). sRGB components in [0, 1].
//   linearize: c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4
//   XYZ = M * rgb_linear; f(t) = t^(1/3) if t > (6/29)^3 else t / (3 (6/29)^2) + 4/29
//   L = 116 f(Y/Yn) - 16; a = 500 (f(X/Xn) - f(Y/Yn)); b = 200 (f(Y/Yn) - f(Z/Zn))
//===----------------------------------------------------------------------===//
import Libm

/// sRGB <-> CIE L*a*b* under the D65 white point (L in [0, 100]).
public enum ColorSpace {
  static let xn = 0.95047, yn = 1.0, zn = 1.08883
  static let delta = 6.0 / 29.0

  static func linearize(_ c: Double) -> Double {
    c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)
  }
  static func gamma(_ c: Double) -> Double {
    c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055
  }
  static func cbrt(_ t: Double) -> Double { t <= 0 ? 0 : Math.pow(t, 1.0 / 3.0) }
  static func f(_ t: Double) -> Double { t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29.0 }
  static func finv(_ t: Double) -> Double { t > delta ? t * t * t : 3 * delta * delta * (t - 4.0 / 29.0) }

  /// sRGB in [0, 1] -> (L, a, b).
  public static func rgbToLab(_ r: Double, _ g: Double, _ b: Double) -> (Double, Double, Double) {
    let rl = linearize(r), gl = linearize(g), bl = linearize(b)
    let x = 0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl
    let y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl
    let z = 0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl
    let fx = f(x / xn), fy = f(y / yn), fz = f(z / zn)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
  }

  /// (L, a, b) -> sRGB, clipped to [0, 1].
  public static func labToRgb(_ l: Double, _ a: Double, _ b: Double) -> (Double, Double, Double) {
    let fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - b / 200
    let x = xn * finv(fx), y = yn * finv(fy), z = zn * finv(fz)
    let rl = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
    let gl = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
    let bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
    func clip(_ v: Double) -> Double { min(1, max(0, v)) }
    return (clip(gamma(clip(rl))), clip(gamma(clip(gl))), clip(gamma(clip(bl))))
  }
}
