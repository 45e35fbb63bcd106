//===--- Bench.swift ------------------------------------------------------===//
// `make bench`: the library's speed, measured like a PyTorch yardstick of the same AGE
// iteration (DCGAN32 pair, batch 64, median of timed iterations after a warm-up), so the
// two can be compared side by side in one session.
//   1. the machine's single-core FMA peak (a register-only SIMD loop),
//   2. GEMM GFLOP/s on 1 and 2 threads (512^3 and the AGE layers' shapes),
//      each checked against the naive reference before it is timed,
//   3. forward and forward+backward of the encoder and generator at batch 64,
//   4. full AGE iterations (1 encoder + 2 generator updates), median images/s,
//   5. the MLP path: forward and backward of Wu et al.'s decoder (10-64-256-256-1024-784, tanh) at
//      the batches chapter 3 uses (100 for training, 1,600 for AIS's chains), passes per second,
//   6. with --ais, chapter 3's AIS through that decoder (100 digits x 16 chains, 10 leapfrog
//      steps): decoder passes (forward and backward to z) per second.
// tools/bench/compare.sh runs the AGE and MLP figures alternately with PyTorch's (make bench
// TORCH_PYTHON=...).
//===----------------------------------------------------------------------===//
import ArgumentParser
import ChapterKit
import DeepLearning
import Dispatch
import Evaluation
import Foundation
import Kernels
import Models

@main
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmark the GEMM, the AGE networks and full AGE iterations (images/s).")

  @Option(help: "Threads for the 2-thread figures and the AGE iterations.") var threads = 2
  @Option(help: "Measured AGE iterations per configuration (median reported).") var iters = 30
  @Option(help: "Warm-up AGE iterations.") var warmup = 5
  @Option(help: "Batch size.") var batch = 64
  @Option(help: "Configurations to run: mnist32, cifar32, dcgan32px (the released code's CIFAR-10 pair; comma-separated).") var configs = "mnist32,cifar32,dcgan32px"
  @Option(help: "Write the figures as JSON to this path.") var json: String?
  @Flag(help: "Skip the GEMM and network sections (AGE iterations only).") var ageOnly = false
  @Flag(help: "Also time AIS through Wu et al.'s MLP decoder (chapter 3's likelihood part).") var ais = false
  @Option(help: "Batches of the MLP section (comma-separated; empty: skip it).") var mlpBatches = "100,1600"
  @Flag(help: "Only the MLP section.") var mlpOnly = false
  @Option(help: "Random seed.") var seed: UInt64 = 123
  @Option(help: "Generator and encoder width ngf = ndf of the configurations (64 is the official width and the PyTorch yardstick's; chapter 2's standard profile uses 32).")
  var width = 64

  func run() throws {
    guard width > 0 else { throw ValidationError("--width must be positive") }
    var out: [String: Any] = ["threads": threads, "batch": batch, "width": width]
    out["machine"] = machineDescription()
    if !ageOnly && !mlpOnly {
      let peak = fmaPeak()
      print(String(format: "FMA peak, one core (register-only SIMD8 and SIMD16 loops): %.1f GFLOP/s; GEMM micro-kernel: %@", peak, gemmKernelName))
      out["gemm_kernel"] = gemmKernelName
      out["fma_peak_gflops_1t"] = peak
      try gemmSection(&out, peak: peak)
    }
    var mlp: [String: Double] = [:]
    for b in mlpBatches.split(separator: ",").compactMap({ Int($0) }) where !ageOnly || mlpOnly {
      mlp["batch\(b)"] = mlpSection(batch: b)
    }
    if !mlp.isEmpty { out["mlp_passes_per_s"] = mlp }
    var ips: [String: Double] = [:]
    var nets: [String: Any] = [:]
    for name in configs.split(separator: ",").map(String.init) where !mlpOnly {
      var released = DCGAN32Config.cifar32
      released.arch = .dcgan32px
      guard var cfg = ["mnist32": DCGAN32Config.mnist32, "cifar32": .cifar32, "dcgan32px": released][name] else {
        throw ValidationError("unknown configuration '\(name)' (mnist32, cifar32, dcgan32px)")
      }
      cfg.ngf = width; cfg.ndf = width
      if !ageOnly { nets[name] = networkSection(name, cfg) }
      ips[name] = ageSection(name, cfg)
    }
    out["age_images_per_s"] = ips
    if ais { out["ais_decoder_passes_per_s"] = aisSection(seed: seed) }
    if !nets.isEmpty { out["networks"] = nets }
    if let json {
      let data = try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys])
      try data.write(to: URL(fileURLWithPath: json))
      print("wrote \(json)")
    }
  }

  // MARK: - GEMM

  func gemmSection(_ out: inout [String: Any], peak: Double) throws {
    // (name, m, n, k, transA, transB): 512^3 and the GEMMs of the mnist32 layers at batch 64.
    let shapes: [(String, Int, Int, Int, Bool, Bool)] = [
      ("512x512x512", 512, 512, 512, false, false),
      ("E2 fwd  W col", 128, 4096, 1024, false, false),
      ("E3 fwd  W col", 256, 1024, 2048, false, false),
      ("E3 dgrad W^T dY", 2048, 1024, 256, true, false),
      ("E3 wgrad dY col^T", 256, 2048, 1024, false, true),
      ("G2 fwd  W^T X", 2048, 1024, 256, true, false),
      ("G3 fwd  W^T X", 1024, 4096, 128, true, false),
      ("G4 fwd  W^T X", 16, 16384, 64, true, false),
    ]
    var rows: [[String: Any]] = []
    print("\nGEMM (GFLOP/s, best of 15; checked against the reference first)")
    print("  " + pad("shape", 22) + pad("m", 7, right: true) + pad("n", 7, right: true) + pad("k", 7, right: true)
          + pad("1 thread", 11, right: true) + pad("\(threads) threads", 11, right: true))
    for (name, m, n, k, ta, tb) in shapes {
      let a = (0..<(m * k)).map { Float(($0 * 7919) % 97) / 97 - 0.5 }
      let b = (0..<(k * n)).map { Float(($0 * 104729) % 89) / 89 - 0.5 }
      var c = [Float](repeating: 0, count: m * n)
      var gf: [Double] = []
      try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in
        let av = ta ? MatrixView.transposed(pa.baseAddress!, ld: m) : .rowMajor(pa.baseAddress!, ld: k)
        let bv = tb ? MatrixView.transposed(pb.baseAddress!, ld: k) : .rowMajor(pb.baseAddress!, ld: n)
        try verifyGEMM(m, n, k, av, bv)
        for t in [1, threads] {
          var best = Double.infinity
          for _ in 0..<15 {
            let t0 = now()
            c.withUnsafeMutableBufferPointer { sgemm(m: m, n: n, k: k, a: av, b: bv, c: $0.baseAddress!, ldc: n, threads: t) }
            best = min(best, now() - t0)
          }
          gf.append(2 * Double(m * n * k) / best / 1e9)
        }
      } }
      print("  " + pad(name, 22) + pad("\(m)", 7, right: true) + pad("\(n)", 7, right: true) + pad("\(k)", 7, right: true)
            + pad(String(format: "%.1f", gf[0]), 11, right: true) + pad(String(format: "%.1f", gf[1]), 11, right: true))
      rows.append(["name": name, "m": m, "n": n, "k": k, "gflops_1t": gf[0], "gflops_2t": gf[1]])
      if name == "512x512x512" {
        out["gemm_gflops_1t"] = gf[0]; out["gemm_gflops_2t"] = gf[1]
        print(String(format: "  512^3: %.0f%% of the one-core FMA peak on 1 thread, %.2fx on %d threads",
                     100 * gf[0] / peak, gf[1] / gf[0], threads))
      }
    }
    out["gemm_shapes"] = rows
  }

  /// Checks a sampled 64x64 corner (and the far corner) of C against the reference.
  func verifyGEMM(_ m: Int, _ n: Int, _ k: Int, _ a: MatrixView, _ b: MatrixView) throws {
    let mm = min(m, 37), nn = min(n, 41)
    var fast = [Float](repeating: 0, count: mm * nn), ref = fast
    fast.withUnsafeMutableBufferPointer { sgemm(m: mm, n: nn, k: k, a: a, b: b, c: $0.baseAddress!, ldc: nn, threads: threads) }
    ref.withUnsafeMutableBufferPointer { sgemmReference(m: mm, n: nn, k: k, a: a, b: b, c: $0.baseAddress!, ldc: nn) }
    for i in 0..<fast.count where abs(fast[i] - ref[i]) > 1e-3 * (1 + abs(ref[i])) {
      throw ValidationError("GEMM \(m)x\(n)x\(k) disagrees with the reference at \(i): \(fast[i]) vs \(ref[i])")
    }
  }

  // MARK: - Networks

  func networkSection(_ name: String, _ cfg: DCGAN32Config) -> [String: Double] {
    KernelConfig.threads = threads
    var rng = RandomGenerator(seed: seed)
    let g = makeGenerator32(cfg, rng: &rng), e = makeEncoder32(cfg, rng: &rng)
    let z = Tensor.uniformOnSphere(batch, cfg.nz, rng: &rng)
    let x = Tensor.uniform([batch, cfg.channels, 32, 32], -1, 1, rng: &rng)
    func time(_ body: () -> Void) -> Double {
      for _ in 0..<3 { body() }
      var ts: [Double] = []
      for _ in 0..<15 { let t0 = now(); body(); ts.append(now() - t0) }
      return median(ts) * 1000
    }
    let r: [String: Double] = [
      "g_fwd_ms": time { _ = withNoGrad { g(z) } },
      "e_fwd_ms": time { _ = withNoGrad { e(x) } },
      "g_fwd_bwd_ms": time { g.zeroGrad(); g(z).square().mean().backward() },
      "e_fwd_bwd_ms": time { e.zeroGrad(); e(x).sum().backward() },
    ]
    print("\n\(name) networks at batch \(batch), \(threads) threads (median ms): " +
          String(format: "G fwd %.1f, G fwd+bwd %.1f, E fwd %.1f, E fwd+bwd %.1f",
                 r["g_fwd_ms"]!, r["g_fwd_bwd_ms"]!, r["e_fwd_ms"]!, r["e_fwd_bwd_ms"]!))
    return r
  }

  // MARK: - AGE iterations

  func ageSection(_ name: String, _ cfg: DCGAN32Config) -> Double {
    KernelConfig.threads = threads
    var rng = RandomGenerator(seed: seed)
    let trainer = AGETrainer(e: makeEncoder32(cfg, rng: &rng), g: makeGenerator32(cfg, rng: &rng), nz: cfg.nz,
                             config: AGEConfig())
    let data = Tensor.uniform([batch * 8, cfg.channels, 32, 32], -1, 1, rng: &rng)
    var next = 0
    func batchX() -> Tensor {
      defer { next = (next + 1) % 8 }
      return data.rows(Array((next * batch)..<((next + 1) * batch))).detach()
    }
    var times: [Double] = []
    for i in 0..<(warmup + iters) {
      let x = batchX()
      let t0 = now()
      let s = trainer.step(x: x, nextRealBatch: batchX, rng: &rng)
      let dt = now() - t0
      if i >= warmup { times.append(dt) }
      precondition(s.isFinite, "non-finite AGE losses in the benchmark")
    }
    let med = median(times)
    let ips = Double(batch) / med
    print("\nAGE \(name): " + String(format: "median %.1f ms/iteration (min %.1f, max %.1f) over %d iterations -> %.1f images/s",
                 med * 1000, times.min()! * 1000, times.max()! * 1000, times.count, ips))
    return ips
  }
}

/// Pads a table cell to `width` characters.
func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
  let fill = String(repeating: " ", count: max(0, width - s.count))
  return right ? fill + s : s + fill
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }

/// Single-core FMA throughput of a register-only loop: 12 independent SIMD8 accumulators.
/// The single-core FMA peak: the better of a SIMD8 and a SIMD16 register-only loop (on AVX-512
/// machines with full-width units the SIMD16 one is about twice as fast).
func fmaPeak() -> Double { max(fmaPeak(SIMD8<Float>.self), fmaPeak(SIMD16<Float>.self)) }

@inline(never) func fmaPeak<V: SIMD>(_: V.Type) -> Double where V.Scalar == Float {
  let n = 20_000_000
  var best = 0.0
  for _ in 0..<3 {
    var a0 = V(repeating: 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0
    let m = V(repeating: 0.999999), b = V(repeating: 1e-7)
    let t0 = now()
    for _ in 0..<n {
      a0 = a0.addingProduct(m, b); a1 = a1.addingProduct(m, b); a2 = a2.addingProduct(m, b); a3 = a3.addingProduct(m, b)
      a4 = a4.addingProduct(m, b); a5 = a5.addingProduct(m, b); a6 = a6.addingProduct(m, b); a7 = a7.addingProduct(m, b)
      a8 = a8.addingProduct(m, b); a9 = a9.addingProduct(m, b); a10 = a10.addingProduct(m, b); a11 = a11.addingProduct(m, b)
    }
    let dt = now() - t0
    let s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
    if s[0] == 42 { print("") }  // keeps the loop alive
    best = max(best, Double(n) * 12 * 2 * Double(V.scalarCount) / dt / 1e9)
  }
  return best
}

// MARK: - MLP

extension Bench {
  /// Forward and backward (to every weight) of Wu et al.'s decoder MLP at `batch` rows, median passes/s
  /// over `iters` after `warmup`; the same step as tools/bench/torch_bench.py's `mlp`.
  func mlpSection(batch b: Int) -> Double {
    KernelConfig.threads = threads
    var rng = RandomGenerator(seed: seed)
    let g = makeMLPGenerator(MLPConfig(nz: 10), rng: &rng)
    let z = Tensor.normal([b, 10], rng: &rng)
    var times: [Double] = []
    for i in 0..<(warmup + iters) {
      let t0 = now()
      for p in g.parameters { p.grad = nil }
      g(z).square().mean().backward()
      if i >= warmup { times.append(now() - t0) }
    }
    let rate = 1 / median(times)
    print(String(format: "\nMLP 10-64-256-256-1024-784 at batch %d, %d threads: forward+backward %.1f passes/s", b, threads, rate))
    return rate
  }
}

// MARK: - AIS

/// Decoder passes per second of AIS on 100 digits x 16 chains (one pass: forward and backward to z of
/// 1,600 codes through 10-64-256-256-1024-784), median of 3 runs of 5 distributions.
func aisSection(seed: UInt64) -> Double {
  var rng = RandomGenerator(seed: seed)
  let g = makeMLPGenerator(MLPConfig(nz: 10), rng: &rng)
  g.eval(); g.requiresGrad(false)
  let images = (0..<(100 * 784)).map { _ in Float(rng.uniformDouble()) }
  var settings = AISSettings()
  settings.chains = 16; settings.leapfrogSteps = 10; settings.distributions = 5
  var rates: [Double] = []
  for _ in 0..<3 {
    let t0 = DispatchTime.now().uptimeNanoseconds
    _ = aisLogLikelihood(images: images, dimension: 784, nz: 10, sigma2: 0.03, settings: settings, rng: &rng) {
      ((g($0) + 1) * 0.5).flatten()
    }
    let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    rates.append(Double(1600 * (1 + settings.distributions * settings.leapfrogSteps)) / secs)
  }
  let median = rates.sorted()[1]
  print(String(format: "AIS through the MLP decoder (1,600 chains, 10 leapfrog steps): %.0f decoder passes/s", median))
  return median
}
