package dsa

import (
	"math"

	"degen/metrics/internal/dense"
)

// The ascent works in the Lie algebra of skew matrices: a step X moves C to
// Cay(X)·C with Cay(X) = (I − X/2)⁻¹(I + X/2), the Cayley retraction, which
// stays exactly on O(n) (up to rounding) and never changes det C. The
// gradient of X ↦ g(Cay(X)·C) at X = 0 is W/2, with W = M − Mᵀ and
// M = G Cᵀ = Â Pᵀ + Âᵀ P, P = C B̂ Cᵀ. Directions come from L-BFGS on
// these trivialised coordinates (steps and gradient changes are all skew
// matrices at the identity, so no vector transport is needed), and steps
// from a backtracking Armijo search starting at the quasi-Newton step 1.
// Plain gradient steps crawl here: the Hessian of g on O(n) is badly
// conditioned near most optima; L-BFGS converges superlinearly.
const (
	memory      = 12   // L-BFGS pairs kept
	armijo      = 1e-4 // sufficient increase, as a fraction of the slope
	backtrack   = 0.5  // step shrink factor on a failed test
	maxBacktrak = 40   // then give up on the direction and reset memory
	reorthEvery = 32   // iterations between re-orthogonalisations of C
)

// ascent maximises g(C) = tr(Aᵀ C B Cᵀ) over the orthogonal group for fixed
// unit-norm n×n operators A and B. All buffers are allocated once.
type ascent struct {
	n    int
	a, b []float64
	ab   []float64 // [A | Aᵀ], n×2n: M = A Pᵀ + Aᵀ P is one product with [Pᵀ; P]

	c, p, w    []float64 // iterate, P = C B Cᵀ, W packed (see evalW)
	g, wn      float64   // g(C), ‖W‖_F
	nc, np, nw []float64 // trial iterate and its P, W
	ng         float64
	d, dp      []float64 // search direction, full and packed
	t1, t2     []float64 // scratch, n×n
	pp         []float64 // [Pᵀ; P], 2n×n
	aug        []float64 // [I − τD/2 | C], n×2n

	s, y  [memory][]float64 // L-BFGS pairs (packed), newest at (head−1) mod memory
	rho   [memory]float64
	alpha [memory]float64
	head  int
	count int
}

func newAscent(a, b []float64, n int) *ascent {
	nn := n * n
	buf := make([]float64, 14*nn)
	next := func(k int) []float64 { s := buf[: k*nn : k*nn]; buf = buf[k*nn:]; return s }
	np := n * (n - 1) / 2
	pbuf := make([]float64, (3+2*memory)*np)
	packed := func() []float64 { s := pbuf[:np:np]; pbuf = pbuf[np:]; return s }
	s := &ascent{n: n, a: a, b: b, ab: next(2),
		c: next(1), p: next(1), w: packed(), nc: next(1), np: next(1), nw: packed(),
		d: next(1), dp: packed(), t1: next(1), t2: next(1), pp: next(2), aug: next(2)}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s.ab[i*2*n+j] = a[i*n+j]
			s.ab[i*2*n+n+j] = a[j*n+i]
		}
	}
	for i := range memory {
		s.s[i], s.y[i] = packed(), packed()
	}
	return s
}

// evalP sets p = c b cᵀ and returns g = ⟨a, p⟩.
func (s *ascent) evalP(p, c []float64) float64 {
	n := s.n
	mul(s.t1, c, s.b, n)
	transpose(s.t2, c, n)
	mul(p, s.t1, s.t2, n)
	return dot(s.a, p)
}

// evalW sets w to W = M − Mᵀ, M = A Pᵀ + Aᵀ P, packed: the strict upper
// triangle of the skew W row by row, n(n−1)/2 values. The L-BFGS vectors
// live in this form too: the packed inner product is half the Frobenius
// one, a uniform scale the two-loop recursion does not see, and the
// vectors are half as long. It returns ‖W‖_F.
func (s *ascent) evalW(w, p []float64) float64 {
	n := s.n
	transpose(s.pp, p, n)
	copy(s.pp[n*n:], p)
	m := s.t1
	dense.Gemm(m, n, s.ab, 2*n, 1, s.pp, n, n, n, 2*n, false)
	k := 0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			w[k] = m[i*n+j] - m[j*n+i]
			k++
		}
	}
	return math.Sqrt(2 * frob2(w))
}

// cayley sets nc = Cay(τD)·C = (I − τD/2)⁻¹(I + τD/2) C for the direction
// D = s.d, as 2Z − C with (I − τD/2) Z = C: one solve, no product.
func (s *ascent) cayley(tau float64) {
	n := s.n
	h := -tau / 2
	for i := 0; i < n; i++ {
		row := s.aug[i*2*n : (i+1)*2*n]
		lhs, rhs := row[:n], row[n:]
		d := s.d[i*n : i*n+n]
		for j, x := range d {
			lhs[j] = float64(h * x)
		}
		lhs[i]++
		copy(rhs, s.c[i*n:i*n+n])
	}
	solveAugmented(s.aug, n)
	for i := 0; i < n; i++ {
		z := s.aug[i*2*n+n : (i+1)*2*n]
		c, nc := s.c[i*n:i*n+n], s.nc[i*n:i*n+n]
		for j, x := range z {
			nc[j] = 2*x - c[j]
		}
	}
}

// reorth pulls C back onto the group with one Newton–Schulz step toward
// its polar factor, C ← C(3I − CᵀC)/2, which squares the drift (~1e-15 per
// Cayley step from rounding) away.
func (s *ascent) reorth(c []float64) {
	n := s.n
	mulAT(s.t1, c, c, n)
	for i := range s.t1 {
		s.t1[i] = -s.t1[i]
	}
	for i := 0; i < n; i++ {
		s.t1[i*n+i] += 3
	}
	mul(s.t2, c, s.t1, n)
	for i := range c {
		c[i] = 0.5 * s.t2[i]
	}
}

// run ascends from c0 until ‖W‖_F < tol or maxIter iterations, leaving the
// last (re-orthogonalised) iterate in s.c, and returns the iterations used.
func (s *ascent) run(c0 []float64, tol float64, maxIter int) int {
	copy(s.c, c0)
	s.count = 0
	s.refresh()
	it := 0
	for ; it < maxIter && s.wn >= tol; it++ {
		if !s.step() {
			break
		}
		if (it+1)%reorthEvery == 0 {
			s.refresh()
		}
	}
	s.refresh()
	return it
}

// refresh re-orthogonalises C and recomputes g and W from it.
func (s *ascent) refresh() {
	s.reorth(s.c)
	s.g = s.evalP(s.p, s.c)
	s.wn = s.evalW(s.w, s.p)
}

// step takes one L-BFGS step; false means no step increased g, even along
// the gradient (the iterate is at a maximum to rounding level).
func (s *ascent) step() bool {
	s.direction()
	slope := dot(s.dp, s.w) // of τ ↦ g(Cay(τD)·C) at 0: ½⟨D, W⟩_F
	if !(slope > 0) {
		s.count = 0
		s.direction()
		slope = dot(s.dp, s.w)
	}
	tau := 1.0
	for k := 0; ; k++ {
		s.cayley(tau)
		s.ng = s.evalP(s.np, s.nc)
		if s.ng >= s.g+float64(armijo*tau*slope) {
			break
		}
		if k == maxBacktrak {
			if s.count == 0 {
				return false
			}
			s.count = 0 // retry along the gradient
			return true
		}
		tau *= backtrack
	}
	nwn := s.evalW(s.nw, s.np)
	s.remember(tau)
	s.c, s.nc = s.nc, s.c
	s.p, s.np = s.np, s.p
	s.w, s.nw = s.nw, s.w
	s.g, s.wn = s.ng, nwn
	return true
}

// direction sets d by the L-BFGS two-loop recursion on the gradient W/2
// (for the minimised −g, the pairs are s = τD and y = −(W'−W)/2). With no
// pairs yet it is the gradient scaled to a step of 0.1 radian at most.
// The recursion runs on packed vectors; d gets the full skew matrix.
func (s *ascent) direction() {
	defer unpackSkew(s.d, s.dp, s.n)
	for i, wi := range s.w {
		s.dp[i] = 0.5 * wi
	}
	if s.count == 0 {
		if scale := 0.1 / (0.5 * s.wn); scale < 1 {
			for i := range s.dp {
				s.dp[i] *= scale
			}
		}
		return
	}
	for k := 1; k <= s.count; k++ {
		j := (s.head - k + memory) % memory
		s.alpha[j] = s.rho[j] * dot(s.s[j], s.dp)
		dense.AxpyFMA(-s.alpha[j], s.y[j], s.dp)
	}
	newest := (s.head - 1 + memory) % memory
	gamma := 1 / (s.rho[newest] * frob2(s.y[newest]))
	for i := range s.dp {
		s.dp[i] *= gamma
	}
	for k := s.count; k >= 1; k-- {
		j := (s.head - k + memory) % memory
		beta := float64(s.rho[j] * dot(s.y[j], s.dp))
		dense.AxpyFMA(s.alpha[j]-beta, s.s[j], s.dp)
	}
}

// remember stores the pair of the step just taken (before the swap: d is
// the direction, w the old W, nw the new), skipping it unless sᵀy > 0 so
// the inverse-Hessian model stays positive definite.
func (s *ascent) remember(tau float64) {
	j := s.head
	sj, yj := s.s[j], s.y[j]
	for i := range sj {
		sj[i] = tau * s.dp[i]
		yj[i] = 0.5 * (s.w[i] - s.nw[i])
	}
	sy := dot(sj, yj)
	if !(sy > 1e-14*math.Sqrt(frob2(sj)*frob2(yj))) {
		return
	}
	s.rho[j] = 1 / sy
	s.head = (s.head + 1) % memory
	s.count = min(s.count+1, memory)
}

// unpackSkew sets the n×n d to the skew matrix whose strict upper triangle
// is packed in u, row by row.
func unpackSkew(d, u []float64, n int) {
	k := 0
	for i := 0; i < n; i++ {
		d[i*n+i] = 0
		for j := i + 1; j < n; j++ {
			d[i*n+j], d[j*n+i] = u[k], -u[k]
			k++
		}
	}
}
