package dsa

import (
	"degen/internal/linalg"
	"errors"
	"fmt"
	"math"

	"degen/metrics/lap"

	"gonum.org/v1/gonum/mat"
)

// screenTol is the ‖W‖_F every start is ascended to before the best one is
// polished to Params.Tol. g's error is quadratic in ‖W‖, so at 1e-4 the
// starts are ranked to ~1e-8, far below the gaps between distinct local
// maxima seen on random and fitted 20×20 pairs (≳1e-4), while the losers
// skip the last, most expensive trust-region steps; ranking at 1e-3 (with
// L-BFGS) already picked wrong.
const screenTol = 1e-4

// closeEnough stops the search over starts: once 1 − g ≤ 1e-10 the distance
// is ≤ √(2·1e-10) ≈ 1.4e-5 and no other start can lower it by more, so
// copies and conjugates (the spectral start finds them) cost one run.
const closeEnough = 1e-10

// A Result is one comparison. With Score = wasserstein no optimisation runs:
// Angular and Euclidean are NaN and C is nil.
type Result struct {
	Score       float64    // the value of Params.Score
	Angular     float64    // arccos tr(Âᵀ C B̂ Cᵀ), in [0, π]
	Euclidean   float64    // ‖Â − C B̂ Cᵀ‖_F = 2 sin(Angular/2), in [0, 2]
	Wasserstein float64    // W₂² between the eigenvalue sets (unnormalised operators)
	C           *mat.Dense // the orthogonal C found
	Start       int        // winning start: 0 spectral, 1 identity, 2 reflection, 3+ random
	Iters       int        // trust-region steps (accepted or not) over all starts
	GradNorm    float64    // ‖W‖_F at C
}

// Compare compares two fitted models. Operators of unequal rank are compared
// as if the smaller were zero-padded (see CompareOperators).
func Compare(a, b *Model, p Params) (Result, error) {
	if a == nil || b == nil || a.A == nil || b.A == nil {
		return Result{}, errors.New("dsa: compare: nil model")
	}
	return compare(a.A, b.A, a.Eig, b.Eig, p)
}

// CompareOperators computes the DSA distance between A and B:
//
//	min over orthogonal C of ‖Â − C B̂ Cᵀ‖_F,  Â = A/‖A‖_F, B̂ = B/‖B‖_F,
//
// by Riemannian ascent of g(C) = tr(Âᵀ C B̂ Cᵀ) with a Cayley retraction from
// several starts, keeping the best. When the sizes differ, the smaller
// operator is zero-padded to the larger one, A ⊕ 0: its extra directions
// decay at once, and its spectrum gains zeros; this holds for all three
// scores.
func CompareOperators(a, b *mat.Dense, p Params) (Result, error) {
	if a == nil || b == nil {
		return Result{}, errors.New("dsa: compare: nil operator")
	}
	if _, err := commonSize(a, b); err != nil {
		return Result{}, err
	}
	ea, err := eigenvalues(a)
	if err != nil {
		return Result{}, err
	}
	eb, err := eigenvalues(b)
	if err != nil {
		return Result{}, err
	}
	return compare(a, b, ea, eb, p)
}

func compare(a, b *mat.Dense, ea, eb []complex128, p Params) (Result, error) {
	if err := p.validateCompare(); err != nil {
		return Result{}, fmt.Errorf("dsa: %w", err)
	}
	n, err := commonSize(a, b)
	if err != nil {
		return Result{}, err
	}
	an, err := unitPadded(a, n)
	if err != nil {
		return Result{}, err
	}
	bn, err := unitPadded(b, n)
	if err != nil {
		return Result{}, err
	}
	// d(A,B) = d(B,A) with C ↔ Cᵀ, but a multi-start search may find
	// different local maxima from the two sides; solving every pair in one
	// canonical order makes the result exactly symmetric.
	swapped := lexLess(bn, an)
	if swapped {
		an, bn, ea, eb = bn, an, eb, ea
	}
	res := Result{Angular: math.NaN(), Euclidean: math.NaN()}
	if res.Wasserstein, err = wasserstein(ea, eb); err != nil {
		return Result{}, err
	}
	if p.Score == Wasserstein {
		res.Score = res.Wasserstein
		return res, nil
	}
	o := optimise(an, bn, n, p)
	res.Angular, res.Euclidean = scores(an, bn, o.c, n)
	res.C = mat.NewDense(n, n, o.c)
	if swapped {
		res.C = mat.DenseCopyOf(res.C.T())
	}
	res.Start, res.Iters, res.GradNorm = o.start, o.iters, o.wn
	res.Score = res.Angular
	if p.Score == Euclidean {
		res.Score = res.Euclidean
	}
	return res, nil
}

// lexLess orders operators by their first differing entry.
func lexLess(x, y []float64) bool {
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

func commonSize(a, b *mat.Dense) (int, error) {
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != ca || rb != cb || ra == 0 || rb == 0 {
		return 0, fmt.Errorf("dsa: operators are %d×%d and %d×%d: want non-empty square matrices", ra, ca, rb, cb)
	}
	return max(ra, rb), nil
}

// unitPadded returns a/‖a‖_F zero-padded to n×n, row-major.
func unitPadded(a *mat.Dense, n int) ([]float64, error) {
	r, _ := a.Dims()
	out := make([]float64, n*n)
	for i := 0; i < r; i++ {
		for j := 0; j < r; j++ {
			out[i*n+j] = a.At(i, j)
		}
	}
	norm := math.Sqrt(frob2(out))
	if !(norm > 0) || math.IsInf(norm, 0) {
		return nil, fmt.Errorf("dsa: operator has Frobenius norm %v: want a finite, non-zero operator", norm)
	}
	for i := range out {
		out[i] /= norm
	}
	return out, nil
}

type optimum struct {
	c            []float64
	g, wn        float64
	start, iters int
}

// optimise runs the ascent from every start to screenTol, then polishes the
// best to p.Tol. Ties keep the earlier start. The ascent runs on Ã = Uᵀ Â U
// with U the eigenvectors of sym(Â), and C̃ = Uᵀ C (g is unchanged): its
// preconditioner, the Hessian's diagonal, is far more informative in that
// basis (trust.go).
func optimise(a, b []float64, n int, p Params) optimum {
	u := symEigenvectors(a, n)
	s := newAscent(conjugateBy(a, u, n), b, n)
	screen := math.Max(p.Tol, screenTol)
	best := optimum{c: make([]float64, n*n), g: math.Inf(-1)}
	c0 := make([]float64, n*n)
	for i, c := range starts(a, b, u, n, p.RandomStarts) {
		mulAT(c0, u, c, n)
		best.iters += s.run(c0, screen, p.MaxIter)
		if s.g > best.g {
			copy(best.c, s.c)
			best.g, best.wn, best.start = s.g, s.wn, i
		}
		if 1-best.g <= closeEnough {
			break
		}
	}
	if best.wn >= p.Tol {
		best.iters += s.run(best.c, p.Tol, p.MaxIter)
		if s.g >= best.g {
			copy(best.c, s.c)
			best.g, best.wn = s.g, s.wn
		}
	}
	mul(c0, u, best.c, n)
	s.reorth(c0)
	best.c = c0
	return best
}

// scores returns the angular and euclidean distances at c. The angle is
// 2·asin(‖Â − C B̂ Cᵀ‖/2) while it is below π/2: arccos of a trace near 1
// loses half the digits (a floor near 1e-8), the residual keeps them all.
func scores(a, b, c []float64, n int) (angular, euclidean float64) {
	t := make([]float64, n*n)
	ct := make([]float64, n*n)
	pm := make([]float64, n*n)
	mul(t, c, b, n)
	transpose(ct, c, n)
	mul(pm, t, ct, n)
	g := dot(a, pm)
	for i := range pm {
		pm[i] = a[i] - pm[i]
	}
	euclidean = math.Sqrt(frob2(pm))
	if g > 0 {
		return 2 * linalg.Asin(math.Min(euclidean/2, 1)), euclidean
	}
	return linalg.Acos(math.Max(g, -1)), euclidean
}

// wasserstein is the squared 2-Wasserstein distance between the uniform
// measures on the two eigenvalue sets, as points of the plane with squared
// Euclidean cost and no square root taken. The shorter set is padded with
// zeros (the spectrum of the zero-padded operator); for equal sizes the
// optimal plan is a permutation (Birkhoff), so it is one assignment problem,
// (1/n)·min over π of Σ_i |λ_i − μ_π(i)|².
func wasserstein(ea, eb []complex128) (float64, error) {
	n := max(len(ea), len(eb))
	at := func(e []complex128, i int) complex128 {
		if i < len(e) {
			return e[i]
		}
		return 0
	}
	cost := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d := at(ea, i) - at(eb, j)
			cost[i*n+j] = float64(real(d)*real(d)) + float64(imag(d)*imag(d))
		}
	}
	_, total, err := lap.Solve(cost, n, n, false)
	if err != nil {
		return 0, fmt.Errorf("dsa: wasserstein: %w", err)
	}
	return total / float64(n), nil
}
