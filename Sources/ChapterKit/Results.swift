//===--- Results.swift ----------------------------------------------------===//
// A chapter's results.json: the run record (command line, profile, seed, git
// commit, wall time, machine), named numbers, and the claims with verdicts that
// the report's summary table shows. Written atomically.
//===----------------------------------------------------------------------===//
import DeepLearning
import Evaluation
import Foundation
import Models

/// A verdict on one of the paper's claims, computed by the run.
public enum Verdict: String, Sendable {
  case holds, fails, partly
  /// The interval straddles a bar (or a calibration failed): more data would settle it.
  case inconclusive
  case notRun = "not run"
}

/// The verdict of a measurement with an interval against two bars written with the claim:
/// holds when the whole interval clears `holdsAt`, partly when it lies between the bars,
/// fails when it misses `partlyAt` entirely, inconclusive when it straddles either bar.
/// For a lower-is-better measure the bars are upper limits.
public func verdict(_ i: Interval, holdsAt: Double, partlyAt: Double, higherIsBetter: Bool = true) -> Verdict {
  let (lo, hi, h, p) = higherIsBetter ? (i.low, i.high, holdsAt, partlyAt) : (-i.high, -i.low, -holdsAt, -partlyAt)
  if lo >= h { return .holds }
  if hi < p { return .fails }
  if lo >= p && hi < h { return .partly }
  return .inconclusive
}

/// One row of the summary table.
public struct Claim: Sendable {
  public var id: String, claim: String, paper: String, ours: String, verdict: Verdict
  /// One claim: its id, what the paper claims, the paper's number, ours, and the verdict.
  public init(id: String, claim: String, paper: String, ours: String, verdict: Verdict) {
    self.id = id; self.claim = claim; self.paper = paper; self.ours = ours; self.verdict = verdict
  }
  var json: [String: Any] { ["id": id, "claim": claim, "paper": paper, "ours": ours, "verdict": verdict.rawValue] }
}

/// A chapter's results.json: claims, numbers for the prose, tables, and the run record.
public final class Results {
  public let chapter: String
  public let outDir: String
  let started = Date()
  let startTicks = cpuTicks()
  /// The commit of the code that runs, read when the run starts (later commits do not change the binary).
  let commit = gitCommit()
  let options: CommonOptions
  /// Free-form JSON values by key (numbers, strings, arrays, objects).
  public var values: [String: Any] = [:]
  public var claims: [Claim] = []

  /// An empty record for `chapter`, to be written into `outDir`.
  public init(chapter: String, outDir: String, options: CommonOptions) {
    self.chapter = chapter; self.outDir = outDir; self.options = options
  }

  /// The run record: everything needed to reproduce and date the numbers.
  public func runRecord() -> [String: Any] {
    let args = CommandLine.arguments
    let cmd = ([(args.first.map { ($0 as NSString).lastPathComponent } ?? chapter)] + args.dropFirst()).joined(separator: " ")
    return [
      "command": cmd,
      "profile": options.profile.rawValue,
      "seed": options.seed,
      "threads": options.threads,
      "commit": commit,
      "started": ISO8601DateFormatter().string(from: started),
      "wall_seconds": (Date().timeIntervalSince(started) * 10).rounded() / 10,
      "cpu_seconds": (processCPUSeconds() * 10).rounded() / 10,
      "steal_percent": stealPercent(since: startTicks),
      "machine": machineDescription(),
    ]
  }

  /// Writes `<outDir>/results.json`.
  public func write() throws {
    var root = values
    root["chapter"] = chapter
    root["run"] = runRecord()
    root["claims"] = claims.map { $0.json }
    try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: sanitize(root), options: [.prettyPrinted, .sortedKeys])
    try atomicWrite(data, to: "\(outDir)/results.json")
  }

  /// JSON cannot hold NaN or infinities: they become strings that say so.
  func sanitize(_ v: Any) -> Any {
    switch v {
    case let d as Double: return d.isFinite ? d : "\(d)"
    case let f as Float: return f.isFinite ? Double(f) : "\(f)"
    case let a as [Any]: return a.map(sanitize)
    case let m as [String: Any]: return m.mapValues(sanitize)
    default: return v
    }
  }
}

/// The current git commit (with "-dirty" when the work tree has uncommitted changes to code: the
/// library, the chapters or the package manifest, not prose), or "unknown".
public func gitCommit() -> String {
  func git(_ args: [String]) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git"] + args
    let out = Pipe()
    p.standardOutput = out; p.standardError = Pipe()
    guard (try? p.run()) != nil else { return nil }
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { return nil }
    return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
  guard let c = git(["rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
  let dirty = git(["status", "--porcelain", "--untracked-files=no", "--", "Sources", "chapters", "Package.swift",
                   ":(exclude)*.md"]) ?? ""
  return dirty.isEmpty ? c : c + "-dirty"
}

/// The machine-wide CPU tick counters of /proc/stat's "cpu" line (user nice system idle iowait irq softirq steal ...).
func cpuTicks() -> [Double] {
  guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return [] }
  return line.split(separator: " ").dropFirst().compactMap { Double($0) }
}

/// The share of CPU time the hypervisor gave to other guests since `start` (percent; -1 when unknown).
/// On a shared virtual machine a high steal share stretches wall times: the run record keeps it.
func stealPercent(since start: [Double]) -> Double {
  let now = cpuTicks()
  guard start.count >= 8, now.count >= 8 else { return -1 }
  let total = zip(now.prefix(8), start.prefix(8)).reduce(0) { $0 + $1.0 - $1.1 }
  return total > 0 ? ((now[7] - start[7]) / total * 1000).rounded() / 10 : -1
}

/// User plus system CPU seconds of this process (all threads).
func processCPUSeconds() -> Double {
  var u = rusage()
  guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u) == 0 else { return -1 }
  return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// CPU model and core count.
public func machineDescription() -> String {
  let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
    .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
  return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
}
