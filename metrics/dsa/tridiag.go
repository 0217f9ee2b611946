package dsa

import (
	"errors"
	"math"

	"degen/internal/seed"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"
)

// symEigen holds what a fit needs of the Hankel Gram matrix G = HᵀH: all
// eigenvalues, and eigenvectors only on request. G is reduced once to
// tridiagonal form, Qᵀ G Q = T (Householder, LAPACK's Dsytrd); T's
// eigenvalues come from the root-free QL/QR iteration (Dsterf), and the few
// eigenvectors a fit keeps from inverse iteration on T, mapped back by Q.
// A full symmetric eigendecomposition of a 640×640 G spends most of its
// second accumulating all 640 vectors; this spends it on the reduction.
type symEigen struct {
	n      int
	a      []float64 // Dsytrd's output: T and the reflectors, row-major, lower
	tau    []float64
	d, e   []float64 // T's diagonal and subdiagonal
	values []float64 // eigenvalues, descending
}

var lapack = gonum.Implementation{}

// inverseKey seeds the start vectors of inverse iteration. Each vector
// needs its own start: for a repeated eigenvalue, equal starts would grow
// the same direction twice, and orthogonalising would cancel it to noise.
const inverseKey = "metrics/dsa: inverse iteration starts"

func newSymEigen(g []float64, n int) (*symEigen, error) {
	s := &symEigen{n: n, a: append([]float64(nil), g...), d: make([]float64, n)}
	if n > 1 {
		s.e, s.tau = make([]float64, n-1), make([]float64, n-1)
	}
	work := []float64{0}
	lapack.Dsytrd(blas.Lower, n, s.a, n, s.d, s.e, s.tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack.Dsytrd(blas.Lower, n, s.a, n, s.d, s.e, s.tau, work, len(work))
	vals := append([]float64(nil), s.d...)
	if !lapack.Dsterf(n, vals, append([]float64(nil), s.e...)) {
		return nil, errors.New("dsa: eigenvalues of the Hankel Gram matrix did not converge")
	}
	s.values = make([]float64, n)
	for i, v := range vals {
		s.values[n-1-i] = v
	}
	return s, nil
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
				c := dot(p, x)
				axpy(-c, p, x)
			}
		}
		scale := 1 / math.Sqrt(frob2(x))
		for i := range x {
			x[i] *= scale
		}
	}
	return x
}

// applyQ overwrites x (an eigenvector of T) with Q·x = H_0 H_1 ⋯ H_{n−2} x,
// H_i = I − τ_i v vᵀ with v[i+1] = 1 and v[i+2:] stored below T's
// subdiagonal in column i.
func (s *symEigen) applyQ(x []float64) {
	n := s.n
	for i := n - 2; i >= 0; i-- {
		w := x[i+1]
		for r := i + 2; r < n; r++ {
			w += float64(s.a[r*n+i] * x[r])
		}
		w *= s.tau[i]
		x[i+1] -= w
		for r := i + 2; r < n; r++ {
			x[r] -= float64(w * s.a[r*n+i])
		}
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
