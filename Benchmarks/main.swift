import Kernels
import Dispatch
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
for (m, n, k) in [(512, 512, 512), (256, 1024, 2048), (128, 4096, 1024), (1024,4096,128)] {
  let a = UnsafeMutablePointer<Float>.allocate(capacity: m * k); a.initialize(repeating: 0.5, count: m*k)
  let b = UnsafeMutablePointer<Float>.allocate(capacity: k * n); b.initialize(repeating: 0.25, count: k*n)
  let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
  for th in [1, 2] {
    var best = 1e9
    for _ in 0..<10 {
      let t0 = now()
      sgemm(m: m, n: n, k: k, a: .rowMajor(a, ld: k), b: .rowMajor(b, ld: n), c: c, ldc: n, threads: th)
      best = min(best, now() - t0)
    }
    print(m, n, k, th, 2.0 * Double(m * n * k) / best / 1e9, "GFLOP/s")
  }
}
