// swift-tools-version: 6.0
// The AGE replication workspace: a pure-Swift model library (Sources/), four chapter
// executables (chapters/), a benchmark (Benchmarks/) and the report builder (tools/).
import Foundation
import PackageDescription

/// Whether this package is being built as another package's dependency: SwiftPM checks those out under
/// `.build/checkouts/` and refuses unsafe flags in them. There the library builds with the consumer's flags
/// (correct, but slower unless it builds with `-c release -Xswiftc -target-cpu -Xswiftc native`);
/// `AGE_PORTABLE=1` builds this checkout the same way.
let builtAsDependency = Context.packageDirectory.contains("/checkouts/")
  || Context.environment["AGE_PORTABLE"] == "1"

/// Whether the build machine has AVX-512 (the kernels are compiled for it, `-target-cpu native`):
/// the GEMM then uses its 12x32 micro-kernel in zmm registers instead of the AVX2 6x16 one.
/// `AGE_KERNELS=avx2` forces the AVX2 kernel (to test both on one machine); results are identical.
let hostHasAVX512: Bool = {
  if builtAsDependency || Context.environment["AGE_KERNELS"] == "avx2" { return false }
  #if os(Linux)
  guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
  return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512f") }
  #else
  return false
  #endif
}()

/// The numeric kernels are compiled for the host CPU and optimized in debug builds too:
/// Swift's baseline x86-64 target has no FMA, and SIMD code built for it runs ~100x slower.
let kernelFlags: [SwiftSetting] = builtAsDependency ? [] : [
  .unsafeFlags(["-Ounchecked", "-target-cpu", "native"], .when(configuration: .release)),
  .unsafeFlags(["-O", "-target-cpu", "native"], .when(configuration: .debug)),
] + (hostHasAVX512 ? [.define("AGE_AVX512")] : [])
/// The model library is optimized in debug builds as well, so `swift test` does not crawl.
let libraryFlags: [SwiftSetting] = builtAsDependency ? [] : [
  .unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)),
  .unsafeFlags(["-O", "-target-cpu", "native"], .when(configuration: .debug)),
]
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// A chapter executable; `dependencies` are exactly the modules its files import.
func chapter(_ name: String, _ folder: String, _ dependencies: [Target.Dependency]) -> Target {
  .executableTarget(
    name: name, dependencies: dependencies + [argumentParser],
    path: "chapters/\(folder)", exclude: ["README.md"], swiftSettings: libraryFlags)
}

let package = Package(
  name: "AGEReplication",
  products: [
    .library(name: "DeepLearning", targets: ["DeepLearning"]),
    .library(name: "Models", targets: ["Models"]),
    .library(name: "Evaluation", targets: ["Evaluation"]),
    .library(name: "ImageIO", targets: ["ImageIO"]),
    .library(name: "Libm", targets: ["Libm"]),
    .library(name: "Datasets", targets: ["Datasets"]),
    .library(name: "Figures", targets: ["Figures"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // MARK: - System libraries (file formats only)
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    // libjpeg-turbo's TurboJPEG API: errors come back as return codes (libjpeg's own API longjmps).
    .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),

    // MARK: - The library (each target's dependencies are exactly the modules its files import)
    // Elementary functions in pure Swift (exp, log, tanh, lgamma...): the numerics use no C math library.
    .target(name: "Libm", swiftSettings: kernelFlags),
    // GEMM, im2col, reductions and the thread pool: the SIMD kernels.
    .target(name: "Kernels", swiftSettings: kernelFlags),
    // Tensors, reverse-mode autodiff, layers, losses, Adam, safetensors checkpoints.
    .target(name: "DeepLearning", dependencies: ["Kernels", "Libm"], swiftSettings: libraryFlags),
    // 8-bit images and their files: PNG (libpng) and JPEG (libjpeg-turbo).
    .target(name: "ImageIO", dependencies: ["CPNG", "CTurboJPEG"], swiftSettings: libraryFlags),
    // The networks and training steps: AGE, conditional AGE, pix2pix, the compared systems.
    .target(name: "Models", dependencies: ["DeepLearning"], swiftSettings: libraryFlags),
    // Measuring models: sample metrics (IS, FD, KID, precision/recall), AIS and exact PPCA, linear probes,
    // the evaluation classifier, bootstrap intervals, batch-norm evaluation modes.
    .target(name: "Evaluation", dependencies: ["DeepLearning", "Kernels", "Libm"], swiftSettings: libraryFlags),
    .target(name: "Datasets", dependencies: ["CZlib", "DeepLearning", "ImageIO", "Libm"], swiftSettings: libraryFlags),
    .target(name: "Figures", dependencies: ["DeepLearning", "ImageIO"], swiftSettings: libraryFlags),
    .target(name: "ChapterKit", dependencies: ["DeepLearning", "Datasets", "Evaluation", "Figures", "Kernels", "Models", argumentParser],
            swiftSettings: libraryFlags),
    .target(name: "TestSupport", dependencies: ["DeepLearning"], swiftSettings: libraryFlags),

    // MARK: - Executables
    .executableTarget(name: "bench", dependencies: ["ChapterKit", "DeepLearning", "Evaluation", "Kernels", "Models", argumentParser],
                      path: "Benchmarks", swiftSettings: kernelFlags),
    chapter("chapter1", "01-theory", ["ChapterKit", "Datasets", "DeepLearning", "Evaluation", "Figures", "Libm", "Models"]),
    chapter("chapter2", "02-age", ["ChapterKit", "Datasets", "DeepLearning", "Evaluation", "Figures", "ImageIO", "Libm", "Models"]),
    chapter("chapter3", "03-comparison", ["ChapterKit", "Datasets", "DeepLearning", "Evaluation", "Figures", "ImageIO", "Libm", "Models"]),
    chapter("chapter4", "04-colorization", ["ChapterKit", "Datasets", "DeepLearning", "Evaluation", "Figures", "ImageIO", "Libm", "Models"]),
    .executableTarget(name: "report", path: "tools/report"),
    .executableTarget(name: "check-imports", path: "tools/check-imports"),

    // MARK: - Tests
    .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Libm", "TestSupport"], swiftSettings: libraryFlags),
    .testTarget(name: "DeepLearningTests", dependencies: ["DeepLearning", "Kernels", "Libm", "TestSupport"], swiftSettings: libraryFlags),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "DeepLearning", "ImageIO", "TestSupport"], exclude: ["Fixtures"],
                swiftSettings: libraryFlags),
    .testTarget(name: "ModelsTests", dependencies: ["DeepLearning", "Evaluation", "Libm", "Models", "TestSupport"], exclude: ["Fixtures"],
                swiftSettings: libraryFlags),
    .testTarget(name: "ChapterKitTests", dependencies: ["ChapterKit", "Datasets", "DeepLearning", "Evaluation", "Models", argumentParser],
                swiftSettings: libraryFlags),
    .testTarget(name: "FiguresTests", dependencies: ["DeepLearning", "Figures", "ImageIO"], swiftSettings: libraryFlags),
  ],
  swiftLanguageModes: [.v6]
)
