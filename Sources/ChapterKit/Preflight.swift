//===--- Preflight.swift --------------------------------------------------===//
// What a chapter checks before it computes anything, so that a run that cannot
// finish fails at once with the fix instead of after an hour of training:
// gnuplot is installed, every folder it writes can be created and written and
// has room, and the temporary files that killed runs left behind are removed.
//===----------------------------------------------------------------------===//
import Figures
import Foundation

/// What a chapter needs before it starts and does not have (gnuplot, a writable folder), with the fix.
public struct PreflightError: Error, CustomStringConvertible {
  public let description: String
}

/// Checks made before hours of training, so a missing tool fails at once, not at the first figure.
public enum Preflight {
  /// Free space required on the file system of each folder a run writes (checkpoints, figures).
  public static let minimumFreeBytes: Int64 = 200 << 20

  /// Throws unless gnuplot is installed and every folder in `outputs` can be created and written.
  public static func check(outputs: [String], gnuplotSearchPath: String? = nil) throws {
    guard gnuplotSearchPath.map({ Gnuplot.find(inPath: $0) }) ?? Gnuplot.executable != nil else {
      throw PreflightError(description: "gnuplot is not installed, and every chapter draws its plots with it: install it with "
                           + "'sudo apt-get install gnuplot-nox' (or run 'make deps'), then re-run")
    }
    let fm = FileManager.default
    for dir in outputs {
      do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
        throw PreflightError(description: "\(dir): cannot create the folder (\(error.localizedDescription)); choose another with --out, --runs or --cache")
      }
      let probe = "\(dir)/.write-test-\(getpid())"
      guard fm.createFile(atPath: probe, contents: Data("ok".utf8)) else {
        throw PreflightError(description: "\(dir): the folder is not writable; fix its permissions or choose another with --out, --runs or --cache")
      }
      try? fm.removeItem(atPath: probe)
      if let free = (try? fm.attributesOfFileSystem(forPath: dir))?[.systemFreeSize] as? NSNumber,
         free.int64Value < minimumFreeBytes {
        throw PreflightError(description: "\(dir): only \(free.int64Value >> 20) MB free; a run needs at least \(minimumFreeBytes >> 20) MB for checkpoints and figures")
      }
      removeStaleTemporaries(under: dir)
    }
  }

  /// Removes `.<name>.tmp-<pid>` files (atomicWrite's temporaries) whose process is gone; returns their paths.
  @discardableResult
  public static func removeStaleTemporaries(under dir: String) -> [String] {
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: dir) else { return [] }
    var removed: [String] = []
    for case let rel as String in walker {
      let name = (rel as NSString).lastPathComponent
      guard name.hasPrefix("."), let r = name.range(of: ".tmp-", options: .backwards),
            let pid = Int32(name[r.upperBound...]), pid > 0 else { continue }
      let alive = kill(pid, 0) == 0 || errno == EPERM
      if !alive {
        if (try? fm.removeItem(atPath: "\(dir)/\(rel)")) != nil { removed.append("\(dir)/\(rel)") }
      }
    }
    if !removed.isEmpty { log("removed \(removed.count) temporary file(s) left by killed runs under \(dir)") }
    return removed
  }
}
