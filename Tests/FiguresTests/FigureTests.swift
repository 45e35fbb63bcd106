import Testing
import Foundation
import DeepLearning
import Figures

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
    FileManager.default.createFile(atPath: "\(d)/bad.png", contents: Data("not a png".utf8))
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
      #expect(img.width == 900 && img.height == 560)
    }
  }
}
