//===--- Summary.swift ----------------------------------------------------===//
// The reproducibility summary that opens the report: how many claims hold, fail,
// hold partly or stay inconclusive, then every claim with the paper's number, ours
// (with its interval where the chapter gives one), the verdict, a link to the
// chapter that explains it and the command that reproduces it.
//===----------------------------------------------------------------------===//
import Foundation

let verdictOrder = ["holds", "partly", "inconclusive", "fails", "not run"]

func claims(of c: ChapterEntry) -> [[String: Any]] {
  (c.json.flatMap { lookup($0, "claims") } as? [[String: Any]]) ?? []
}

func summary(_ chapters: [ChapterEntry]) -> String {
  var counts: [String: Int] = [:]
  for c in chapters { for cl in claims(of: c) { counts[cl["verdict"] as? String ?? "?", default: 0] += 1 } }
  let total = counts.values.reduce(0, +)
  var out = "## Reproducibility summary\n\n"
  out += "\(total) claims checked: " + verdictOrder.compactMap { v in counts[v].map { "**\($0)** \(v)" } }.joined(separator: ", ") + ".\n"
  out += "A verdict is `holds` or `fails` only when the measurement's interval clears or misses the claim's bar; "
    + "`partly` when it lies between the claim's two bars; `inconclusive` when it straddles a bar or a calibration failed. "
    + "Each chapter states its bars with its claims.\n\n"
  out += "| chapter | claim | paper | ours | verdict | reproduce |\n|---|---|---|---|---|---|\n"
  for c in chapters {
    let link = "[\(c.number)](#\(anchor(c.title)))"
    let list = claims(of: c)
    if c.json == nil { out += "| \(link) | (not run) | | | | `make chapter-\(c.number)` |\n"; continue }
    for cl in list {
      let cells = ["claim", "paper", "ours", "verdict"].map { "\(cl[$0] ?? "")".replacingOccurrences(of: "|", with: "\\|") }
      out += "| \(link) | \(cells[0]) | \(cells[1]) | \(cells[2]) | **\(cells[3])** | `make chapter-\(c.number)` |\n"
    }
  }
  return out
}
