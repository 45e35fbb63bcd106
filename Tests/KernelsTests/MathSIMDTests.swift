import Libm
import Testing

@Suite("Eight-lane exp, tanh and sigmoid against the scalar functions, bit for bit")
struct MathSIMDTests {
  /// Edge cases of every branch (tiny arguments, the overflow and underflow limits, the subnormal range,
  /// infinities, NaN) and random arguments over several scales.
  static let inputs: [Double] = {
    var v: [Double] = [0, -0.0, 1e-300, -1e-300, 9.99e-6, 1e-5, 1.01e-5, -1e-5, 0.5, -0.5, 1, -1, 20, -20, 88.7, -87.3,
                       100, -100, 372, -372, 708.4, -708.4, 709.5, 709.78, 709.79, -744.9, -745.13, -745.14, -746, 800,
                       -800, 1e30, -1e30, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
    var state: UInt64 = 12345
    func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
    for scale in [1e-4, 0.1, 1, 10, 100, 1000] { for _ in 0..<400 { v.append((uniform() * 2 - 1) * scale) } }
    // Float-rounded arguments, as the tensors pass them.
    v += v.map { Double(Float($0)) }
    return v
  }()

  func check(_ name: String, simd: (SIMD8<Double>) -> SIMD8<Double>, scalar: (Double) -> Double) {
    var mismatches: [String] = []
    var i = 0
    while i < Self.inputs.count {
      var lanes = SIMD8<Double>(repeating: 0)
      for k in 0..<8 { lanes[k] = Self.inputs[(i + k) % Self.inputs.count] }
      let out = simd(lanes)
      for k in 0..<8 {
        let want = scalar(lanes[k]), got = out[k]
        let same = want.isNaN ? got.isNaN : want.bitPattern == got.bitPattern
        if !same { mismatches.append("\(name)(\(lanes[k])) = \(got), scalar \(want)") }
      }
      i += 8
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test func expIsBitIdentical() { check("exp", simd: { Math.exp($0) }, scalar: { Math.exp($0) }) }
  @Test func tanhIsBitIdentical() { check("tanh", simd: { Math.tanh($0) }, scalar: { Math.tanh($0) }) }
  @Test func sigmoidIsBitIdentical() { check("sigmoid", simd: { Math.sigmoid($0) }, scalar: { Math.sigmoid($0) }) }

  /// The Float array map: eight lanes at a time, then the tail, with the same values as the scalar Float function.
  @Test func mapMatchesScalarOnOddLengths() {
    for n in [0, 1, 7, 8, 9, 23] {
      let x = (0..<n).map { Float($0) * 0.37 - 3 }
      var y = [Float](repeating: .nan, count: n)
      x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
        Math.map(px.baseAddress!, py.baseAddress!, count: n, simd: { Math.tanh($0) }, scalar: { Math.tanh($0) })
      } }
      #expect(y == x.map { Math.tanh($0) }, "n = \(n)")
    }
  }
}
