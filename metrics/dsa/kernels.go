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

// luSolve overwrites b (n×n, n right-hand sides as columns) with m⁻¹b, and m
// with its LU factors, by Gaussian elimination with partial pivoting; the
// first of equal pivots wins.
func luSolve(m, b []float64, n int) {
	for k := 0; k < n; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if math.Abs(m[i*n+k]) > math.Abs(m[p*n+k]) {
				p = i
			}
		}
		if p != k {
			swapRows(m, n, k, p)
			swapRows(b, n, k, p)
		}
		inv := 1 / m[k*n+k]
		mk := m[k*n+k+1 : k*n+n]
		bk := b[k*n : k*n+n]
		for i := k + 1; i < n; i++ {
			if m[i*n+k] == 0 {
				continue
			}
			l := -m[i*n+k] * inv
			dense.AxpyFMA(l, mk, m[i*n+k+1:i*n+n])
			dense.AxpyFMA(l, bk, b[i*n:i*n+n])
		}
	}
	for k := n - 1; k >= 0; k-- {
		bk := b[k*n : k*n+n]
		for i := k + 1; i < n; i++ {
			dense.AxpyFMA(-m[k*n+i], b[i*n:i*n+n], bk)
		}
		inv := 1 / m[k*n+k]
		for j := range bk {
			bk[j] *= inv
		}
	}
}

func swapRows(m []float64, n, i, j int) {
	ri, rj := m[i*n:i*n+n], m[j*n:j*n+n]
	for k := range ri {
		ri[k], rj[k] = rj[k], ri[k]
	}
}
