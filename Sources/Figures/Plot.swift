//===--- Plot.swift -------------------------------------------------------===//
// gnuplot plots: a chapter writes the data (.dat, whitespace columns with a
// commented header) and the script (.gp) next to the PNG it renders with the
// pngcairo terminal, so a reader can edit and re-plot. A missing gnuplot is a
// clear error, never a silent gap.
//===----------------------------------------------------------------------===//
import Foundation

public struct PlotError: Error, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// One series of a plot.
public struct Series {
  public var title: String
  /// Rows of numbers; the columns used are given by `using`.
  public var rows: [[Double]]
  public var columns: [String]
  /// gnuplot's `using` clause, e.g. "1:2" or "1:2:3" with errorbars.
  public var using: String = "1:2"
  /// gnuplot's `with` clause: "lines", "points pt 7 ps 0.4", "yerrorlines", "boxes".
  public var style: String = "lines lw 2"
  public init(title: String, columns: [String], rows: [[Double]], using: String = "1:2", style: String = "lines lw 2") {
    self.title = title; self.columns = columns; self.rows = rows; self.using = using; self.style = style
  }
}

public struct Plot {
  public var title: String
  public var xlabel: String, ylabel: String
  public var series: [Series]
  public var logX = false, logY = false
  /// Extra gnuplot commands (ranges, key position, size ratio...).
  public var extra: [String] = []
  public var size = (900, 560)
  public init(title: String, xlabel: String, ylabel: String, series: [Series]) {
    self.title = title; self.xlabel = xlabel; self.ylabel = ylabel; self.series = series
  }

  /// Writes `<dir>/<name>.gp`, one `<dir>/<name>.<k>.dat` per series, and renders `<dir>/<name>.png`.
  /// - Parameter render: run gnuplot now (false leaves the script for `make plots`).
  @discardableResult
  public func write(dir: String, name: String, render: Bool = true) throws -> String {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var plots: [String] = []
    for (k, s) in series.enumerated() {
      let datName = "\(name).\(k).dat"
      var text = "# \(s.title)\n# " + s.columns.joined(separator: " ") + "\n"
      for r in s.rows { text += r.map { fmt($0) }.joined(separator: " ") + "\n" }
      try text.write(toFile: "\(dir)/\(datName)", atomically: true, encoding: .utf8)
      plots.append("'\(datName)' using \(s.using) with \(s.style) title \"\(escape(s.title))\"")
    }
    var gp = """
    # Rendered by the chapter run; re-plot with: cd \(dir) && gnuplot \(name).gp
    set terminal pngcairo size \(size.0),\(size.1) enhanced font 'DejaVu Sans,11'
    set output '\(name).png'
    set title "\(escape(title))"
    set xlabel "\(escape(xlabel))"
    set ylabel "\(escape(ylabel))"
    set grid
    set key outside right top

    """
    if logX { gp += "set logscale x\n" }
    if logY { gp += "set logscale y\n" }
    for e in extra { gp += e + "\n" }
    gp += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
    try gp.write(toFile: "\(dir)/\(name).gp", atomically: true, encoding: .utf8)
    if render { try Gnuplot.run(script: "\(name).gp", in: dir) }
    return "\(dir)/\(name).png"
  }

  func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "NaN" }
  func escape(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "\\\"") }
}

public enum Gnuplot {
  /// The gnuplot executable on PATH, if any.
  public static var executable: String? { find(inPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") }
  /// The first gnuplot in a colon-separated search path.
  public static func find(inPath path: String) -> String? {
    path.split(separator: ":").map { "\($0)/gnuplot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs `gnuplot script` in `dir`; throws with gnuplot's own message on failure.
  public static func run(script: String, in dir: String, searchPath: String? = nil) throws {
    guard let exe = searchPath.map({ find(inPath: $0) }) ?? executable else {
      throw PlotError(message: "gnuplot is not installed, so \(dir)/\(script) cannot be rendered: install it with 'sudo apt-get install gnuplot-nox' (or run 'make deps'), then re-run")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = [script]
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    let err = Pipe()
    p.standardError = err
    try p.run()
    p.waitUntilExit()
    let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard p.terminationStatus == 0 else {
      throw PlotError(message: "gnuplot failed on \(dir)/\(script): \(msg.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
  }
}

/// Moving average of a per-iteration series over windows of `w` points, one row [iteration, mean]
/// every `w / 2` iterations (for training curves).
public func movingAverage(_ y: [Float], window w: Int) -> [[Double]] {
  guard !y.isEmpty else { return [] }
  let w = max(1, min(w, y.count))
  var rows: [[Double]] = []
  var i = 0
  while i + w <= y.count {
    let s = y[i..<(i + w)].reduce(0, +) / Float(w)
    rows.append([Double(i + w), Double(s)])
    i += max(1, w / 2)
  }
  return rows
}
