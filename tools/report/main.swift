//===--- report: assembles REPLICATION.md ---------------------------------===//
// Reads each chapter's prose (chapters/<id>/README.md) and its run's results
// (<figures>/<id>/results.json) and writes the report: the reproducibility
// summary (every claim beside our measurement, with its verdict), the provenance
// of every chapter's numbers, then the chapters in order, each with its run
// record. Prose refers to numbers as {{key.path}} or {{key.path:%.2f}}
// (Template.swift) and to its figures as ![caption](@/file.png). A missing number
// or figure stops the build with a message saying which; a chapter without
// results is listed as not run.
//===----------------------------------------------------------------------===//
import Foundation

func usage() -> Never {
  print("""
  usage: report [--chapters DIR] [--figures DIR] [--intro FILE] [--output FILE]
  Assembles REPLICATION.md from chapters/*/README.md and <figures>/<chapter>/results.json.
    --chapters DIR   chapter folders (default: chapters)
    --figures DIR    where the chapter runs wrote their outputs (default: figures)
    --intro FILE     text placed before the summary (default: report/intro.md if present)
    --summary FILE   prose placed after the summary table (default: report/summary.md if present)
  Chapters without results are listed as not run. The intro and summary prose may cite any
  chapter's numbers as {{<chapter folder>:<key.path>}}.
    --output FILE    the report to write (default: REPLICATION.md)
  """)
  exit(0)
}

var chaptersDir = "chapters", figuresDir = "figures", output = "REPLICATION.md", intro: String? = "report/intro.md"
var summaryProse = "report/summary.md"
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
  case "--summary": summaryProse = v
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

@MainActor func run() throws {
  let fm = FileManager.default
  let outDir = (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent
  let ids = try fm.contentsOfDirectory(atPath: chaptersDir).filter {
    fm.fileExists(atPath: "\(chaptersDir)/\($0)/README.md")
  }.sorted()
  guard !ids.isEmpty else { throw Failure(description: "no chapters with a README.md under \(chaptersDir)/") }

  var chapters: [ChapterEntry] = []
  var bodies: [String] = []
  for id in ids {
    var prose = try String(contentsOfFile: "\(chaptersDir)/\(id)/README.md", encoding: .utf8)
    let title = prose.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } ?? id
    let resultsPath = "\(figuresDir)/\(id)/results.json"
    guard let data = fm.contents(atPath: resultsPath) else {
      FileHandle.standardError.write("report: warning: \(resultsPath) is missing; chapter \(id) is listed as not run\n".data(using: .utf8)!)
      chapters.append(ChapterEntry(id: id, title: title, json: nil))
      bodies.append("# \(title)\n\n_Not run: \(resultsPath) is missing. Run `make chapter-\(Int(id.prefix(2)) ?? 0)`, then `make report`._")
      continue
    }
    guard let json = try? JSONSerialization.jsonObject(with: data) else {
      throw Failure(description: "\(resultsPath) is not valid JSON: re-run the chapter")
    }
    chapters.append(ChapterEntry(id: id, title: title, json: json))

    // Numbers: {{path}} or {{path:%fmt}}. A chapter that recorded that it did not run (no data) reads
    // "(not run)" for its measurements. Otherwise a missing number (a dataset the data folder lacked, or a
    // typo) reads "(not measured)" in the text and is named on stderr and in the chapter's run record.
    var unmeasured: [String] = []
    let (filled, _) = try substitute(prose) { number(json, $0, unmeasured: &unmeasured) }
    if !unmeasured.isEmpty {
      FileHandle.standardError.write(("report: warning: chapters/\(id)/README.md refers to numbers missing from \(resultsPath) "
        + "(shown as '(not measured)'): \(unmeasured.joined(separator: ", "))\n").data(using: .utf8)!)
    }
    prose = filled
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
      let keys = ["command", "profile", "seed", "threads", "commit", "started", "wall_seconds", "cpu_seconds", "steal_percent", "machine"]
      prose += "\n\n<details><summary>Run record</summary>\n\n| field | value |\n|---|---|\n"
      for k in keys { if let v = run[k] { prose += "| \(k) | `\(render(v, format: nil))` |\n" } }
      if !unmeasured.isEmpty { prose += "| numbers the prose cites that this run did not produce | \(unmeasured.map { "`\($0)`" }.joined(separator: ", ")) |\n" }
      prose += "\n</details>\n"
    }
    bodies.append(prose.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  // The report's own prose may cite any chapter's results: {{02-age:claims.reconstruction.verdict}}.
  let entries = chapters   // read-only from here on
  func ownProse(_ path: String) throws -> String? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    var unmeasured: [String] = []
    let (filled, missing) = try substitute(text) { key in
      let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, let c = entries.first(where: { $0.id == parts[0] }) else { return nil }
      guard let json = c.json else { return "(not run)" }   // a chapter that has not run stays visible as such
      var missingHere: [String] = []
      let v = number(json, parts[1], unmeasured: &missingHere)
      if !missingHere.isEmpty { unmeasured.append(key) }
      return v
    }
    // A key that names no chapter stops the build; numbers a run did not produce read "(not measured)".
    if !missing.isEmpty { throw Failure(description: "\(path) refers to numbers of unknown chapters: \(missing.joined(separator: ", "))") }
    if !unmeasured.isEmpty {
      FileHandle.standardError.write(("report: warning: \(path) refers to numbers the runs did not produce (shown as '(not measured)'): "
        + unmeasured.joined(separator: ", ") + "\n").data(using: .utf8)!)
    }
    return filled
  }

  var doc = "<!-- Generated by `make report` from chapters/*/README.md and \(figuresDir)/*/results.json. Do not edit. -->\n\n"
  if let intro, let text = try ownProse(intro) { doc += text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" }
  if let banner = shortRunBanner(chapters) { doc += "> :warning: " + banner + "\n\n" }
  doc += summary(chapters) + "\n"
  if let text = try ownProse(summaryProse) { doc += text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" }
  doc += provenance(chapters, figuresDir: figuresDir)
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
  let ran = chapters.filter { $0.json != nil }.count
  print("report: wrote \(output) (\(ran) of \(chapters.count) chapters with results, \(chapters.flatMap(claims(of:)).count) claims)")
}

do { try run() } catch {
  FileHandle.standardError.write("report: \(error)\n".data(using: .utf8)!)
  exit(1)
}
