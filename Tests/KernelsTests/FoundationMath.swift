// Foundation's libm-backed functions, used only as the oracle for Kernels.Math.
import Foundation
import Libm
func foundationExp(_ x: Double) -> Double { Foundation.exp(x) }
func foundationLog(_ x: Double) -> Double { Foundation.log(x) }
func foundationLog1p(_ x: Double) -> Double { Foundation.log1p(x) }
func foundationTanh(_ x: Double) -> Double { Foundation.tanh(x) }
func foundationSin(_ x: Double) -> Double { Foundation.sin(x) }
func foundationCos(_ x: Double) -> Double { Foundation.cos(x) }
func foundationLgamma(_ x: Double) -> Double { Foundation.lgamma(x) }
func foundationAtan(_ x: Double) -> Double { Foundation.atan(x) }
func foundationAcos(_ x: Double) -> Double { Foundation.acos(x) }
