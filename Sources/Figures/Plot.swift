//===--- Plot.swift -------------------------------------------------------===//
// gnuplot plots: a chapter writes the data (.dat, whitespace columns with a
// commented header) and the script (.gp) next to the PNG it renders with the
// pngcairo terminal, so a reader can edit and re-plot. A missing gnuplot is a
// clear error, never a silent gap, and so is any warning gnuplot prints. The
// look (colours, system order, legend, ranges) is `Style`'s.
//===----------------------------------------------------------------------===//
import Foundation

/// A plot that could not be rendered (no gnuplot, a gnuplot error or, when strict, a warning).
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
  /// The line colour ("#rrggbb"); nil: the system's colour if the title names one, else the palette's next.
  public var color: String?
  /// A series of `rows` whose columns are named `columns`.
  public init(title: String, columns: [String], rows: [[Double]], using: String = "1:2", style: String = "lines lw 2",
              color: String? = nil) {
    self.title = title; self.columns = columns; self.rows = rows; self.using = using; self.style = style; self.color = color
  }
}

/// A gnuplot plot: its series, labels and axes; `write` saves the data, the script and the PNG.
public struct Plot {
  public var title: String
  public var xlabel: String, ylabel: String
  public var series: [Series]
  public var logX = false, logY = false
  /// Extra gnuplot commands (ranges, key position, size ratio...).
  public var extra: [String] = []
  public var size = (900, 600)
  /// End the x axis at the data (with a small margin) rather than at the next tic; off for bar charts.
  public var fitX = true
  /// Draw series naming systems in `Style.systems`' order (real data last, over the systems).
  public var systemOrder = true
  /// A plot of `series` with linear axes.
  public init(title: String, xlabel: String, ylabel: String, series: [Series]) {
    self.title = title; self.xlabel = xlabel; self.ylabel = ylabel; self.series = series
  }

  /// Writes `<dir>/<name>.gp`, one `<dir>/<name>.<k>.dat` per series, and renders `<dir>/<name>.png`.
  /// - Parameters:
  ///   - render: run gnuplot now (false leaves the script for `make plots`).
  ///   - strict: throw when gnuplot prints a warning; otherwise the warning goes to stderr and the run goes on.
  @discardableResult
  public func write(dir: String, name: String, render: Bool = true, strict: Bool = false) throws -> String {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var plots: [String] = []
    var nextColor = 0
    let ordered = systemOrder ? Style.inSystemOrder(series, name: \.title) : series
    for (k, s) in ordered.enumerated() {
      let datName = "\(name).\(k).dat"
      var text = "# \(s.title)\n# " + s.columns.joined(separator: " ") + "\n"
      for r in s.rows { text += r.map { fmt($0) }.joined(separator: " ") + "\n" }
      try text.write(toFile: "\(dir)/\(datName)", atomically: true, encoding: .utf8)
      var with = s.style
      let styled = ["image", "labels"].contains { with.hasPrefix($0) } || with.contains(" lc ")
      if !styled, let color = s.color ?? Style.color(ofSystem: s.title) ?? {
        defer { nextColor += 1 }
        return Style.palette[nextColor % Style.palette.count]
      }() {
        with += " lc rgb '\(color)'"
      }
      plots.append("'\(datName)' using \(s.using) with \(with) title \"\(escape(s.title))\"")
    }
    var gp = """
    # Rendered by the chapter run; re-plot with: cd \(dir) && gnuplot \(name).gp
    set terminal pngcairo size \(size.0),\(size.1) enhanced font 'DejaVu Sans,11'
    set output '\(name).png'
    set title "\(escape(title))"
    set xlabel "\(escape(xlabel))"
    set ylabel "\(escape(ylabel))"
    set grid
    set key below horizontal height 1.5

    """
    let barChart = series.contains { $0.style.hasPrefix("boxes") || $0.style.hasPrefix("image") }
    if fitX && !barChart && !extra.contains(where: { $0.hasPrefix("set xrange") }) {
      gp += "set autoscale xfix\nset offsets graph 0.02, graph 0.02, 0, 0\n"
    }
    if logX { gp += "set logscale x\n" }
    if logY { gp += "set logscale y\n" }
    for e in extra { gp += e + "\n" }
    gp += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
    try gp.write(toFile: "\(dir)/\(name).gp", atomically: true, encoding: .utf8)
    if render {
      let warnings = try Gnuplot.run(script: "\(name).gp", in: dir)
      if !warnings.isEmpty {
        if strict { throw PlotError(message: "gnuplot warned on \(dir)/\(name).gp: \(warnings)") }
        FileHandle.standardError.write(Data("warning: figure \(dir)/\(name).png: gnuplot said: \(warnings)\n".utf8))
      }
    }
    return "\(dir)/\(name).png"
  }

  func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "NaN" }
  func escape(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "\\\"") }
}

/// Runs gnuplot on a script.
public enum Gnuplot {
  /// The gnuplot executable on PATH, if any.
  public static var executable: String? { find(inPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") }
  /// The first gnuplot in a colon-separated search path.
  public static func find(inPath path: String) -> String? {
    path.split(separator: ":").map { "\($0)/gnuplot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs `gnuplot script` in `dir`; throws with gnuplot's own message on failure, and returns
  /// what it printed on success (warnings, such as an empty range; "" when there were none).
  @discardableResult
  public static func run(script: String, in dir: String, searchPath: String? = nil) throws -> String {
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
    let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw PlotError(message: "gnuplot failed on \(dir)/\(script): \(msg)")
    }
    return msg
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
