package kernels

import "math"

// AdamStep holds the scalars of one Adam step, each computed in float64
// and rounded once to float32 (as PyTorch computes them in Python floats).
type AdamStep struct {
	B1, C1   float32 // β1, 1−β1
	B2, C2   float32 // β2, 1−β2
	StepSize float32 // lr / (1−β1ᵗ)
	SqrtBC2  float32 // √(1−β2ᵗ)
	Eps      float32
}

// NewAdamStep returns the scalars for step t = 1, 2, … with learning rate lr.
func NewAdamStep(lr, beta1, beta2, eps float64, t int) AdamStep {
	bc1 := 1 - math.Pow(beta1, float64(t))
	bc2 := 1 - math.Pow(beta2, float64(t))
	return AdamStep{
		B1: float32(beta1), C1: float32(1 - beta1),
		B2: float32(beta2), C2: float32(1 - beta2),
		StepSize: float32(lr / bc1), SqrtBC2: float32(math.Sqrt(bc2)),
		Eps: float32(eps),
	}
}

// Adam applies one Adam step (Kingma & Ba, in PyTorch's arrangement, no
// weight decay) to the parameters w with gradient g and moment estimates
// m, v, all updated in place. Every element takes these float32
// operations, each rounded, no FMA:
//
//	m ← (B1·m) + (C1·g)
//	v ← (B2·v) + (C2·(g·g))
//	w ← w − StepSize·(m / (sqrt(v)/SqrtBC2 + Eps))
//
// with sqrt correctly rounded. Without fused operations there is nothing
// for the compiler to contract, so this Go loop is the one path on every
// architecture; at O(parameters) per step it is cheap next to the products.
func Adam(w, g, m, v []float32, s AdamStep) {
	checkLen(len(g), len(w))
	checkLen(len(m), len(w))
	checkLen(len(v), len(w))
	for i, gi := range g {
		mi := float32(s.B1*m[i]) + float32(s.C1*gi)
		vi := float32(s.B2*v[i]) + float32(s.C2*float32(gi*gi))
		m[i], v[i] = mi, vi
		den := sqrt32(vi)/s.SqrtBC2 + s.Eps
		w[i] -= float32(s.StepSize * (mi / den))
	}
}

// sqrt32 is the correctly rounded float32 square root: rounding the float64
// root again is exact because 53 ≥ 2·24 + 2.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// SumSquares returns Σ x[i]² in float64, summed in index order: the squared
// norm for gradient clipping. Each x[i]² is exact in float64, so only the
// additions round, and contracting them into an FMA changes nothing.
func SumSquares(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// Scale multiplies x by a in place (one rounding per element).
func Scale(x []float32, a float32) {
	for i := range x {
		x[i] *= a
	}
}
