//===--- Buffers.swift ----------------------------------------------------===//
// Arrays whose every element is about to be written: allocating them without
// zero-filling saves a pass over memory (memset was 6% of an AGE iteration).
//
// Training allocates and frees the same tensor sizes every iteration. glibc's
// malloc serves blocks above its mmap threshold (128 KiB at first) with fresh
// mmap'ed pages and returns them to the kernel on free, so each iteration
// page-faulted its activations back in: a quarter of a width-32 AGE iteration
// on one thread was the kernel zeroing and mapping pages. `retainFreedMemory`
// raises the threshold to its maximum (32 MiB) and stops heap trimming, so freed
// buffers are reused from the heap; the process keeps its peak footprint.
//===----------------------------------------------------------------------===//
#if os(Linux)
/// glibc's `int mallopt(int param, int value)` (malloc.h, which the Glibc module does not export).
@_silgen_name("mallopt") func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
/// malloc.h's M_TRIM_THRESHOLD and M_MMAP_THRESHOLD.
let mTrimThreshold: Int32 = -1, mMmapThreshold: Int32 = -3
#endif

/// An array of `count` floats with unspecified contents; the caller must write every element.
@inlinable
public func uninitializedFloats(_ count: Int) -> [Float] {
  _ = retainFreedMemory
  return [Float](unsafeUninitializedCapacity: count) { _, n in n = count }
}

/// Set once, on first use: malloc keeps freed blocks up to 32 MiB in the heap instead of unmapping them.
public let retainFreedMemory: Bool = {
  #if os(Linux)
  return glibcMallopt(mMmapThreshold, 32 << 20) == 1 && glibcMallopt(mTrimThreshold, Int32.max) == 1
  #else
  return false
  #endif
}()
