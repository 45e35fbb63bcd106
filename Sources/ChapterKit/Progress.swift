//===--- Progress.swift ---------------------------------------------------===//
// Progress of a long loop: on a terminal, one line redrawn in place (percent,
// rate, ETA, current losses); otherwise plain lines every `plainEvery` seconds,
// so logs of background runs stay readable. Bars of runs on concurrent lanes
// (`runInLanes`) share the terminal line, each in a short form.
//===----------------------------------------------------------------------===//
import Foundation

/// A progress line with rate and ETA (redrawn on a terminal, a plain line every `plainEvery` seconds otherwise).
public final class Progress {
  let label: String, total: Int, unit: String
  let start = Date()
  var last = Date.distantPast
  let tty = isatty(STDERR_FILENO) != 0
  let plainEvery: Double

  /// A progress report of `total` units named `unit`.
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
      let short = String(format: "%@ %.0f%% ETA %@", label, pct, Progress.clock(eta))
      let text: String = Progress.board.with { bars in
        bars.removeAll { $0.id == ObjectIdentifier(self) }
        if final { return line + "\n" + bars.map(\.text).joined(separator: " | ") }
        bars.append((ObjectIdentifier(self), short))
        return bars.count == 1 ? line : bars.map(\.text).joined(separator: " | ")
      }
      FileHandle.standardError.write(("\r\u{1B}[2K" + text).data(using: .utf8)!)
    } else {
      FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
    }
  }

  /// The short texts of the bars being drawn on the terminal, in the order they started.
  static let board = Shared<[(id: ObjectIdentifier, text: String)]>([])

  static func clock(_ s: Double) -> String {
    let t = Int(s.rounded())
    return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
  }
}

/// Prints to standard error (for messages that should not mix with data on stdout).
/// On a terminal it first clears a progress bar's line, so the message starts at the margin.
public func log(_ s: String) {
  let clear = isatty(STDERR_FILENO) != 0 ? "\r\u{1B}[2K" : ""
  FileHandle.standardError.write((clear + s + "\n").data(using: .utf8)!)
}
