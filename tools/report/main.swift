//===--- report: assembles REPLICATION.md ---------------------------------===//
// Reads each chapter's prose (chapters/<id>/README.md) and its run's results
// (<figures>/<id>/results.json) and writes the report: a summary table of the
// paper's claims beside our measurements, then the chapters in order, each
// with its run record. Prose refers to numbers as {{key.path}} or
// {{key.path:%.2f}} (claims also by id: {{claims.<id>.verdict}}) and to its
// figures as ![caption](@/file.png). A missing
// number, figure or results file stops the build with a message saying which.
//===----------------------------------------------------------------------===//
import Foundation

struct Failure: Error, CustomStringConvertible { let description: String }

func usage() -> Never {
  print("""
  usage: report [--chapters DIR] [--figures DIR] [--intro FILE] [--output FILE]
  Assembles REPLICATION.md from chapters/*/README.md and <figures>/<chapter>/results.json.
    --chapters DIR   chapter folders (default: chapters)
    --figures DIR    where the chapter runs wrote their outputs (default: figures)
    --intro FILE     text placed before the summary (default: report/intro.md if present)
    --output FILE    the report to write (default: REPLICATION.md)
  """)
  exit(0)
}

var chaptersDir = "chapters", figuresDir = "figures", output = "REPLICATION.md", intro: String? = "report/intro.md"
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
  let a = args.removeFirst()
  if a == "--help" || a == "-h" { usage() }
  guard !args.isEmpty else { FileHandle.standardError.write("report: \(a) needs a value\n".data(using: .utf8)!); exit(2) }
  let v = args.removeFirst()
  switch a {
  case "--chapters": chaptersDir = v
  case "--figures": figuresDir = v
  case "--output": output = v
  case "--intro": intro = v
  default: FileHandle.standardError.write("report: unknown option \(a)\n".data(using: .utf8)!); exit(2)
  }
}

/// The path from the report's folder to `target` (both relative to the working directory).
func relative(_ target: String, from dir: String) -> String {
  let t = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
  let d = URL(fileURLWithPath: dir).standardizedFileURL.pathComponents
  var i = 0
  while i < t.count && i < d.count && t[i] == d[i] { i += 1 }
  return (Array(repeating: "..", count: d.count - i) + t[i...]).joined(separator: "/")
}

func lookup(_ json: Any, _ path: String) -> Any? {
  var cur: Any? = json
  for part in path.split(separator: ".") {
    if let d = cur as? [String: Any] { cur = d[String(part)] }
    else if let a = cur as? [Any], let i = Int(part), i >= 0, i < a.count { cur = a[i] }
    // A list of objects with ids (the claims) is also indexed by id: claims.code-alignment.verdict.
    else if let a = cur as? [[String: Any]], let hit = a.first(where: { ($0["id"] as? String) == String(part) }) { cur = hit }
    else { return nil }
  }
  return cur
}

func render(_ v: Any, format: String?) -> String {
  // (Results store verdicts and flags as strings, so every NSNumber here is a number.)
  if let n = v as? NSNumber {
    if let f = format { return String(format: f, n.doubleValue) }
    let d = n.doubleValue
    return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(format: "%.4g", d)
  }
  return "\(v)"
}

func run() throws {
  let fm = FileManager.default
  let outDir = (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent
  let chapters = try fm.contentsOfDirectory(atPath: chaptersDir).filter {
    fm.fileExists(atPath: "\(chaptersDir)/\($0)/README.md")
  }.sorted()
  guard !chapters.isEmpty else { throw Failure(description: "no chapters with a README.md under \(chaptersDir)/") }

  var summary: [String] = []
  var bodies: [String] = []
  for id in chapters {
    let resultsPath = "\(figuresDir)/\(id)/results.json"
    guard let data = fm.contents(atPath: resultsPath) else {
      throw Failure(description: "\(resultsPath) is missing: run the chapter first (make chapter-\(Int(id.prefix(2)) ?? 0))")
    }
    guard let json = try? JSONSerialization.jsonObject(with: data) else {
      throw Failure(description: "\(resultsPath) is not valid JSON: re-run the chapter")
    }
    var prose = try String(contentsOfFile: "\(chaptersDir)/\(id)/README.md", encoding: .utf8)

    // Numbers: {{path}} or {{path:%fmt}}.
    let numberRE = try NSRegularExpression(pattern: "\\{\\{([A-Za-z0-9_.\\-]+)(?::(%[^}]+))?\\}\\}")
    var missing: [String] = []
    for m in numberRE.matches(in: prose, range: NSRange(prose.startIndex..., in: prose)).reversed() {
      let key = String(prose[Range(m.range(at: 1), in: prose)!])
      let fmt = m.range(at: 2).location != NSNotFound ? String(prose[Range(m.range(at: 2), in: prose)!]) : nil
      guard let v = lookup(json, key) else { missing.append(key); continue }
      prose.replaceSubrange(Range(m.range, in: prose)!, with: render(v, format: fmt))
    }
    if !missing.isEmpty {
      throw Failure(description: "chapters/\(id)/README.md refers to numbers missing from \(resultsPath): \(missing.reversed().joined(separator: ", "))")
    }
    // Figures: @/ means the chapter's output folder; every image link must resolve.
    let figRel = relative("\(figuresDir)/\(id)", from: outDir)
    prose = prose.replacingOccurrences(of: "](@/", with: "](\(figRel)/")
    let linkRE = try NSRegularExpression(pattern: "!\\[[^\\]]*\\]\\(([^)\\s]+)\\)")
    for m in linkRE.matches(in: prose, range: NSRange(prose.startIndex..., in: prose)) {
      let link = String(prose[Range(m.range(at: 1), in: prose)!])
      let onDisk = (outDir as NSString).appendingPathComponent(link)
      guard fm.fileExists(atPath: onDisk) else {
        throw Failure(description: "chapters/\(id)/README.md shows \(link), but \(onDisk) does not exist: re-run the chapter (and make plots)")
      }
    }
    // Run record.
    if let run = lookup(json, "run") as? [String: Any] {
      let keys = ["command", "profile", "seed", "threads", "commit", "started", "wall_seconds", "machine"]
      prose += "\n\n<details><summary>Run record</summary>\n\n| field | value |\n|---|---|\n"
      for k in keys { if let v = run[k] { prose += "| \(k) | `\(render(v, format: nil))` |\n" } }
      prose += "\n</details>\n"
    }
    bodies.append(prose.trimmingCharacters(in: .whitespacesAndNewlines))
    let title = prose.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } ?? id
    // The summary names the profile of any chapter run shorter than `standard`, so no row passes for more than it is.
    let profile = lookup(json, "run.profile") as? String ?? "standard"
    let label = "\(title.split(separator: ":").first ?? "")" + (["smoke", "quick"].contains(profile) ? " (\(profile) profile)" : "")
    for c in (lookup(json, "claims") as? [[String: Any]]) ?? [] {
      let cells = ["claim", "paper", "ours", "verdict"].map { "\(c[$0] ?? "")".replacingOccurrences(of: "|", with: "\\|") }
      summary.append("| \(label) | \(cells[0]) | \(cells[1]) | \(cells[2]) | **\(cells[3])** |")
    }
  }

  var doc = "<!-- Generated by `make report` from chapters/*/README.md and \(figuresDir)/*/results.json. Do not edit. -->\n\n"
  if let intro, let text = try? String(contentsOfFile: intro, encoding: .utf8) { doc += text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" }
  doc += "## Summary: the paper's claims beside our measurements\n\n"
  doc += "| chapter | claim | paper | ours | verdict |\n|---|---|---|---|---|\n"
  doc += summary.isEmpty ? "| | (no claims recorded) | | | |\n" : summary.joined(separator: "\n") + "\n"
  // Chapters sit one heading level below the report's title.
  func demote(_ text: String) -> String {
    var inCode = false
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      if line.hasPrefix("```") { inCode.toggle() }
      return !inCode && line.hasPrefix("#") ? "#" + line : String(line)
    }.joined(separator: "\n")
  }
  doc += "\n" + bodies.map { "---\n\n" + demote($0) }.joined(separator: "\n\n") + "\n"
  let tmp = output + ".tmp"
  try doc.write(toFile: tmp, atomically: true, encoding: .utf8)
  _ = rename(tmp, output)
  print("report: wrote \(output) (\(chapters.count) chapters, \(summary.count) claims)")
}

do { try run() } catch {
  FileHandle.standardError.write("report: \(error)\n".data(using: .utf8)!)
  exit(1)
}
