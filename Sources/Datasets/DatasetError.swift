//===--- DatasetError.swift -----------------------------------------------===//
// Every loader failure names the file and the problem, and a missing dataset
// names the files expected, where we looked and how to get them.
//===----------------------------------------------------------------------===//

/// A data file that is missing or malformed: its path and what is wrong.
public struct DatasetError: Error, CustomStringConvertible {
  public let path: String
  public let message: String
  /// An error about the file at `path`.
  public init(_ path: String, _ message: String) { self.path = path; self.message = message }
  public var description: String { "\(path): \(message)" }
}
