package linalg

import (
	"errors"
	"math"
)

// ErrNoConvergence reports an iteration that did not meet its tolerance in
// its sweep limit; with finite input it does not happen in practice.
var ErrNoConvergence = errors.New("linalg: iteration did not converge")

// ErrNotFinite reports a NaN or infinite input entry.
var ErrNotFinite = errors.New("linalg: matrix has a NaN or infinite entry")

// maxSweeps bounds the Jacobi sweeps; convergence is quadratic and takes
// well under 20 at the sizes degen uses.
const maxSweeps = 60

// SymEigen is the workspace of the symmetric eigen-decomposition
// A = V Λ Vᵀ (see the package doc).
type SymEigen struct {
	n      int
	a, v   []float64 // working copy (upper triangle used), rotations so far
	vals   []float64 // descending
	vecs   []float64 // n×n, column j ↔ vals[j]
	order  []int
	sweeps int
}

// Factorize decomposes the symmetric n×n matrix a (only its upper triangle
// is read). It returns ErrNotFinite or ErrNoConvergence on failure.
func (e *SymEigen) Factorize(a []float64, n int) error {
	checkDims(a, n, n)
	if !finite(a) {
		return ErrNotFinite
	}
	e.setup(a, n)
	if err := e.jacobi(); err != nil {
		return err
	}
	e.sortAndSign()
	return nil
}

// Values are the eigenvalues in descending order.
func (e *SymEigen) Values() []float64 { return e.vals }

// Vectors is V (n×n row-major): column j is the unit eigenvector of
// Values()[j], its largest-magnitude entry positive.
func (e *SymEigen) Vectors() []float64 { return e.vecs }

// Sweeps is the number of Jacobi sweeps the last Factorize took.
func (e *SymEigen) Sweeps() int { return e.sweeps }

func (e *SymEigen) setup(a []float64, n int) {
	e.n = n
	e.a = grow(e.a, n*n)
	copy(e.a, a)
	e.v = grow(e.v, n*n)
	for i := range e.v {
		e.v[i] = 0
	}
	for i := 0; i < n; i++ {
		e.v[i*n+i] = 1
	}
	e.vals = grow(e.vals, n)
	e.vecs = grow(e.vecs, n*n)
	e.order = growInt(e.order, n)
}

// jacobi sweeps the pairs (p, q), p < q, in row order until a sweep finds
// nothing to rotate. A pair is left alone when |a_pq| ≤ ε·√|a_pp|·√|a_qq|
// (its rotation would change no eigenvalue by more than rounding, the
// relative criterion of Demmel and Veselić) or when |a_pq| is below
// ε²‖A‖_F, which stops rotations among pure rounding noise around zero
// eigenvalues (MDS's B always has one).
func (e *SymEigen) jacobi() error {
	n := e.n
	floor := eps * eps * frobUpper(e.a, n)
	for e.sweeps = 1; e.sweeps <= maxSweeps; e.sweeps++ {
		rotated := false
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				apq := e.a[p*n+q]
				small := eps * math.Sqrt(math.Abs(e.a[p*n+p])) * math.Sqrt(math.Abs(e.a[q*n+q]))
				if math.Abs(apq) <= small || math.Abs(apq) <= floor {
					continue
				}
				e.rotate(p, q)
				rotated = true
			}
		}
		if !rotated {
			return nil
		}
	}
	return ErrNoConvergence
}

// frobUpper is ‖A‖_F of the symmetric matrix stored in a's upper triangle.
func frobUpper(a []float64, n int) float64 {
	var d, off float64
	for i := 0; i < n; i++ {
		d += float64(a[i*n+i] * a[i*n+i])
		for j := i + 1; j < n; j++ {
			off += float64(a[i*n+j] * a[i*n+j])
		}
	}
	return math.Sqrt(d + 2*off)
}

// rotate annihilates a_pq with the Jacobi rotation of Rutishauser's
// formulation (t the smaller root, updates written as corrections g − s(h +
// gτ) to keep rounding small), touching only the upper triangle.
func (e *SymEigen) rotate(p, q int) {
	n, a := e.n, e.a
	apq := a[p*n+q]
	theta := (a[q*n+q] - a[p*n+p]) / (2 * apq)
	t := 1 / (math.Abs(theta) + math.Sqrt(float64(theta*theta)+1))
	if math.Abs(theta) > 1e150 { // θ² would overflow; t ≈ 1/(2θ)
		t = 1 / (2 * math.Abs(theta))
	}
	if theta < 0 {
		t = -t
	}
	c := 1 / math.Sqrt(float64(t*t)+1)
	s := float64(t * c)
	tau := s / (1 + c)
	h := float64(t * apq)
	a[p*n+p] -= h
	a[q*n+q] += h
	a[p*n+q] = 0
	for j := 0; j < p; j++ {
		jrot(a, j*n+p, j*n+q, s, tau)
	}
	for j := p + 1; j < q; j++ {
		jrot(a, p*n+j, j*n+q, s, tau)
	}
	for j := q + 1; j < n; j++ {
		jrot(a, p*n+j, q*n+j, s, tau)
	}
	v := e.v
	for j := 0; j < n; j++ {
		jrot(v, j*n+p, j*n+q, s, tau)
	}
}

// jrot rotates the entries x[i], x[j] by (c, s), c = 1 − sτ in effect.
func jrot(x []float64, i, j int, s, tau float64) {
	g, h := x[i], x[j]
	x[i] = g - float64(s*(float64(g*tau)+h))
	x[j] = h + float64(s*(g-float64(h*tau)))
}
