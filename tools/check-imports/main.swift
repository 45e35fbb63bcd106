// Checks that every target's declared dependencies are exactly the modules its Swift files import.
// Usage: swift package dump-package > package.json && check-imports package.json
// Prints each target whose declaration and imports differ, and exits 1 if any does.
import Foundation

let ignored: Set<String> = ["Foundation", "Testing", "Synchronization", "Dispatch", "Glibc", "XCTest"]

guard CommandLine.arguments.count == 2, let data = FileManager.default.contents(atPath: CommandLine.arguments[1]),
      let package = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let targets = package["targets"] as? [[String: Any]] else {
  FileHandle.standardError.write(Data("usage: swift package dump-package > package.json && check-imports package.json\n".utf8))
  exit(2)
}

/// A dependency's module name, from dump-package's {"byName": [name, ...]} / {"product": [name, package, ...]} forms.
func moduleName(_ dependency: [String: Any]) -> String? {
  for key in ["byName", "target", "product"] { if let v = dependency[key] as? [Any], let name = v.first as? String { return name } }
  return nil
}

/// The modules imported by the Swift files under `folder`.
func imports(under folder: String) -> Set<String> {
  var found: Set<String> = []
  guard let walker = FileManager.default.enumerator(atPath: folder) else { return found }
  while let file = walker.nextObject() as? String {
    guard file.hasSuffix(".swift"), let text = try? String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8) else { continue }
    for line in text.split(separator: "\n") {
      // `import M` or `@testable import M` at the start of a line.
      var words = line.split(separator: " ", omittingEmptySubsequences: false)
      if words.first == "@testable" { words.removeFirst() }
      if words.count == 2, words[0] == "import" { found.insert(String(words[1])) }
    }
  }
  return found.subtracting(ignored)
}

var mismatches = 0
for target in targets {
  guard let name = target["name"] as? String, (target["type"] as? String) != "system" else { continue }
  let type = target["type"] as? String ?? ""
  let folder = target["path"] as? String ?? (type == "test" ? "Tests/\(name)" : "Sources/\(name)")
  let declared = Set((target["dependencies"] as? [[String: Any]] ?? []).compactMap(moduleName))
  let used = imports(under: folder)
  if declared != used {
    mismatches += 1
    print("\(name) (\(folder)): declared but not imported: \(declared.subtracting(used).sorted()); imported but not declared: \(used.subtracting(declared).sorted())")
  }
}
if mismatches > 0 { print("check-imports: \(mismatches) targets' dependencies differ from their imports (Package.swift)"); exit(1) }
print("check-imports: every target's dependencies are exactly its imports")
