//===--- MATv5.swift ------------------------------------------------------===//
// A reader for numeric arrays in MATLAB level-5 MAT-files (the format of SVHN's
// train_32x32.mat / test_32x32.mat, and what scipy.io.savemat writes):
//   128-byte header (text, subsystem offset, version 0x0100, endian mark "IM")
//   data elements: tag (type u32, byte count u32; or the "small" form with both
//   packed in one u32 and up to 4 data bytes), padded to 8 bytes;
//   miMATRIX (14): array flags, dimensions, name, real part;
//   miCOMPRESSED (15): a zlib stream holding another data element.
// Arrays are column-major (MATLAB order). Every length is checked against the file.
//===----------------------------------------------------------------------===//
import CZlib

/// A numeric MATLAB array: dimensions and values (converted to Double), column-major.
public struct MATArray: Sendable {
  public var name: String
  public var dims: [Int]
  public var values: [Double]
}

/// MATLAB level-5 files (uncompressed and zlib-compressed numeric arrays), as SVHN ships.
public enum MATv5 {
  /// Reads every numeric array in the file, by name.
  public static func read(_ path: String) throws -> [String: MATArray] {
    let b = try FileReader.read(path, limit: 4 << 30)  // (gzread passes plain files through)
    guard b.count >= 128 else { throw DatasetError(path, "truncated: \(b.count) bytes, a MAT-file header needs 128") }
    guard b[126] == UInt8(ascii: "I") && b[127] == UInt8(ascii: "M") else {
      if b.starts(with: Array("\u{89}HDF".utf8)) || b[126] == UInt8(ascii: "M") {
        throw DatasetError(path, "not a little-endian MATLAB v5 file (v7.3/HDF5 and big-endian files are not supported)")
      }
      throw DatasetError(path, "not a MATLAB v5 MAT-file (no 'IM' endian mark at byte 126)")
    }
    var out: [String: MATArray] = [:]
    var pos = 128
    while pos + 8 <= b.count {
      let (type, size, dataStart, next) = try tag(b, pos, path)
      if type == 15 {  // miCOMPRESSED
        let inner = try inflate(Array(b[dataStart..<(dataStart + size)]), path)
        guard inner.count >= 8 else { throw DatasetError(path, "compressed element at byte \(pos) is empty") }
        let (t2, s2, d2, _) = try tag(inner, 0, path)
        if t2 == 14, let a = try matrix(inner, d2, s2, path) { out[a.name] = a }
      } else if type == 14, let a = try matrix(b, dataStart, size, path) {
        out[a.name] = a
      }
      pos = next
    }
    return out
  }

  /// Parses a tag at `pos`: (type, byte count, data start, next element start).
  static func tag(_ b: [UInt8], _ pos: Int, _ path: String) throws -> (Int, Int, Int, Int) {
    guard pos + 8 <= b.count else { throw DatasetError(path, "truncated data element tag at byte \(pos)") }
    let w0 = le32(b, pos)
    if w0 >> 16 != 0 {  // small data element: 4 bytes of data in the tag itself
      let size = Int(w0 >> 16), type = Int(w0 & 0xffff)
      guard size <= 4 else { throw DatasetError(path, "corrupt small data element at byte \(pos)") }
      return (type, size, pos + 4, pos + 8)
    }
    let type = Int(w0), size = Int(le32(b, pos + 4))
    let start = pos + 8
    guard size <= b.count - start else {
      throw DatasetError(path, "truncated: element at byte \(pos) declares \(size) bytes, \(b.count - start) remain")
    }
    let padded = type == 15 ? size : (size + 7) / 8 * 8
    return (type, size, start, min(b.count, start + padded))
  }

  /// Parses an miMATRIX body; returns nil for non-numeric classes (cells, structs, chars).
  static func matrix(_ b: [UInt8], _ start: Int, _ size: Int, _ path: String) throws -> MATArray? {
    let end = start + size
    var pos = start
    func sub() throws -> (Int, Int, Int) {
      guard pos < end else { throw DatasetError(path, "matrix element ends early at byte \(pos)") }
      let (t, s, d, n) = try tag(b, pos, path)
      guard d + s <= end else { throw DatasetError(path, "matrix sub-element at byte \(pos) overruns its matrix") }
      pos = n
      return (t, s, d)
    }
    let (_, fs, fd) = try sub()
    guard fs >= 4 else { throw DatasetError(path, "matrix array flags too short") }
    let cls = Int(le32(b, fd) & 0xff)
    guard (6...15).contains(cls) else { return nil }  // numeric classes: double ... uint64
    let (dt, ds, dd) = try sub()
    guard dt == 5 && ds % 4 == 0 && ds > 0 else { throw DatasetError(path, "matrix dimensions are not int32") }
    let dims = (0..<(ds / 4)).map { Int(Int32(bitPattern: le32(b, dd + 4 * $0))) }
    guard dims.allSatisfy({ $0 >= 0 }) else { throw DatasetError(path, "negative dimension in \(dims)") }
    var count = 1
    for d in dims {
      let (p, o) = count.multipliedReportingOverflow(by: d)
      guard !o, p <= 1 << 32 else { throw DatasetError(path, "dimensions \(dims) are too large") }
      count = p
    }
    let (_, ns, nd) = try sub()
    let name = String(decoding: b[nd..<(nd + ns)], as: UTF8.self)
    let (rt, rs, rd) = try sub()
    let width = [1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8][rt]
    guard let width else { throw DatasetError(path, "array '\(name)': unsupported data type \(rt)") }
    guard rs == count * width else {
      throw DatasetError(path, "array '\(name)': dimensions \(dims) need \(count * width) bytes, the file has \(rs)")
    }
    var v = [Double](repeating: 0, count: count)
    for i in 0..<count {
      let o = rd + i * width
      switch rt {
      case 1: v[i] = Double(Int8(bitPattern: b[o]))
      case 2: v[i] = Double(b[o])
      case 3: v[i] = Double(Int16(bitPattern: UInt16(b[o]) | UInt16(b[o + 1]) << 8))
      case 4: v[i] = Double(UInt16(b[o]) | UInt16(b[o + 1]) << 8)
      case 5: v[i] = Double(Int32(bitPattern: le32(b, o)))
      case 6: v[i] = Double(le32(b, o))
      case 7: v[i] = Double(Float(bitPattern: le32(b, o)))
      case 9: v[i] = Double(bitPattern: UInt64(le32(b, o)) | UInt64(le32(b, o + 4)) << 32)
      case 12: v[i] = Double(Int64(bitPattern: UInt64(le32(b, o)) | UInt64(le32(b, o + 4)) << 32))
      default: v[i] = Double(UInt64(le32(b, o)) | UInt64(le32(b, o + 4)) << 32)
      }
    }
    return MATArray(name: name, dims: dims, values: v)
  }

  static func le32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
  }

  /// Inflates a zlib stream (with a 2 GiB cap).
  static func inflate(_ input: [UInt8], _ path: String) throws -> [UInt8] {
    var strm = z_stream()
    guard inflateInit_(&strm, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw DatasetError(path, "zlib initialization failed")
    }
    defer { inflateEnd(&strm) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var inCopy = input
    var status: Int32 = Z_OK
    inCopy.withUnsafeMutableBufferPointer { inp in
      strm.next_in = inp.baseAddress
      strm.avail_in = UInt32(inp.count)
      repeat {
        chunk.withUnsafeMutableBufferPointer { c in
          strm.next_out = c.baseAddress; strm.avail_out = UInt32(c.count)
          status = CZlib.inflate(&strm, Z_NO_FLUSH)
          out.append(contentsOf: c[0..<(c.count - Int(strm.avail_out))])
        }
      } while status == Z_OK && out.count < 1 << 31
    }
    guard status == Z_STREAM_END else {
      throw DatasetError(path, "corrupt compressed element (zlib status \(status))")
    }
    return out
  }
}

/// SVHN's cropped digits (train_32x32.mat, test_32x32.mat) as 32x32 RGB in [-1, 1], labels 0-9.
public enum SVHN {
  /// Loads train_32x32.mat or test_32x32.mat: X [32, 32, 3, N] uint8, y [N, 1] with 10 meaning digit 0.
  public static func load(_ path: String) throws -> ImageDataset {
    let arrays = try MATv5.read(path)
    guard let x = arrays["X"], let y = arrays["y"] else {
      throw DatasetError(path, "expected arrays 'X' and 'y' (SVHN cropped digits), found \(arrays.keys.sorted())")
    }
    guard x.dims.count == 4 || (x.dims.count == 3 && x.dims == [32, 32, 3]) else {
      throw DatasetError(path, "'X' has dimensions \(x.dims), expected [32, 32, 3, N]")
    }
    let n = x.dims.count == 4 ? x.dims[3] : 1
    guard x.dims[0] == 32 && x.dims[1] == 32 && x.dims[2] == 3 else {
      throw DatasetError(path, "'X' has dimensions \(x.dims), expected [32, 32, 3, N]")
    }
    guard y.values.count == n else { throw DatasetError(path, "\(y.values.count) labels for \(n) images") }
    var labels = [Int](repeating: 0, count: n)
    for i in 0..<n {
      let l = Int(y.values[i])
      guard Double(l) == y.values[i] && (1...10).contains(l) else { throw DatasetError(path, "label \(y.values[i]) of image \(i) is not in 1...10") }
      labels[i] = l % 10
    }
    // MATLAB order (row i, column j, channel c, image n) -> NCHW.
    var px = [Float](repeating: 0, count: n * 3072)
    for img in 0..<n { for c in 0..<3 { for i in 0..<32 { for j in 0..<32 {
      px[((img * 3 + c) * 32 + i) * 32 + j] = Float(x.values[i + 32 * j + 1024 * c + 3072 * img]) / 127.5 - 1
    } } } }
    return ImageDataset(name: "svhn", pixels: px, labels: labels, channels: 3, height: 32, width: 32,
                        classNames: (0...9).map(String.init))
  }
}
