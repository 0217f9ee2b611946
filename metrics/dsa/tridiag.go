package dsa

import (
	"errors"
	"math"

	"degen/internal/seed"
	"degen/metrics/internal/dense"
)

// symEigen holds what a fit needs of the Hankel Gram matrix G = HᵀH: all
// eigenvalues, and eigenvectors only on request. G is reduced once to
// tridiagonal form by Householder reflections, Qᵀ G Q = T; T's eigenvalues
// come from the implicit QL iteration, and the few eigenvectors a fit keeps
// from inverse iteration on T, mapped back by Q. A full eigendecomposition
// of a 640×640 G would spend most of its time accumulating all 640 vectors.
// All arithmetic is the FMA kernels' or explicitly rounded.
type symEigen struct {
	n      int
	v      [][]float64 // reflector i: I − τ_i v vᵀ acting on coordinates i+1…, v[0] = 1
	tau    []float64
	d, e   []float64 // T's diagonal and subdiagonal
	values []float64 // eigenvalues, descending
}

// inverseKey seeds the start vectors of inverse iteration. Each vector
// needs its own start: for a repeated eigenvalue, equal starts would grow
// the same direction twice, and orthogonalising would cancel it to noise.
const inverseKey = "metrics/dsa: inverse iteration starts"

// maxQLIter bounds the QL sweeps per eigenvalue (two or three are usual).
const maxQLIter = 60

func newSymEigen(g []float64, n int) (*symEigen, error) {
	s := &symEigen{n: n}
	s.tridiagonalize(append([]float64(nil), g...))
	vals := append([]float64(nil), s.d...)
	if !qlValues(vals, append(append([]float64(nil), s.e...), 0)) {
		return nil, errors.New("dsa: eigenvalues of the Hankel Gram matrix did not converge")
	}
	sortDescending(vals)
	s.values = vals
	return s, nil
}

// tridiagonalize reduces the symmetric a (n×n row-major, both triangles
// set; overwritten) by reflections H_i = I − τ_i v_i v_iᵀ that zero row i
// beyond its superdiagonal. It keeps the upper triangle: row r's entries
// r… are contiguous, so the symmetric product and the rank-2 update run
// on contiguous rows. Step i's update A −= v wᵀ + w vᵀ of each row is
// delayed until step i+1 reads that row for its product, so the trailing
// matrix is streamed once per step instead of twice; every row still sees
// the same operations in the same order.
func (s *symEigen) tridiagonalize(a []float64) {
	n := s.n
	s.d, s.e = make([]float64, n), make([]float64, max(n-1, 0))
	s.v, s.tau = make([][]float64, max(n-2, 0)), make([]float64, max(n-2, 0))
	var pv, pw []float64 // the pending update, on coordinates i…
	row := func(r int) []float64 { return a[r*n+r : r*n+n] }
	update := func(r, i int) { // apply the pending update (made at step i−1) to row r ≥ i
		if pv != nil {
			k := r - i
			dense.Axpy2FMA(-pv[k], pw[k:], -pw[k], pv[k:], row(r))
		}
	}
	for i := 0; i+2 < n; i++ {
		update(i, i)
		x := row(i)[1:]
		v, tau, beta := householder(x)
		s.v[i], s.tau[i] = v, tau
		s.d[i], s.e[i] = a[i*n+i], beta
		// w = τ A v on the trailing block, then w −= (τ/2)(wᵀv) v.
		m := n - i - 1
		w := make([]float64, m)
		for r := 0; r < m; r++ {
			update(i+1+r, i)
			if tau != 0 {
				ar := row(i + 1 + r)
				w[r] += dense.DotFMA(ar, v[r:])
				dense.AxpyFMA(v[r], ar[1:], w[r+1:])
			}
		}
		if tau == 0 {
			pv, pw = nil, nil
			continue
		}
		for r := range w {
			w[r] *= tau
		}
		dense.AxpyFMA(-0.5*tau*dense.DotFMA(w, v), v, w)
		pv, pw = v, w
	}
	if n >= 2 {
		update(n-2, n-2)
		update(n-1, n-2)
		s.d[n-2], s.e[n-2] = a[(n-2)*n+n-2], a[(n-2)*n+n-1]
	}
	if n >= 1 {
		s.d[n-1] = a[n*n-1]
	}
}

// householder returns v (v[0] = 1), τ and β with (I − τ v vᵀ) x = β e₀
// (LAPACK's Dlarfg without its rescaling: Gram entries are far from
// overflow). τ = 0 when x is already a multiple of e₀.
func householder(x []float64) (v []float64, tau, beta float64) {
	v = make([]float64, len(x))
	v[0] = 1
	alpha := x[0]
	sigma := dense.DotFMA(x[1:], x[1:])
	if sigma == 0 {
		return v, 0, alpha
	}
	beta = -math.Copysign(math.Sqrt(math.FMA(alpha, alpha, sigma)), alpha)
	tau = (beta - alpha) / beta
	scale := 1 / (alpha - beta)
	for i := 1; i < len(x); i++ {
		v[i] = x[i] * scale
	}
	return v, tau, beta
}

// qlValues overwrites d with the eigenvalues of the symmetric tridiagonal
// matrix with diagonal d and subdiagonal e[:n−1] (e[n−1] is workspace) by
// the implicit QL iteration with Wilkinson-type shifts, eigenvalues only.
func qlValues(d, e []float64) bool {
	n := len(d)
	for l := 0; l < n; l++ {
		for iter := 0; ; iter++ {
			m := l
			for ; m < n-1; m++ {
				dd := math.Abs(d[m]) + math.Abs(d[m+1])
				if math.Abs(e[m]) <= 0x1p-53*dd {
					break
				}
			}
			if m == l {
				break
			}
			if iter == maxQLIter {
				return false
			}
			if !qlSweep(d, e, l, m) {
				continue
			}
		}
	}
	return true
}

// qlSweep chases one implicit shifted QL step through rows l…m; false
// means it split early at an exact zero and must be repeated.
func qlSweep(d, e []float64, l, m int) bool {
	g := (d[l+1] - d[l]) / (2 * e[l])
	r := hypot(g, 1)
	g = d[m] - d[l] + e[l]/(g+math.Copysign(r, g))
	s, c, p := 1.0, 1.0, 0.0
	for i := m - 1; i >= l; i-- {
		f, b := s*e[i], float64(c*e[i])
		r = math.Sqrt(float64(f*f) + float64(g*g)) // no overflow at Gram scales
		e[i+1] = r
		if r == 0 {
			d[i+1] -= p
			e[m] = 0
			return false
		}
		s, c = f/r, g/r
		g = d[i+1] - p
		r = float64((d[i]-g)*s) + float64(2*c*b)
		p = float64(s * r)
		d[i+1] = g + p
		g = float64(c*r) - b
	}
	d[l] -= p
	e[l], e[m] = g, 0
	return true
}

func sortDescending(x []float64) {
	// Insertion sort: QL leaves the values nearly sorted in no useful order
	// either way, and n ≤ a few thousand.
	for i := 1; i < len(x); i++ {
		v := x[i]
		j := i
		for ; j > 0 && x[j-1] < v; j-- {
			x[j] = x[j-1]
		}
		x[j] = v
	}
}

// vectors returns the eigenvectors of the k largest eigenvalues as the
// columns of an n×k row-major matrix.
func (s *symEigen) vectors(k int) []float64 {
	n := s.n
	out := make([]float64, n*k)
	xs := make([][]float64, k)
	norm := 0.0 // ‖T‖₁
	for i := 0; i < n; i++ {
		r := math.Abs(s.d[i])
		if i > 0 {
			r += math.Abs(s.e[i-1])
		}
		if i < n-1 {
			r += math.Abs(s.e[i])
		}
		norm = math.Max(norm, r)
	}
	rng := seed.New(inverseKey)
	for j := 0; j < k; j++ {
		start := make([]float64, n)
		for i := range start {
			start[i] = rng.Float64() - 0.5
		}
		xs[j] = s.inverseIteration(start, s.values[j], xs[:j], s.values[:j], norm)
		g := append([]float64(nil), xs[j]...)
		s.applyQ(g)
		for i := 0; i < n; i++ {
			out[i*k+j] = g[i]
		}
	}
	return out
}

// inverseIteration returns a unit eigenvector of T for the eigenvalue λ:
// a few solves with T − λI from the start x (overwritten), orthogonalised (as LAPACK's
// Dstein does) against the vectors of eigenvalues within 1e-3·‖T‖₁, whose
// directions inverse iteration alone cannot separate. prev are vectors of T
// (before applyQ) and their eigenvalues.
func (s *symEigen) inverseIteration(x []float64, lambda float64, prev [][]float64, prevVals []float64, norm float64) []float64 {
	f := newTridiagLU(s.d, s.e, lambda, norm)
	for range 4 {
		f.solve(x)
		for j, p := range prev {
			if math.Abs(prevVals[j]-lambda) < 1e-3*norm {
				dense.AxpyFMA(-dense.DotFMA(p, x), p, x)
			}
		}
		scale := 1 / math.Sqrt(dense.DotFMA(x, x))
		for i := range x {
			x[i] *= scale
		}
	}
	return x
}

// applyQ overwrites x (an eigenvector of T) with Q·x = H_0 H_1 ⋯ H_{n−3} x.
func (s *symEigen) applyQ(x []float64) {
	for i := len(s.v) - 1; i >= 0; i-- {
		if s.tau[i] == 0 {
			continue
		}
		y := x[i+1:]
		dense.AxpyFMA(-s.tau[i]*dense.DotFMA(s.v[i], y), s.v[i], y)
	}
}

// tridiagLU is the LU factorisation with partial pivoting of T − σI
// (LAPACK's Dgttrf): unit lower bidiagonal L with row swaps, upper U with
// two superdiagonals. Pivots below ε‖T‖ are raised to it, so an exact
// eigenvalue still gives a (huge, correct-direction) solve.
type tridiagLU struct {
	dl, d, du, du2 []float64
	swap           []bool
}

func newTridiagLU(d, e []float64, sigma, norm float64) *tridiagLU {
	n := len(d)
	f := &tridiagLU{d: make([]float64, n), swap: make([]bool, n)}
	for i := range d {
		f.d[i] = d[i] - sigma
	}
	if n > 1 {
		f.dl, f.du = append([]float64(nil), e...), append([]float64(nil), e...)
		f.du2 = make([]float64, n-1)
	}
	for i := 0; i < n-1; i++ {
		if math.Abs(f.d[i]) >= math.Abs(f.dl[i]) {
			if f.d[i] != 0 {
				fact := f.dl[i] / f.d[i]
				f.dl[i] = fact
				f.d[i+1] -= float64(fact * f.du[i])
			}
			continue
		}
		fact := f.d[i] / f.dl[i]
		f.d[i] = f.dl[i]
		f.dl[i] = fact
		tmp := f.du[i]
		f.du[i] = f.d[i+1]
		f.d[i+1] = tmp - float64(fact*f.d[i+1])
		if i < n-2 {
			f.du2[i] = f.du[i+1]
			f.du[i+1] = -fact * f.du[i+1]
		}
		f.swap[i] = true
	}
	tiny := math.Max(norm, math.SmallestNonzeroFloat64) * 0x1p-52
	for i := range f.d {
		if math.Abs(f.d[i]) < tiny {
			f.d[i] = math.Copysign(tiny, f.d[i])
		}
	}
	return f
}

// solve overwrites b with (T − σI)⁻¹ b.
func (f *tridiagLU) solve(b []float64) {
	n := len(b)
	for i := 0; i < n-1; i++ {
		if !f.swap[i] {
			b[i+1] -= float64(f.dl[i] * b[i])
		} else {
			b[i], b[i+1] = b[i+1], b[i]-float64(f.dl[i]*b[i+1])
		}
	}
	b[n-1] /= f.d[n-1]
	if n > 1 {
		b[n-2] = (b[n-2] - float64(f.du[n-2]*b[n-1])) / f.d[n-2]
	}
	for i := n - 3; i >= 0; i-- {
		b[i] = (b[i] - float64(f.du[i]*b[i+1]) - float64(f.du2[i]*b[i+2])) / f.d[i]
	}
}
