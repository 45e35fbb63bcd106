//===--- PNG.swift --------------------------------------------------------===//
// 8-bit images, and PNG files through libpng's simplified API (png_image).
// libpng reports errors in image.message, which we pass on with the path.
//===----------------------------------------------------------------------===//
import CPNG
import Foundation

/// An 8-bit image, row-major, `channels` interleaved values per pixel (1 gray, 3 RGB).
public struct Image8: Equatable, Sendable {
  public var width: Int, height: Int, channels: Int
  public var pixels: [UInt8]
  /// An image of width x height pixels, `channels` interleaved values each, row-major.
  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(channels == 1 || channels == 3, "Image8: 1 or 3 channels")
    precondition(pixels.count == width * height * channels, "Image8: pixel count mismatch")
    self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
  }
}

/// A PNG or JPEG file that cannot be read or written: the path and what went wrong.
public struct ImageFileError: Error, CustomStringConvertible {
  public let path: String, message: String
  public var description: String { "\(path): \(message)" }
}

/// PNG files through libpng: 8-bit gray or RGB, written atomically.
public enum PNG {
  /// Writes `image` to `path` (folders are created).
  public static func write(_ image: Image8, to path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    var img = png_image()
    img.version = UInt32(PNG_IMAGE_VERSION)
    img.width = UInt32(image.width); img.height = UInt32(image.height)
    img.format = image.channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
    let tmp = path + ".tmp"
    let ok = image.pixels.withUnsafeBytes { png_image_write_to_file(&img, tmp, 0, $0.baseAddress, 0, nil) }
    guard ok != 0 else {
      let msg = messageOf(&img)
      png_image_free(&img)
      throw ImageFileError(path: path, message: "cannot write PNG: \(msg)")
    }
    guard rename(tmp, path) == 0 else { throw ImageFileError(path: path, message: "cannot move \(tmp) into place") }
  }

  /// Reads a PNG as 8-bit gray (`channels` 1) or RGB (3), converting as libpng does.
  public static func read(_ path: String, channels: Int = 3) throws -> Image8 {
    var img = png_image()
    img.version = UInt32(PNG_IMAGE_VERSION)
    guard png_image_begin_read_from_file(&img, path) != 0 else {
      let msg = messageOf(&img)
      png_image_free(&img)
      throw ImageFileError(path: path, message: "not a readable PNG: \(msg)")
    }
    img.format = channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
    let w = Int(img.width), h = Int(img.height)
    guard w > 0, h > 0, w * h <= 1 << 28 else {
      png_image_free(&img)
      throw ImageFileError(path: path, message: "implausible size \(w)x\(h)")
    }
    var pixels = [UInt8](repeating: 0, count: w * h * channels)
    let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&img, nil, $0.baseAddress, 0, nil) }
    guard ok != 0 else {
      let msg = messageOf(&img)
      png_image_free(&img)
      throw ImageFileError(path: path, message: "corrupt PNG data: \(msg)")
    }
    return Image8(width: w, height: h, channels: channels, pixels: pixels)
  }

  static func messageOf(_ img: inout png_image) -> String {
    withUnsafeBytes(of: &img.message) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }
}
