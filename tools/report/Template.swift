//===--- Template.swift ---------------------------------------------------===//
// The report's template language: {{key.path}} or {{key.path:%.2f}} reads a
// number or string from a chapter's results.json (claims also by id:
// {{claims.<id>.verdict}}); in the report's own prose (intro, summary) a key is
// prefixed with the chapter's folder: {{02-age:claims.reconstruction.verdict}}.
//===----------------------------------------------------------------------===//
import Foundation

struct Failure: Error, CustomStringConvertible { let description: String }

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

/// The number at `path` of a chapter's results; when its run did not produce it, "(not run)" for a chapter
/// that recorded it did not run (no data), else "(not measured)" with `path` added to `unmeasured`.
func number(_ json: Any, _ path: String, unmeasured: inout [String]) -> Any {
  if let v = lookup(json, path) { return v }
  if (lookup(json, "status") as? String)?.hasPrefix("not run") == true { return "(not run)" }
  unmeasured.append(path)
  return "(not measured)"
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

/// Replaces every {{key}} in `text` with `resolve(key)` formatted; the keys `resolve` cannot
/// find are returned (in order), and left in place.
func substitute(_ text: String, resolve: (String) -> Any?) throws -> (text: String, missing: [String]) {
  var out = text
  let re = try NSRegularExpression(pattern: "\\{\\{([A-Za-z0-9_.:\\-]+?)(?::(%[^}]+))?\\}\\}")
  var missing: [String] = []
  for m in re.matches(in: out, range: NSRange(out.startIndex..., in: out)).reversed() {
    let key = String(out[Range(m.range(at: 1), in: out)!])
    let fmt = m.range(at: 2).location != NSNotFound ? String(out[Range(m.range(at: 2), in: out)!]) : nil
    guard let v = resolve(key) else { missing.append(key); continue }
    out.replaceSubrange(Range(m.range, in: out)!, with: render(v, format: fmt))
  }
  return (out, missing.reversed())
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
func anchor(_ heading: String) -> String {
  String(heading.lowercased().unicodeScalars.compactMap { c -> Character? in
    if CharacterSet.alphanumerics.contains(c) || c == "-" || c == "_" { return Character(c) }
    return c == " " ? "-" : nil
  })
}
