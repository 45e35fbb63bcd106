//===--- Buffers.swift ----------------------------------------------------===//
// Arrays whose every element is about to be written: allocating them without
// zero-filling saves a pass over memory (memset was 6% of an AGE iteration).
//===----------------------------------------------------------------------===//

/// An array of `count` floats with unspecified contents; the caller must write every element.
@inlinable
public func uninitializedFloats(_ count: Int) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { _, n in n = count }
}
