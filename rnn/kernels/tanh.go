package kernels

import "math"

// tanh32 is our float32 tanh: Eigen's rational approximation
// (Eigen/src/Core/MathFunctionsImpl.h, generic_fast_tanh_float), with the
// operation order fixed so every path gives the same bits:
//
//	|x| < tiny         → x                      (tanh x = x − x³/3…, exact to < 1 ulp)
//	x  ← clamp(x, ±7.99881172180175781)          (where the rational reaches ±1)
//	s  = x·x
//	p  = fma(s, …fma(s, fma(s, a13, a11), a9)…, a1)   (Horner, a13 → a1)
//	p  = x·p
//	q  = fma(s, fma(s, fma(s, b6, b4), b2), b0)
//	tanh32 = p / q
//
// Each ·, fma and / is one correctly rounded float32 operation, so Go
// (Fma32, float32 arithmetic) and VFMADD/VDIVPS agree exactly.
//
// Measured against math.Tanh over every float32 in [−10, 10] (TestTanhError
// with DEGEN_TANH_FULL=1): max absolute error 2.92e-7, max 4.90 ulp (at
// x = 5.126039); outside ±10 both round to ±1. tanh32 is exactly odd and
// stays in [−1, 1], but is not monotone: near ±1 it wiggles by a few ulp.
func tanh32(x float32) float32 {
	if abs32(x) < tanhTiny {
		return x
	}
	if x > tanhClamp {
		x = tanhClamp
	} else if x < tanhNegclamp {
		x = tanhNegclamp
	}
	s := x * x
	p := Fma32(s, tanhA13, tanhA11)
	p = Fma32(s, p, tanhA9)
	p = Fma32(s, p, tanhA7)
	p = Fma32(s, p, tanhA5)
	p = Fma32(s, p, tanhA3)
	p = Fma32(s, p, tanhA1)
	p = x * p
	q := Fma32(s, tanhB6, tanhB4)
	q = Fma32(s, q, tanhB2)
	q = Fma32(s, q, tanhB0)
	return p / q
}

func abs32(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
}

func tanhGo(dst, x, y []float32) {
	if y == nil {
		for i, v := range x {
			dst[i] = tanh32(v)
		}
		return
	}
	for i, v := range x {
		dst[i] = tanh32(v + y[i])
	}
}

// tanhBackward1 is one element of TanhBackward: dy·fma(−y, y, 1).
func tanhBackward1(dy, y float32) float32 {
	return dy * Fma32(-y, y, 1)
}

func tanhBackwardGo(dst, dy, y []float32) {
	for i := range dst {
		dst[i] = tanhBackward1(dy[i], y[i])
	}
}

// Bounds on tanh32's error over [−10, 10], just above the full sweep's
// maxima; TestTanhError checks a strided sweep stays within them.
const (
	tanhMaxAbsErr = 2.95e-7
	tanhMaxULPErr = 4.9
)
