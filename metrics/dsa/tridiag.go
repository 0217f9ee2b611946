package dsa

import (
	"errors"
	"math"

	"degen/internal/linalg"
	"degen/internal/seed"
	"degen/metrics/internal/dense"
)

// symEigen holds what a fit needs of the Hankel Gram matrix G = HᵀH: its
// eigenvalues (all, or the largest few), and eigenvectors only on request.
// G is reduced once to tridiagonal form by Householder reflections,
// Qᵀ G Q = T; all of T's eigenvalues come from the implicit QL iteration,
// the largest few from bisection, and the few eigenvectors a fit keeps
// from inverse iteration on T, mapped back by Q. A full eigendecomposition
// of a 640×640 G would spend most of its time accumulating all 640 vectors.
// All arithmetic is the FMA kernels' or explicitly rounded.
type symEigen struct {
	n      int
	v      [][]float64 // reflector i: I − τ_i v vᵀ acting on coordinates i+1…, v[0] = 1
	tau    []float64
	d, e   []float64 // T's diagonal and subdiagonal
	values []float64 // eigenvalues (all, or the largest few), descending
}

// inverseKey seeds the start vectors of inverse iteration. Each vector
// needs its own start: for a repeated eigenvalue, equal starts would grow
// the same direction twice, and orthogonalising would cancel it to noise.
const inverseKey = "metrics/dsa: inverse iteration starts"

// maxQLIter bounds the QL sweeps per eigenvalue (two or three are usual).
const maxQLIter = 60

// newSymEigen reduces the symmetric n×n g (not changed) and finds all its
// eigenvalues.
func newSymEigen(g []float64, n int) (*symEigen, error) {
	return reduceSym(append([]float64(nil), g...), n, 0)
}

// reduceSym is newSymEigen overwriting g. With top > 0 only the top
// largest eigenvalues are found (by bisection, cheaper than all of them by
// QL when top is a small fraction of n).
func reduceSym(g []float64, n, top int) (*symEigen, error) {
	s := &symEigen{n: n}
	s.tridiagonalize(g)
	if top > 0 {
		s.values = s.topValues(min(top, n))
		return s, nil
	}
	vals := append([]float64(nil), s.d...)
	if !qlValues(vals, append(append([]float64(nil), s.e...), 0)) {
		return nil, errors.New("dsa: eigenvalues of the Hankel Gram matrix did not converge")
	}
	linalg.SortDescending(vals)
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
	zeros := make([]float64, n)
	pv, pw := zeros, zeros // the pending update, on coordinates i…; none at first
	wbuf := [2][]float64{make([]float64, n), make([]float64, n)}
	row := func(r int) []float64 { return a[r*n+r : r*n+n] }
	update := func(r, i int) { // apply the pending update to row r ≥ i
		k := r - i
		ar := row(r)
		ar[0] = math.FMA(-pw[k], pv[k], math.FMA(-pv[k], pw[k], ar[0]))
		l := len(ar)
		dense.Axpy2FMA(-pv[k], pw[k+1:k+l], -pw[k], pv[k+1:k+l], ar[1:])
	}
	for i := 0; i+2 < n; i++ {
		update(i, i)
		v, tau, beta := householder(row(i)[1:])
		s.v[i], s.tau[i] = v, tau
		s.d[i], s.e[i] = a[i*n+i], beta
		m := n - i - 1
		if tau == 0 {
			for r := range m {
				update(i+1+r, i)
			}
			pv, pw = zeros, zeros
			continue
		}
		// w = τ A v on the trailing block (each row updated first), then
		// w −= (τ/2)(wᵀv) v.
		w := wbuf[i%2][:m] // pw is the other buffer
		clear(w)
		for r := 0; r < m; r++ {
			k := r + 1
			ar := row(i + 1 + r)
			ar[0] = math.FMA(-pw[k], pv[k], math.FMA(-pv[k], pw[k], ar[0]))
			d := dense.SymRow(ar[1:], -pv[k], pw[k+1:], -pw[k], pv[k+1:], v[r+1:], w[r+1:], v[r])
			w[r] = math.FMA(ar[0], v[r], w[r]) + d
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

// topValues returns T's k largest eigenvalues, descending, by bisection
// on Sturm counts. Four eigenvalues are bracketed at once, so the four
// count recurrences (each a chain of dependent divisions) overlap.
func (s *symEigen) topValues(k int) []float64 {
	n := s.n
	e2 := make([]float64, n)
	lo, hi, emax := s.d[0], s.d[0], 0.0
	for i := 0; i < n; i++ {
		r := 0.0
		if i > 0 {
			r += math.Abs(s.e[i-1])
			e2[i] = float64(s.e[i-1] * s.e[i-1])
			emax = math.Max(emax, e2[i])
		}
		if i < n-1 {
			r += math.Abs(s.e[i])
		}
		lo, hi = math.Min(lo, s.d[i]-r), math.Max(hi, s.d[i]+r)
	}
	pivmin := math.Max(emax, 1) * 0x1p-1000
	tol := 0x1p-52 * math.Max(math.Abs(lo), math.Abs(hi))
	out := make([]float64, k)
	for j0 := 0; j0 < k; j0 += 4 {
		var a, b [4]float64
		var t [4]int // ascending index of the eigenvalue in each lane
		for l := range 4 {
			a[l], b[l] = lo, hi
			t[l] = n - 1 - min(j0+l, k-1)
		}
		for range 200 {
			var mid [4]float64
			done := true
			for l := range 4 {
				mid[l] = a[l] + float64(0.5*(b[l]-a[l]))
				if b[l]-a[l] > tol {
					done = false
				}
			}
			if done {
				break
			}
			c := s.sturm4(mid, e2, pivmin)
			for l := range 4 {
				if c[l] <= t[l] {
					a[l] = mid[l]
				} else {
					b[l] = mid[l]
				}
			}
		}
		for l := range 4 {
			if j0+l < k {
				out[j0+l] = a[l] + float64(0.5*(b[l]-a[l]))
			}
		}
	}
	return out
}

// sturm4 returns, for each of four shifts x, the number of eigenvalues of
// T below x: the negative pivots of the LDLᵀ factorisation of T − xI.
func (s *symEigen) sturm4(x [4]float64, e2 []float64, pivmin float64) [4]int {
	var c [4]int
	var q [4]float64
	d := s.d
	for l := range 4 {
		q[l] = d[0] - x[l]
	}
	for i := 0; ; i++ {
		for l := range 4 {
			if math.Abs(q[l]) < pivmin {
				q[l] = -pivmin
			}
			if q[l] < 0 {
				c[l]++
			}
		}
		if i+1 == len(d) {
			return c
		}
		di, ei := d[i+1], e2[i+1]
		q[0] = di - x[0] - ei/q[0]
		q[1] = di - x[1] - ei/q[1]
		q[2] = di - x[2] - ei/q[2]
		q[3] = di - x[3] - ei/q[3]
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
