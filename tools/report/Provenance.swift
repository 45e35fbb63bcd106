//===--- Provenance.swift -------------------------------------------------===//
// Where each chapter's numbers come from: the run records of results.json in one
// table (profile, seed, threads, commit, date, wall time), and warnings a reader
// must see: chapters run at different commits, library or chapter code changed
// since a chapter's run (asked of git), runs shorter than `standard`, and
// chapters with no results at all.
//===----------------------------------------------------------------------===//
import Foundation

/// What the report knows of one chapter.
struct ChapterEntry {
  let id: String          // folder name, e.g. "02-age"
  let title: String       // the prose's first heading
  let json: Any?          // results.json, nil when the chapter has not been run
  var run: [String: Any] { (json.flatMap { lookup($0, "run") } as? [String: Any]) ?? [:] }
  var profile: String { run["profile"] as? String ?? "?" }
  var commit: String { run["commit"] as? String ?? "unknown" }
  var number: Int { Int(id.prefix(2)) ?? 0 }
}

/// Runs git in the working directory; nil when git or the repository is unavailable.
func git(_ args: [String]) -> String? {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["git"] + args
  let out = Pipe()
  p.standardOutput = out; p.standardError = Pipe()
  guard (try? p.run()) != nil else { return nil }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else { return nil }
  return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The code files (library, the chapter's own folder, the package manifest; not its prose) that
/// differ between `commit` and the work tree, leaving out Swift files whose only changes are
/// whole-line comments (they build the same program); nil when git cannot tell.
func codeChanges(since commit: String, chapter: String) -> [String]? {
  let base = commit.replacingOccurrences(of: "-dirty", with: "")
  guard base != "unknown", git(["cat-file", "-e", base + "^{commit}"]) != nil,
        let names = git(["diff", "--name-only", base, "--", "Sources", "chapters/\(chapter)", "Package.swift", ":(exclude)*.md"]) else { return nil }
  func code(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter { line in
      let t = line.drop { $0 == " " }
      return !t.isEmpty && !t.hasPrefix("//")
    }
  }
  return names.split(separator: "\n").map(String.init).filter { file in
    guard file.hasSuffix(".swift"), let old = git(["show", "\(base):\(file)"]),
          let now = try? String(contentsOfFile: file, encoding: .utf8) else { return true }
    return code(old) != code(now)
  }
}

func formatDuration(_ s: Double) -> String {
  s < 120 ? String(format: "%.0f s", s) : (s < 7200 ? String(format: "%.0f min", s / 60) : String(format: "%.1f h", s / 3600))
}

/// The warning for chapters run shorter than `standard` (nil when there are none): the report shows
/// it at the top as well as above the provenance table.
func shortRunBanner(_ chapters: [ChapterEntry]) -> String? {
  let short = chapters.filter { $0.json != nil && ["smoke", "quick"].contains($0.profile) }
  guard !short.isEmpty else { return nil }
  return "**These are not results.** " + short.map { "Chapter \($0.number)" }.joined(separator: ", ")
    + " ran at the `\(Set(short.map(\.profile)).sorted().joined(separator: "`/`"))` profile, a check that the pipeline runs end to end: "
    + "its networks are barely trained, its images are noise and its verdicts mean nothing. Run `make` (the standard profile) for results."
}

/// The provenance table and the warnings above it.
func provenance(_ chapters: [ChapterEntry], figuresDir: String) -> String {
  var warnings: [String] = []
  let ran = chapters.filter { $0.json != nil }
  if let b = shortRunBanner(chapters) { warnings.append(b) }
  let missing = chapters.filter { $0.json == nil }
  if !missing.isEmpty {
    warnings.append("No results for " + missing.map { "chapter \($0.number) (`make chapter-\($0.number)`)" }.joined(separator: ", ")
      + ": \(missing.count == 1 ? "it is" : "they are") listed below without numbers.")
  }
  let commits = Set(ran.map { $0.commit })
  var notes: [String] = []
  if commits.count > 1 {
    // Commits that differ only in prose, results or tools ran the same code.
    let sorted = commits.sorted()
    let sameCode = sorted.dropFirst().allSatisfy { c in
      let a = sorted[0].replacingOccurrences(of: "-dirty", with: ""), b = c.replacingOccurrences(of: "-dirty", with: "")
      return !c.hasSuffix("-dirty") && !sorted[0].hasSuffix("-dirty")
        && git(["diff", "--name-only", a, b, "--", "Sources", "chapters", "Package.swift", ":(exclude)*.md"]) == ""
    }
    if sameCode {
      notes.append("The chapters ran at \(commits.count) commits that hold the same code (they differ only in prose, results or tools).")
    } else {
      warnings.append("The chapters ran at \(commits.count) different commits (the table below). Each chapter's numbers come from the code at its own commit.")
    }
  }
  var rows = "| chapter | profile | seed | threads | commit | started | wall time | code changed since the run |\n|---|---|---|---|---|---|---|---|\n"
  for c in chapters {
    let link = "[\(c.number). \(c.title.split(separator: ":").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? c.title)](#\(anchor(c.title)))"
    guard c.json != nil else { rows += "| \(link) | not run | | | | | | |\n"; continue }
    let r = c.run
    var changed = "unknown (no git)"
    if c.commit.hasSuffix("-dirty") { changed = "**the run had uncommitted changes**" }
    else if let files = codeChanges(since: c.commit, chapter: c.id) {
      changed = files.isEmpty ? "no" : "**\(files.count) file(s)**"
      if !files.isEmpty {
        warnings.append("Code changed after chapter \(c.number)'s run at \(c.commit): \(files.prefix(6).map { "`\($0)`" }.joined(separator: ", "))"
          + (files.count > 6 ? " and \(files.count - 6) more" : "") + ". Its numbers are those of the code at \(c.commit); rerun `make chapter-\(c.number)` to refresh them.")
      }
    }
    let wall = (r["wall_seconds"] as? NSNumber).map { formatDuration($0.doubleValue) } ?? "?"
    rows += "| \(link) | \(c.profile) | \(r["seed"].map { render($0, format: nil) } ?? "?") | \(r["threads"].map { render($0, format: nil) } ?? "?") | "
      + "`\(c.commit)` | \(r["started"] as? String ?? "?") | \(wall) | \(changed) |\n"
  }
  var out = "## Provenance\n\n"
  if !warnings.isEmpty { out += warnings.map { "> :warning: " + $0 }.joined(separator: "\n>\n") + "\n\n" }
  if !notes.isEmpty { out += notes.joined(separator: " ") + "\n\n" }
  out += rows
  return out
}
