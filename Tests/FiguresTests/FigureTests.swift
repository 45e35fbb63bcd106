import DeepLearning
@testable import Figures
import Foundation
import ImageIO
import Testing

@Suite("PNG files and plots")
struct FigureTests {
  func dir(_ name: String) -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("age-fig-\(getpid())-\(name)").path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
  }

  @Test func pngRoundTrip() throws {
    let d = dir("png")
    for c in [1, 3] {
      let img = Image8(width: 7, height: 5, channels: c, pixels: (0..<(35 * c)).map { UInt8($0 * 7 % 256) })
      try PNG.write(img, to: "\(d)/a\(c).png")
      #expect(try PNG.read("\(d)/a\(c).png", channels: c) == img)
    }
    _ = FileManager.default.createFile(atPath: "\(d)/bad.png", contents: Data("not a png".utf8))
    #expect { try PNG.read("\(d)/bad.png") } throws: { "\($0)".contains("bad.png") }
  }

  /// Non-finite pixels (a diverged network's output) are drawn, never converted to UInt8 as NaN.
  @Test func gridDrawsNonFiniteValuesWithoutTrapping() {
    let img = Grid.make(Tensor(shape: [1, 1, 2, 2], data: [.nan, .infinity, -.infinity, 0]), padding: 0)
    #expect(img.pixels == [0, 255, 0, 128])
  }

  @Test func gridLayout() {
    // Two 1x2x2 images, one per row, padding 1: a 4 x 7 image.
    let x = Tensor(shape: [2, 1, 2, 2], data: [-1, 1, 0, 1, 1, 1, -1, -1])
    let g = Grid.make(x, nrow: 1, padding: 1)
    #expect(g.width == 4 && g.height == 7)
    #expect(g.pixels[1 * 4 + 1] == 0 && g.pixels[1 * 4 + 2] == 255 && g.pixels[2 * 4 + 1] == 128)
    #expect(g.pixels[0] == 255)
    let p = Grid.pairs(real: x, reconstructed: x, pairsPerRow: 1)
    #expect(p.width == 2 + 2 * (2 + 2) && p.height == 2 + 2 * (2 + 2))  // default padding 2
  }

  @Test func plotsRenderOrFailClearly() throws {
    let d = dir("plot")
    var p = Plot(title: "t", xlabel: "x", ylabel: "y", series: [Series(title: "s", columns: ["x", "y"], rows: [[1, 2], [2, 3]])])
    p.logY = true
    try p.write(dir: d, name: "curve", render: false)
    #expect(FileManager.default.fileExists(atPath: "\(d)/curve.gp") && FileManager.default.fileExists(atPath: "\(d)/curve.0.dat"))
    #expect { try Gnuplot.run(script: "curve.gp", in: d, searchPath: "/nonexistent") } throws: {
      "\($0)".contains("gnuplot is not installed") && "\($0)".contains("apt-get install gnuplot-nox")
    }
    if Gnuplot.executable != nil {
      try Gnuplot.run(script: "curve.gp", in: d)
      let img = try PNG.read("\(d)/curve.png")
      #expect(img.width == 900 && img.height == 600)
    }
  }

  /// Every kind of plot the chapters draw renders through gnuplot without a single warning.
  @Test func everyPlotTypeRendersWithoutWarnings() throws {
    #expect(Gnuplot.executable != nil, "gnuplot is needed for the figures: sudo apt-get install gnuplot-nox (make deps)")
    guard Gnuplot.executable != nil else { return }
    let d = dir("types")
    let line = (0..<20).map { [Double($0), sin(Double($0) / 3)] }
    let cases: [(String, Plot)] = [
      ("lines", Plot(title: "lines", xlabel: "x", ylabel: "y", series: [
        Series(title: "AGE", columns: ["x", "y"], rows: line),
        Series(title: "VAE", columns: ["x", "y"], rows: line.map { [$0[0], $0[1] + 1] }, style: "linespoints lw 2 pt 7")])),
      ("errorbars", Plot(title: "errors", xlabel: "x", ylabel: "y", series: [
        Series(title: "mean", columns: ["x", "y", "sd"], rows: line.map { $0 + [0.1] }, using: "1:2:3", style: "yerrorlines lw 2")])),
      ("scatter", Plot(title: "scatter", xlabel: "x", ylabel: "y", series: [
        Series(title: "data", columns: ["x", "y"], rows: line, style: "points pt 6 ps 0.6"),
        Series(title: "GAN", columns: ["x", "y"], rows: line.map { [$0[0], -$0[1]] }, style: "points pt 7 ps 0.35")])),
      ("bars", Plot(title: "bars", xlabel: "", ylabel: "value", series: [
        Series(title: "a", columns: ["slot", "v"], rows: [[0, 1], [1, 2]], style: "boxes fs solid 0.6")])),
      ("heatmap", Plot(title: "heat", xlabel: "x", ylabel: "y", series: [
        Series(title: "", columns: ["x", "y", "v"], rows: [[0, 0, 0.1], [1, 0, 0.5], [0, 1, 0.7], [1, 1, 1]], using: "1:2:3", style: "image")])),
    ]
    for (name, var plot) in cases {
      plot.logY = name == "errorbars" ? false : plot.logY
      try plot.write(dir: d, name: name, strict: true)
      let img = try PNG.read("\(d)/\(name).png")
      #expect(img.width == 900 && img.height == 600, "\(name)")
    }
    var log = Plot(title: "log axes", xlabel: "x", ylabel: "y", series: [
      Series(title: "s", columns: ["x", "y"], rows: (1...100).map { [Double($0), Double($0 * $0)] })])
    log.logX = true; log.logY = true
    try log.write(dir: d, name: "log", strict: true)
    // The x axis ends at the data (100), not at the next decade (1000).
    #expect(try String(contentsOfFile: "\(d)/log.gp", encoding: .utf8).contains("set autoscale xfix"))
  }

  /// A warning from gnuplot (here: a series with no points) fails a strict plot, naming the figure.
  @Test func gnuplotWarningsAreReported() throws {
    guard Gnuplot.executable != nil else { return }
    let p = Plot(title: "t", xlabel: "x", ylabel: "y", series: [
      Series(title: "ok", columns: ["x", "y"], rows: [[1, 1], [2, 2]]), Series(title: "empty", columns: ["x", "y"], rows: [])])
    #expect { try p.write(dir: dir("warn"), name: "warned", strict: true) } throws: { "\($0)".contains("warned.gp") }
  }

  /// A system keeps its colour whatever the plot, and systems are drawn in one order with real data last.
  @Test func systemsHaveOneColourAndOrder() throws {
    let d = dir("style")
    let s = { (t: String) in Series(title: t, columns: ["x", "y"], rows: [[1, 1], [2, 2]]) }
    try Plot(title: "t", xlabel: "x", ylabel: "y", series: [s("data"), s("VAE"), s("AGE (Gaussian latent)"), s("ALI (longer)"), s("ALI")])
      .write(dir: d, name: "order", render: false)
    let gp = try String(contentsOfFile: "\(d)/order.gp", encoding: .utf8)
    let titles = ["AGE (Gaussian latent)", "\"ALI\"", "ALI (longer)", "VAE", "\"data\""]
    let at = titles.map { gp.range(of: $0)!.lowerBound }
    #expect(at == at.sorted())
    #expect(gp.contains("lc rgb '\(Style.color(ofSystem: "AGE")!)' title \"AGE (Gaussian latent)\""))
    #expect(Style.color(ofSystem: "ALI (longer)") != Style.color(ofSystem: "ALI"))
    #expect(Style.color(ofSystem: "BiGANs") == nil)
  }

  /// Labels are drawn into the PNG: margins above and left of the cells, ink in them, the cells untouched.
  @Test func labelledGrid() {
    let x = Tensor(shape: [4, 1, 8, 8], data: [Float](repeating: 1, count: 256))
    let plain = Grid.make(x, nrow: 2, padding: 2, scale: 4)
    let g = Grid.make(x, nrow: 2, padding: 2, scale: 4, columnLabels: ["input", "AGE output"], rowLabels: ["a", "bb"])
    // Column width 34 px holds 5 characters: "AGE output" wraps onto two lines.
    #expect(Grid.wrap("AGE output", width: 34) == ["AGE", "outpu"])
    let top = g.height - plain.height, left = g.width - plain.width
    #expect(top == 2 * 10 + 2 && left == Image8.textWidth("bb") + 6)
    #expect(g.pixels[0..<(top * g.width)].contains(0))        // ink above
    for y in 0..<plain.height { for xx in 0..<plain.width {   // the grid itself unchanged
      #expect(g.pixels[(y + top) * g.width + xx + left] == plain.pixels[y * plain.width + xx])
    } }
    var img = Image8(width: 5, height: 8, channels: 1, pixels: [UInt8](repeating: 255, count: 40))
    img.draw(text: "T", x: 0, y: 0)
    #expect(img.pixels[0..<5].allSatisfy { $0 == 0 } && img.pixels[5 + 2] == 0 && img.pixels[5] == 255)
  }

  /// Every printable ASCII character has its own 5x8 glyph (none falls back to '?'), each row five pixels wide.
  @Test func bitmapFontCoversPrintableASCII() {
    for code in 32...126 {
      let c = Character(UnicodeScalar(UInt8(code)))
      let rows = BitmapFont.glyphs[c]
      #expect(rows != nil, "no glyph for \(c)")
      #expect(rows?.count == BitmapFont.height && rows?.allSatisfy { $0.count == BitmapFont.width } == true, "glyph \(c)")
    }
    // Distinct characters look different (a copy-paste slip would give two the same glyph).
    let shapes = (32...126).map { BitmapFont.glyphs[Character(UnicodeScalar(UInt8($0)))]!.joined() }
    #expect(Set(shapes).count == shapes.count)
  }
}
