// Fits y = sin(x) on [-pi, pi] with a 1-32-32-1 tanh MLP, Adam (lr 1e-2), full batch of 64 points,
// then saves the weights as safetensors, loads them into a fresh network and checks it predicts the same.
import DeepLearning
import Foundation

var rng = RandomGenerator(seed: 0)
func mlp(_ rng: inout RandomGenerator) -> Sequential {
  Sequential(Linear(1, 32, rng: &rng), Tanh(), Linear(32, 32, rng: &rng), Tanh(), Linear(32, 1, rng: &rng))
}
let net = mlp(&rng)
let xs = (0..<64).map { -Float.pi + 2 * Float.pi * Float($0) / 63 }
let x = Tensor(shape: [64, 1], data: xs), y = Tensor(shape: [64, 1], data: xs.map { Foundation.sin($0) })
let opt = Adam(net.parameters, lr: 1e-2)
var loss: Float = .infinity
for step in 0..<500 {
  opt.zeroGrad()
  let l = mseLoss(net.forward(x), y)
  l.backward()
  opt.step()
  loss = l.item
  if step % 100 == 0 { print("step \(step): mse \(loss)") }
}
print("final mse \(loss)")

let path = FileManager.default.temporaryDirectory.appendingPathComponent("fit-sine-\(getpid()).safetensors").path
try SafeTensors.write(net.stateDict(), to: path)
var other = RandomGenerator(seed: 1)
let copy = mlp(&other)
try copy.loadStateDict(SafeTensors.read(path).tensors, source: path)
try? FileManager.default.removeItem(atPath: path)
let same = withNoGrad { copy.forward(x).data == net.forward(x).data }
print("reloaded network predicts the same: \(same)")
guard loss < 0.01, same else {
  print("error: the fit did not converge (mse \(loss)) or the reloaded weights differ")
  exit(1)
}
