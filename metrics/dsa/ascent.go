package dsa

import (
	"math"

	"degen/metrics/internal/dense"
)

// The ascent works in the Lie algebra of skew matrices: a step X moves C to
// Cay(X)·C with Cay(X) = (I − X/2)⁻¹(I + X/2), the Cayley retraction, which
// stays exactly on O(n) (up to rounding) and never changes det C. The
// gradient of X ↦ g(Cay(X)·C) at X = 0 is W/2, with W = M − Mᵀ and
// M = G Cᵀ = Â Pᵀ + Âᵀ P, P = C B̂ Cᵀ. Steps come from a trust-region
// Newton method (trust.go); this file holds the objective, the gradient
// and the retraction.

// reorthEvery is the number of accepted steps between re-orthogonalisations
// of C.
const reorthEvery = 8

// ascent maximises g(C) = tr(Aᵀ C B Cᵀ) over the orthogonal group for fixed
// unit-norm n×n operators A and B. All buffers are allocated once.
type ascent struct {
	n    int
	a, b []float64

	c, p, w    []float64 // iterate, P = C B Cᵀ, W packed (see evalW)
	g, wn      float64   // g(C), ‖W‖_F
	nc, np, nw []float64 // trial iterate and its P, W
	ng         float64
	d, dp      []float64 // step, full and packed
	t1, t2     []float64 // scratch, n×n
	aug        []float64 // [I − τD/2 | C], n×2n

	// Trust region (trust.go).
	hb     []float64 // the Hessian products' operands, 4n×4n (hessianBuffer)
	rs, cs []float64 // row and column dots of A and P, n each
	pinv   []float64 // the preconditioner: 1/M_kk, packed
	cr, cz []float64 // CG residual and its preconditioned copy, packed
	cd     []float64 // CG direction
	chd    []float64 // H·δ_k for the first nhd CG directions at this iterate, packed, cgMax of them
	nhd    int       // valid products in chd; −1 also means hessianSetup is due
	cheta  []float64 // H·η
	scr    []float64 // scratch, packed
	hvs    int       // Hessian-vector products so far
}

func newAscent(a, b []float64, n int) *ascent {
	nn := n * n
	buf := make([]float64, 25*nn)
	next := func(k int) []float64 { s := buf[: k*nn : k*nn]; buf = buf[k*nn:]; return s }
	np := n * (n - 1) / 2
	pbuf := make([]float64, 10*np+2*n)
	packed := func() []float64 { s := pbuf[:np:np]; pbuf = pbuf[np:]; return s }
	s := &ascent{n: n, a: a, b: b,
		c: next(1), p: next(1), w: packed(), nc: next(1), np: next(1), nw: packed(),
		d: next(1), dp: packed(), t1: next(1), t2: next(1), aug: next(2), hb: next(16),
		pinv: packed(), cr: packed(), cz: packed(), cd: packed(), chd: make([]float64, cgMax*np), nhd: -1, cheta: packed(), scr: packed()}
	s.rs, s.cs = pbuf[:n:n], pbuf[n:2*n:2*n]
	s.setHessianConstants()
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
// triangle of the skew W row by row, n(n−1)/2 values. In these packed
// coordinates x of a step X (X_ij = x_k for i < j), w is exactly the
// gradient of x ↦ g(Cay(X)·C) at 0; the trust region works on them. It
// returns ‖W‖_F. Mᵀ = P Aᵀ + Pᵀ A is formed instead (two products into one
// set of chains, Pᵀ by strides, Aᵀ from the Hessian buffer): each element
// is the same chain of the same products as M's, without transposing P.
func (s *ascent) evalW(w, p []float64) float64 {
	n := s.n
	mt := s.t1
	dense.Gemm(mt, n, p, n, 1, s.hbAt(1, 0), 4*n, n, n, n, false)
	dense.Gemm(mt, n, p, 1, n, s.a, n, n, n, n, true)
	packSkew(w, mt, n, true)
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

// refresh re-orthogonalises C and recomputes g and W from it.
func (s *ascent) refresh() {
	s.reorth(s.c)
	s.g = s.evalP(s.p, s.c)
	s.wn = s.evalW(s.w, s.p)
	s.nhd = -1
}

// packSkew sets out, packed as evalW's w, to the strict upper triangle of
// u − uᵀ, or of uᵀ − u if transposed, for the n×n u: each value is one
// rounded difference, read down u's column by stride and along its row.
func packSkew(out, u []float64, n int, transposed bool) {
	k := 0
	for i := 0; i < n-1; i++ {
		row := u[i*n+i+1 : i*n+n]
		col := u[(i+1)*n+i:]
		o := out[k : k+len(row)]
		if transposed {
			for t, v := range row {
				o[t] = col[t*n] - v
			}
		} else {
			for t, v := range row {
				o[t] = v - col[t*n]
			}
		}
		k += len(row)
	}
}

// unpackSkew sets the n×n d (row stride ld) to scale times the skew matrix
// whose strict upper triangle is packed in u, row by row.
func unpackSkew(d []float64, ld int, u []float64, n int, scale float64) {
	k := 0
	for i := 0; i < n; i++ {
		d[i*ld+i] = 0
		for j := i + 1; j < n; j++ {
			v := scale * u[k]
			d[i*ld+j], d[j*ld+i] = v, -v
			k++
		}
	}
}
