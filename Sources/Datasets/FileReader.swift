//===--- FileReader.swift -------------------------------------------------===//
// Reads a whole file, transparently decompressing gzip through zlib (gzread reads
// plain files unchanged). Sizes are capped so a corrupt length cannot exhaust memory.
//===----------------------------------------------------------------------===//
import CZlib
import Foundation

/// Whole files into memory, gunzipped through zlib when they are gzip-compressed.
public enum FileReader {
  /// The file's bytes, gunzipped when it is gzip-compressed.
  /// - Parameter limit: the largest decompressed size accepted (default 1 GiB).
  public static func read(_ path: String, limit: Int = 1 << 30) throws -> [UInt8] {
    guard FileManager.default.fileExists(atPath: path) else { throw DatasetError(path, "file not found") }
    guard let f = gzopen(path, "rb") else { throw DatasetError(path, "cannot open the file") }
    defer { gzclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { gzread(f, $0.baseAddress, UInt32($0.count)) }
      if n < 0 {
        var code: Int32 = 0
        let msg = gzerror(f, &code).map { String(cString: $0) } ?? "unknown zlib error"
        throw DatasetError(path, "corrupt or truncated gzip data (\(msg))")
      }
      if n == 0 { break }
      out.append(contentsOf: chunk[0..<Int(n)])
      if out.count > limit { throw DatasetError(path, "larger than \(limit) bytes after decompression") }
    }
    // gzread reports a truncated gzip stream only through gzerror after EOF.
    var code: Int32 = 0
    _ = gzerror(f, &code)
    if code != Z_OK && code != Z_STREAM_END {
      throw DatasetError(path, "corrupt or truncated gzip data (zlib error \(code))")
    }
    return out
  }
}
