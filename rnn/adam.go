package rnn

import (
	"math"

	"degen/rnn/kernels"
)

// adam is PyTorch's Adam (no weight decay, no amsgrad), step by step:
// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε).
// The bias corrections are computed in float64 and rounded once; the element
// loop is kernels.Adam.
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
	kernels.Adam(theta, grad, a.m, a.v, kernels.NewAdamStep(lr, a.b1, a.b2, a.eps, a.t))
}

// clipNorm scales g so its Euclidean norm is at most maxNorm (PyTorch's
// clip_grad_norm_: coefficient maxNorm/(norm+1e-6), applied when below 1) and
// returns the norm before clipping. maxNorm ≤ 0 disables clipping.
func clipNorm(g []float32, maxNorm float64) float64 {
	norm := math.Sqrt(kernels.SumSquares(g))
	if maxNorm > 0 {
		if c := maxNorm / (norm + 1e-6); c < 1 {
			scale(g, float32(c))
		}
	}
	return norm
}
