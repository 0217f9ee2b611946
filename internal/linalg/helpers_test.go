package linalg

import (
	"math"
	"math/rand/v2"

	"degen/internal/seed"
)

// gaussian is an m×n matrix of N(0, 1) entries from key.
func gaussian(m, n int, key ...string) []float64 {
	rng := seed.New(append([]string{"linalg"}, key...)...)
	a := make([]float64, m*n)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	return a
}

// symmetric is (G + Gᵀ)/2 for a Gaussian n×n G.
func symmetric(n int, key ...string) []float64 {
	g := gaussian(n, n, key...)
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a[i*n+j] = (g[i*n+j] + g[j*n+i]) / 2
		}
	}
	return a
}

// withSpectrum is Q·diag(s)·Qᵀ-like: Q1·diag(s)·Q2ᵀ for random orthogonal Q1, Q2
// (Q1 = Q2 when sym), m = n = len(s).
func withSpectrum(s []float64, sym bool, rng *rand.Rand) []float64 {
	n := len(s)
	q1 := orthogonal(n, rng)
	q2 := q1
	if !sym {
		q2 = orthogonal(n, rng)
	}
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var v float64
			for k := 0; k < n; k++ {
				v += q1[i*n+k] * s[k] * q2[j*n+k]
			}
			a[i*n+j] = v
		}
	}
	return a
}

// orthogonal is a random orthogonal matrix by Gram–Schmidt (twice) on a
// Gaussian one.
func orthogonal(n int, rng *rand.Rand) []float64 {
	q := make([]float64, n*n)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	for pass := 0; pass < 2; pass++ {
		for i := 0; i < n; i++ {
			qi := q[i*n : (i+1)*n]
			for k := 0; k < i; k++ {
				qk := q[k*n : (k+1)*n]
				subScaled(qi, qk, dot(qi, qk))
			}
			nrm := frob(qi)
			for j := range qi {
				qi[j] /= nrm
			}
		}
	}
	return q
}

// mul is the m×p product a·b of m×n a and n×p b (plain loops: a reference).
func mul(a, b []float64, m, n, p int) []float64 {
	c := make([]float64, m*p)
	for i := 0; i < m; i++ {
		for j := 0; j < p; j++ {
			var v float64
			for k := 0; k < n; k++ {
				v += a[i*n+k] * b[k*p+j]
			}
			c[i*p+j] = v
		}
	}
	return c
}

func transpose(a []float64, m, n int) []float64 {
	t := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			t[j*m+i] = a[i*n+j]
		}
	}
	return t
}

// maxAbsDiff is max |a − b| entrywise.
func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// orthoErr is max |QᵀQ − I| for the n×n q.
func orthoErr(q []float64, n int) float64 {
	qtq := mul(transpose(q, n, n), q, n, n, n)
	for i := 0; i < n; i++ {
		qtq[i*n+i] -= 1
	}
	return maxAbsDiff(qtq, make([]float64, n*n))
}

func maxAbs(a []float64) float64 { return maxAbsDiff(a, make([]float64, len(a))) }
