package dsa

import (
	"math"

	"degen/metrics/internal/dense"
)

// Small dense helpers on n×n row-major slices for the optimiser. Products
// and sums go through the FMA kernels (dense.Gemm, DotFMA, AxpyFMA), whose
// results are defined to the bit; nothing else here multiplies and adds.

// mul sets d = a·b.
func mul(d, a, b []float64, n int) { dense.Gemm(d, n, a, n, 1, b, n, n, n, n, false) }

// mulAT sets d = aᵀ·b.
func mulAT(d, a, b []float64, n int) { dense.Gemm(d, n, a, 1, n, b, n, n, n, n, false) }

func transpose(d, a []float64, n int) {
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d[j*n+i] = a[i*n+j]
		}
	}
}

// dot is Σ x_i y_i (DotFMA's lane order).
func dot(x, y []float64) float64 { return dense.DotFMA(x, y) }

// frob2 is ‖x‖²_F.
func frob2(x []float64) float64 { return dense.DotFMA(x, x) }

func identity(d []float64, n int) {
	clear(d[:n*n])
	for i := 0; i < n; i++ {
		d[i*n+i] = 1
	}
}

// solveAugmented overwrites the n×2n row-major [M | B] with [· | M⁻¹B] by
// Gaussian elimination with partial pivoting (the first of equal pivots
// wins). Each elimination step and each back-substitution step is one
// rank-1 update of a block of rows (dense.Ger).
func solveAugmented(aug []float64, n int) {
	w := 2 * n
	for k := 0; k < n; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if math.Abs(aug[i*w+k]) > math.Abs(aug[p*w+k]) {
				p = i
			}
		}
		if p != k {
			swapRows(aug, w, k, p)
		}
		if k == n-1 {
			break
		}
		inv := 1 / aug[k*w+k]
		for i := k + 1; i < n; i++ {
			aug[i*w+k] = -aug[i*w+k] * inv
		}
		// The update starts at the 8-aligned column at or before k+1: the
		// extra columns are dead (left of the pivot) and take only their own
		// column's garbage, but every step then loads exactly the vectors the
		// previous step stored, which the CPU forwards; shifted by one column
		// per step, each load would straddle two pending stores and stall.
		at := (k + 1) &^ 7
		dense.Ger(aug[(k+1)*w+at:], w, aug[(k+1)*w+k:], w, aug[k*w+at:k*w+w], n-k-1, w-at)
	}
	for k := n - 1; k >= 0; k-- {
		inv := 1 / aug[k*w+k]
		rk := aug[k*w+n : k*w+w]
		for j := range rk {
			rk[j] *= inv
		}
		if k == 0 {
			break
		}
		for i := 0; i < k; i++ {
			aug[i*w+k] = -aug[i*w+k]
		}
		dense.Ger(aug[n:], w, aug[k:], w, rk, k, n)
	}
}

func swapRows(m []float64, n, i, j int) {
	ri, rj := m[i*n:i*n+n], m[j*n:j*n+n]
	for k := range ri {
		ri[k], rj[k] = rj[k], ri[k]
	}
}
