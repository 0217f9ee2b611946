package dsa

import (
	"math"

	"degen/metrics/internal/dense"
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

// leftVectors returns the first r columns of V = H U S⁻¹ (rows×r
// row-major) without forming H: row t of trial k is Σ_d x_k(t+(m−1−d)τ)
// times block d of U's rows, one FMA chain per element over the delay
// blocks in order, as H's row times U would be. u is c×r (c = N·m). Each
// right vector's sign is fixed first so that its largest-magnitude entry
// (the first on a tie) is positive: the SVD leaves signs free, and the
// stored operator must have fixed bits.
func leftVectors(tr Trials, m, tau int, rows []int, u []float64, s []float64, r int) []float64 {
	n := tr.N
	c := n * m
	ur := make([]float64, c*r)
	for j := 0; j < r; j++ {
		big, sign := 0.0, 1.0
		for i := 0; i < c; i++ {
			if x := u[i*r+j]; math.Abs(x) > big {
				big, sign = math.Abs(x), math.Copysign(1, x)
			}
		}
		for i := 0; i < c; i++ {
			ur[i*r+j] = sign * u[i*r+j] / s[j]
		}
	}
	total := 0
	for _, k := range rows {
		total += k
	}
	v := make([]float64, total*r)
	at := 0
	for k, x := range tr.Data {
		for d := 0; d < m; d++ {
			off := (m - 1 - d) * tau * n
			dense.Gemm(v[at*r:], r, x[off:], n, 1, ur[d*n*r:], r, rows[k], r, n, d > 0)
		}
		at += rows[k]
	}
	return v
}
