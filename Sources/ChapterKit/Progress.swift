//===--- Progress.swift ---------------------------------------------------===//
// Progress of a long loop: on a terminal, one line redrawn in place (percent,
// rate, ETA, current losses); otherwise plain lines every `plainEvery` seconds,
// so logs of background runs stay readable.
//===----------------------------------------------------------------------===//
import Foundation

public final class Progress {
  let label: String, total: Int, unit: String
  let start = Date()
  var last = Date.distantPast
  let tty = isatty(STDERR_FILENO) != 0
  let plainEvery: Double

  public init(_ label: String, total: Int, unit: String = "it", plainEvery: Double = 30) {
    self.label = label; self.total = max(total, 1); self.unit = unit; self.plainEvery = plainEvery
  }

  /// Reports that `done` of `total` units are complete, with optional named values.
  public func update(_ done: Int, _ values: [(String, Float)] = []) {
    let now = Date()
    let final = done >= total
    guard final || now.timeIntervalSince(last) >= (tty ? 0.25 : plainEvery) else { return }
    last = now
    let el = now.timeIntervalSince(start)
    let rate = Double(done) / max(el, 1e-9)
    let eta = rate > 0 ? Double(total - done) / rate : 0
    let vals = values.map { "\($0.0) \(String(format: "%.4g", $0.1))" }.joined(separator: "  ")
    let pct = 100 * Double(done) / Double(total)
    let line = String(format: "%@ %5.1f%% %d/%d  %.2f %@/s  elapsed %@  ETA %@  ", label, pct, done, total, rate, unit,
                      Progress.clock(el), Progress.clock(eta)) + vals
    if tty {
      FileHandle.standardError.write(("\r\u{1B}[2K" + line + (final ? "\n" : "")).data(using: .utf8)!)
    } else {
      FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
    }
  }

  static func clock(_ s: Double) -> String {
    let t = Int(s.rounded())
    return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
  }
}

/// Prints to standard error (for messages that should not mix with data on stdout).
public func log(_ s: String) { FileHandle.standardError.write((s + "\n").data(using: .utf8)!) }
