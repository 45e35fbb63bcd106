//===--- JPEG.swift -------------------------------------------------------===//
// JPEG files through libjpeg-turbo's TurboJPEG API (8-bit RGB or gray), whose
// errors come back as return codes and messages, passed on with the path.
//===----------------------------------------------------------------------===//
import CTurboJPEG
import Foundation

/// JPEG files through libjpeg-turbo.
public enum JPEG {
  /// Decodes a JPEG file to 8-bit RGB.
  public static func read(_ path: String) throws -> Image8 {
    guard let data = FileManager.default.contents(atPath: path) else { throw ImageFileError(path: path, message: "cannot read the file") }
    guard let h = tjInitDecompress() else { throw ImageFileError(path: path, message: "TurboJPEG initialization failed") }
    defer { tjDestroy(h) }
    var w: Int32 = 0, ht: Int32 = 0, sub: Int32 = 0, cs: Int32 = 0
    let bytes = [UInt8](data)
    let ok = bytes.withUnsafeBufferPointer { tjDecompressHeader3(h, $0.baseAddress, UInt($0.count), &w, &ht, &sub, &cs) }
    guard ok == 0 else { throw ImageFileError(path: path, message: "not a readable JPEG: \(String(cString: tjGetErrorStr2(h)))") }
    guard w > 0, ht > 0, Int(w) * Int(ht) <= 1 << 28 else { throw ImageFileError(path: path, message: "implausible JPEG size \(w)x\(ht)") }
    var px = [UInt8](repeating: 0, count: Int(w) * Int(ht) * 3)
    let r = bytes.withUnsafeBufferPointer { src in px.withUnsafeMutableBufferPointer { dst in
      tjDecompress2(h, src.baseAddress, UInt(src.count), dst.baseAddress, w, 0, ht, Int32(TJPF_RGB.rawValue), 0)
    } }
    guard r == 0 else { throw ImageFileError(path: path, message: "corrupt JPEG data: \(String(cString: tjGetErrorStr2(h)))") }
    return Image8(width: Int(w), height: Int(ht), channels: 3, pixels: px)
  }
}

extension JPEG {
  /// Encodes 8-bit RGB or gray pixels as a JPEG file (quality 1...100).
  public static func write(_ img: Image8, to path: String, quality: Int = 92) throws {
    guard let h = tjInitCompress() else { throw ImageFileError(path: path, message: "TurboJPEG initialization failed") }
    defer { tjDestroy(h) }
    var buf: UnsafeMutablePointer<UInt8>? = nil
    var size: UInt = 0
    let fmt = img.channels == 3 ? TJPF_RGB : TJPF_GRAY
    let sub = img.channels == 3 ? TJSAMP_420 : TJSAMP_GRAY
    let r = img.pixels.withUnsafeBufferPointer {
      tjCompress2(h, $0.baseAddress, Int32(img.width), 0, Int32(img.height), Int32(fmt.rawValue), &buf, &size,
                  Int32(sub.rawValue), Int32(quality), 0)
    }
    defer { if let buf { tjFree(buf) } }
    guard r == 0, let buf else { throw ImageFileError(path: path, message: "JPEG encoding failed: \(String(cString: tjGetErrorStr2(h)))") }
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: buf, count: Int(size))) else {
      throw ImageFileError(path: path, message: "cannot write the file")
    }
  }
}
