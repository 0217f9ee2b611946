package dsa

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// singularValues returns √max(λ, 0) of the Gram eigenvalues (descending).
func singularValues(vals []float64) []float64 {
	s := make([]float64, len(vals))
	for i, v := range vals {
		s[i] = math.Sqrt(math.Max(v, 0))
	}
	return s
}

// resolvable is the smallest σ_i/σ_1 kept. The singular values come from the
// eigenvalues of the Gram matrix HᵀH, which resolves σ_i only to about
// ε·σ_1²/σ_i; below 1e-6·σ_1 that error passes 1e-4 relative, so such
// directions are treated as exact zeros and never divided by.
const resolvable = 1e-6

// numericalRank counts the singular values the Gram route resolves.
func numericalRank(s []float64) int {
	k := 0
	for k < len(s) && s[k] > resolvable*s[0] {
		k++
	}
	return k
}

// leftVectors returns the first r columns of V = H U S⁻¹, after fixing each
// right vector's sign so that its largest-magnitude entry (the first on a
// tie) is positive: the SVD leaves signs free, and the stored operator must
// have fixed bits.
func leftVectors(h *mat.Dense, u *mat.Dense, s []float64, r int) *mat.Dense {
	c, _ := u.Dims()
	ur := mat.NewDense(c, r, nil)
	for j := 0; j < r; j++ {
		big, sign := 0.0, 1.0
		for i := 0; i < c; i++ {
			if x := u.At(i, j); math.Abs(x) > big {
				big, sign = math.Abs(x), math.Copysign(1, x)
			}
		}
		for i := 0; i < c; i++ {
			ur.Set(i, j, sign*u.At(i, j)/s[j])
		}
	}
	rows, _ := h.Dims()
	v := mat.NewDense(rows, r, nil)
	v.Mul(h, ur)
	return v
}
