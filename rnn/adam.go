package rnn

import "math"

// adam is PyTorch's Adam (no weight decay, no amsgrad), step by step:
// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε).
// The bias corrections are computed in float64 and rounded once.
type adam struct {
	b1, b2, eps float64
	t           int
	m, v        []float32
}

func newAdam(size int, b1, b2, eps float64) *adam {
	return &adam{b1: b1, b2: b2, eps: eps, m: make([]float32, size), v: make([]float32, size)}
}

func (a *adam) step(theta, grad []float32, lr float64) {
	a.t++
	bc1 := 1 - math.Pow(a.b1, float64(a.t))
	bc2 := 1 - math.Pow(a.b2, float64(a.t))
	adamUpdate(theta, grad, a.m, a.v, float32(a.b1), float32(1-a.b1), float32(a.b2), float32(1-a.b2),
		float32(lr/bc1), float32(math.Sqrt(bc2)), float32(a.eps))
}

// adamUpdate is the element loop; the one place to call kernels.Adam once it lands.
func adamUpdate(theta, grad, m, v []float32, b1, c1, b2, c2, stepSize, sqrtBC2, eps float32) {
	for i, g := range grad[:len(theta)] {
		mi := float32(b1*m[i]) + float32(c1*g)
		vi := float32(b2*v[i]) + float32(c2*float32(g*g))
		m[i], v[i] = mi, vi
		den := float32(math.Sqrt(float64(vi)))/sqrtBC2 + eps
		theta[i] -= float32(stepSize * (mi / den))
	}
}

// clipNorm scales g so its Euclidean norm is at most maxNorm (PyTorch's
// clip_grad_norm_: coefficient maxNorm/(norm+1e-6), applied when below 1) and
// returns the norm before clipping. maxNorm ≤ 0 disables clipping.
func clipNorm(g []float32, maxNorm float64) float64 {
	var s float64
	for _, v := range g {
		s += float64(float64(v) * float64(v))
	}
	norm := math.Sqrt(s)
	if maxNorm > 0 {
		if c := maxNorm / (norm + 1e-6); c < 1 {
			scale(g, float32(c))
		}
	}
	return norm
}
