package rnn

import (
	"math"

	"degen/internal/linalg"
)

// penalize adds the L1 and nuclear-norm penalties on the recurrent matrix to
// grad and returns their value: l1·Σ|w| + nuc·Σσᵢ(W). The L1 subgradient at
// w = 0 is 0 (as PyTorch's abs).
func penalize[F float](rec, grad []F, n int, l1, nuc float64, nw *nuclearWork) float64 {
	var pen float64
	if l1 > 0 {
		var s float64
		for i, v := range rec {
			s += math.Abs(float64(v))
			switch {
			case v > 0:
				grad[i] += F(l1)
			case v < 0:
				grad[i] -= F(l1)
			}
		}
		pen += l1 * s
	}
	if nuc > 0 {
		pen += nuc * nuclear(nw, rec, grad, n, nuc)
	}
	return pen
}

// nuclearWork is the float64 copy of W and the polar-decomposition
// workspace the nuclear-norm penalty reuses every step.
type nuclearWork struct {
	w     []float64
	polar linalg.Polar
}

// nuclear adds nuc·P to grad, P = U·Vᵀ the polar factor of W (the gradient
// of ‖W‖_* where W has full rank; the minimum-norm subgradient U_r·V_rᵀ where
// it is numerically singular, see degen/internal/linalg), and returns
// ‖W‖_* = tr(Pᵀ W). The float64 work is bit-identical on every build. A
// non-finite W gives NaN, which Step treats as a non-finite loss.
func nuclear[F float](nw *nuclearWork, rec, grad []F, n int, nuc float64) float64 {
	if cap(nw.w) < n*n {
		nw.w = make([]float64, n*n)
	}
	w := nw.w[:n*n]
	for i, v := range rec[:n*n] {
		w[i] = float64(v)
	}
	if err := nw.polar.Factorize(w, n); err != nil {
		return math.NaN()
	}
	for i, p := range nw.polar.Factor() {
		grad[i] += F(nuc * p)
	}
	return nw.polar.Nuclear()
}
