// swift-tools-version: 6.0
// An example of using the AGE replication's model library from another package: it fits a small
// multilayer perceptron to sin(x) with Adam and round-trips its weights through a safetensors file.
//
// Point the dependency at where you got the library (a git URL and a tagged version). `make test`
// builds this package against a temporary clone of the repository, tagged 0.1.0, through AGE_LIBRARY_URL.
import Foundation
import PackageDescription

let library = Context.environment["AGE_LIBRARY_URL"] ?? "https://github.com/your-org/age-swift.git"
/// SwiftPM names a package dependency by its URL's last component, without ".git".
let libraryName = String(library.split(separator: "/").last!).replacingOccurrences(of: ".git", with: "")

let package = Package(
  name: "LibraryUsage",
  dependencies: [
    .package(url: library, from: "0.1.0")
  ],
  targets: [
    .executableTarget(
      name: "FitSine",
      dependencies: [.product(name: "DeepLearning", package: libraryName)])
  ]
)
