package weights

import (
	"math"

	"degen/metrics/internal/dense"
)

// maxPasses bounds 2-opt even if rounding produced an endless run of
// "gains"; each accepted swap must gain more than the threshold, so in
// practice a handful of passes suffice.
const maxPasses = 1000

// swapper keeps C = W₂[perm][:,perm] and its transpose, so that the gain of
// swapping two positions is an O(n) sum over contiguous rows.
type swapper struct {
	n      int
	a, at  []float64
	c, ct  []float64
	perm   []int
	thresh float64
}

func newSwapper(pr *problem, perm []int) *swapper {
	n := pr.n
	s := &swapper{n: n, a: pr.a, at: pr.at, perm: append([]int(nil), perm...),
		c: make([]float64, n*n)}
	for i, pi := range perm {
		for j, pj := range perm {
			s.c[i*n+j] = pr.b[pi*n+pj]
		}
	}
	s.ct = dense.Transpose(s.c, n)
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

// gain is f(after swapping positions r < t) − f(now). Only rows and
// columns r and t of C change.
func (s *swapper) gain(r, t int) float64 {
	n := s.n
	ar, as := s.a[r*n:(r+1)*n], s.a[t*n:(t+1)*n]
	cr, cs := s.c[r*n:(r+1)*n], s.c[t*n:(t+1)*n]
	atr, ats := s.at[r*n:(r+1)*n], s.at[t*n:(t+1)*n]
	ctr, cts := s.ct[r*n:(r+1)*n], s.ct[t*n:(t+1)*n]
	var g float64
	for k := 0; k < n; k++ {
		if k == r || k == t {
			continue
		}
		g += float64((ar[k]-as[k])*(cs[k]-cr[k])) + float64((atr[k]-ats[k])*(cts[k]-ctr[k]))
	}
	g += float64((ar[r]-as[t])*(cs[t]-cr[r])) + float64((ar[t]-as[r])*(cs[r]-cr[t]))
	return g
}

func (s *swapper) swap(r, t int) {
	n := s.n
	s.perm[r], s.perm[t] = s.perm[t], s.perm[r]
	for _, m := range [][]float64{s.c, s.ct} {
		for j := 0; j < n; j++ {
			m[r*n+j], m[t*n+j] = m[t*n+j], m[r*n+j]
		}
		for i := 0; i < n; i++ {
			m[i*n+r], m[i*n+t] = m[i*n+t], m[i*n+r]
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
