package weights

import (
	"math"

	"degen/metrics/internal/dense"
)

// maxPasses bounds 2-opt even if rounding produced an endless run of
// "gains"; each accepted swap must gain more than the threshold, so in
// practice a handful of passes suffice.
const maxPasses = 1000

// swapper keeps C = W₂[perm][:,perm] and its transpose, and the products
// M = W₁·Cᵀ and N = W₁ᵀ·C, so that the gain of swapping two positions is a
// few entries of M and N (O(1)) and a swap costs two rank-1 updates (O(n²)).
type swapper struct {
	n      int
	a, at  []float64
	c, ct  []float64
	m, nn  []float64 // W₁·Cᵀ and W₁ᵀ·C
	u, v   []float64 // scratch rows for the rank-1 updates
	perm   []int
	thresh float64
}

func newSwapper(pr *problem, perm []int) *swapper {
	n := pr.n
	s := &swapper{n: n, a: pr.a, at: pr.at, perm: append([]int(nil), perm...),
		c: make([]float64, n*n), m: make([]float64, n*n), nn: make([]float64, n*n),
		u: make([]float64, n), v: make([]float64, n)}
	for i, pi := range perm {
		for j, pj := range perm {
			s.c[i*n+j] = pr.b[pi*n+pj]
		}
	}
	s.ct = dense.Transpose(s.c, n)
	dense.Gemm(s.m, n, s.a, n, 1, s.ct, n, n, n, n, false)
	dense.Gemm(s.nn, n, s.at, n, 1, s.c, n, n, n, n, false)
	// Gains below this are rounding noise: accepting them could cycle.
	s.thresh = 1e-12 * (norm(pr.a) * norm(pr.b))
	return s
}

// twoOpt accepts every improving swap it meets, pass after pass, until a
// full pass finds none. It returns the number of swaps made.
func (s *swapper) twoOpt() int {
	swaps := 0
	for pass := 0; pass < maxPasses; pass++ {
		improved := false
		for r := 0; r < s.n; r++ {
			for t := r + 1; t < s.n; t++ {
				if s.gain(r, t) > s.thresh {
					s.swap(r, t)
					swaps++
					improved = true
				}
			}
		}
		if !improved {
			break
		}
	}
	return swaps
}

// gain is f(after swapping positions r < t) − f(now): with A = W₁,
//
//	Σ_{k≠r,t} (A[r,k]−A[t,k])·(C[t,k]−C[r,k]) + (A[k,r]−A[k,t])·(C[k,t]−C[k,r])
//	+ (A[r,r]−A[t,t])·(C[t,t]−C[r,r]) + (A[r,t]−A[t,r])·(C[t,r]−C[r,t]).
//
// The sums over all k are M[r,t]−M[r,r]−M[t,t]+M[t,r] and the same in N;
// the k = r, t terms are then taken out. Its rounding (a few ulps of the
// entries of M and N) is far below the acceptance threshold.
func (s *swapper) gain(r, t int) float64 {
	n := s.n
	a, c, m, nn := s.a, s.c, s.m, s.nn
	rr, rt, tr, tt := r*n+r, r*n+t, t*n+r, t*n+t
	full := (m[rt] - m[rr]) + (m[tr] - m[tt]) + (nn[rt] - nn[rr]) + (nn[tr] - nn[tt])
	// The k = r and k = t terms of both sums.
	out := float64((a[rr]-a[tr])*(c[tr]-c[rr])) + float64((a[rt]-a[tt])*(c[tt]-c[rt])) +
		float64((a[rr]-a[rt])*(c[rt]-c[rr])) + float64((a[tr]-a[tt])*(c[tt]-c[tr]))
	diag := float64((a[rr]-a[tt])*(c[tt]-c[rr])) + float64((a[rt]-a[tr])*(c[tr]-c[rt]))
	return (full - out) + diag
}

// swap exchanges positions r and t: rows and columns r, t of C (and Cᵀ);
// M = A·Cᵀ and N = Aᵀ·C first take the rank-1 change of C's column (row)
// exchange, M −= (A[:,r]−A[:,t])⊗(C[:,r]−C[:,t]) and N −= (A[r,:]−A[t,:])⊗
// (C[r,:]−C[t,:]), then exchange their columns r and t for the row
// (column) exchange.
func (s *swapper) swap(r, t int) {
	n := s.n
	row := func(x []float64, i int) []float64 { return x[i*n : (i+1)*n] }
	diff(s.u, row(s.at, t), row(s.at, r))
	diff(s.v, row(s.ct, r), row(s.ct, t))
	dense.Ger(s.m, n, s.u, 1, s.v, n, n)
	diff(s.u, row(s.a, t), row(s.a, r))
	diff(s.v, row(s.c, r), row(s.c, t))
	dense.Ger(s.nn, n, s.u, 1, s.v, n, n)
	s.perm[r], s.perm[t] = s.perm[t], s.perm[r]
	for _, x := range [][]float64{s.c, s.ct} {
		for j := 0; j < n; j++ {
			x[r*n+j], x[t*n+j] = x[t*n+j], x[r*n+j]
		}
	}
	for _, x := range [][]float64{s.c, s.ct, s.m, s.nn} {
		for i := 0; i < n; i++ {
			x[i*n+r], x[i*n+t] = x[i*n+t], x[i*n+r]
		}
	}
}

func norm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += float64(v * v)
	}
	return math.Sqrt(s)
}

func sqrt(x float64) float64 { return math.Sqrt(math.Max(x, 0)) }
