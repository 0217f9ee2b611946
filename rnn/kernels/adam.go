package kernels

import "math"

// Adam applies one Adam step (Kingma & Ba; PyTorch's defaults, no weight
// decay) to the parameters w with gradient g and moment estimates m, v, all
// updated in place. The caller passes the bias corrections
// bc1 = 1 − β1^t and bc2 = 1 − β2^t for step t, so it owns the step count.
//
// Every element takes these float32 operations, each rounded, no FMA:
//
//	m ← (β1·m) + ((1−β1)·g)
//	v ← (β2·v) + ((1−β2)·(g·g))
//	w ← w − lr·((m/bc1) / (sqrt(v/bc2) + ε))
//
// where 1−β1 and 1−β2 are rounded once per call and sqrt is correctly
// rounded. Without fused operations there is nothing for the compiler to
// contract, so the Go code is the one path: O(parameters) is cheap next to
// the products.
func Adam(w, g, m, v []float32, lr, beta1, beta2, eps, bc1, bc2 float32) {
	checkLen(len(g), len(w))
	checkLen(len(m), len(w))
	checkLen(len(v), len(w))
	c1, c2 := 1-beta1, 1-beta2
	for i, gi := range g {
		mi := float32(beta1*m[i]) + float32(c1*gi)
		vi := float32(beta2*v[i]) + float32(c2*float32(gi*gi))
		m[i], v[i] = mi, vi
		den := sqrt32(vi/bc2) + eps
		w[i] -= float32(lr * float32(float32(mi/bc1)/den))
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
