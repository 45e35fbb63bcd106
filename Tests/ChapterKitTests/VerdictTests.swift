import ChapterKit
import Evaluation
import Models
import Testing

@Suite("Verdicts read intervals against bars")
struct VerdictTests {
  @Test func higherAndLowerIsBetter() {
    func v(_ lo: Double, _ hi: Double) -> Interval { Interval(value: (lo + hi) / 2, low: lo, high: hi) }
    #expect(verdict(v(0.72, 0.8), holdsAt: 0.7, partlyAt: 0.5) == .holds)
    #expect(verdict(v(0.6, 0.69), holdsAt: 0.7, partlyAt: 0.5) == .partly)
    #expect(verdict(v(0.2, 0.4), holdsAt: 0.7, partlyAt: 0.5) == .fails)
    #expect(verdict(v(0.65, 0.75), holdsAt: 0.7, partlyAt: 0.5) == .inconclusive)
    #expect(verdict(v(0.45, 0.55), holdsAt: 0.7, partlyAt: 0.5) == .inconclusive)
    #expect(verdict(Interval(exact: 0.7), holdsAt: 0.7, partlyAt: 0.5) == .holds)
    // Lower is better: bars are upper limits.
    #expect(verdict(v(0.01, 0.04), holdsAt: 0.05, partlyAt: 0.25, higherIsBetter: false) == .holds)
    #expect(verdict(v(0.1, 0.2), holdsAt: 0.05, partlyAt: 0.25, higherIsBetter: false) == .partly)
    #expect(verdict(v(0.3, 0.4), holdsAt: 0.05, partlyAt: 0.25, higherIsBetter: false) == .fails)
    #expect(verdict(v(0.2, 0.3), holdsAt: 0.05, partlyAt: 0.25, higherIsBetter: false) == .inconclusive)
  }
}
