//===--- DatasetError.swift -----------------------------------------------===//
// Every loader failure names the file and the problem, and a missing dataset
// names the files expected, where we looked and how to get them.
//===----------------------------------------------------------------------===//

public struct DatasetError: Error, CustomStringConvertible {
  public let path: String
  public let message: String
  public init(_ path: String, _ message: String) { self.path = path; self.message = message }
  public var description: String { "\(path): \(message)" }
}
