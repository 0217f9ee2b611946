package weights

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Start names the candidate permutation that 2-opt refined into the result.
const (
	StartBarycenter = "faq_barycenter" // FAQ from J = 11ᵀ/n
	StartGiven      = "faq_start"      // FAQ from the caller's permutation
	StartRaw        = "start"          // the caller's permutation itself
	StartRestart    = "faq_restart"    // FAQ from a seeded random start
	StartIdentity   = "identity"       // no relabelling
)

// Result is one d_PIF comparison.
type Result struct {
	D        float64 // d_PIF = ‖W₁ − W₂[Perm][:,Perm]‖_F
	DNorm    float64 // D / n²
	Identity float64 // ‖W₁ − W₂‖_F, an upper bound on D
	Perm     []int   // Perm[i]: the unit of W₂ matched to unit i of W₁
	Start    string  // which candidate won (Start* constants)
	FAQIters int     // FAQ iterations summed over all runs
	Swaps    int     // improving 2-opt swaps applied
}

// PIF computes d_PIF between the square recurrent matrices w1 and w2 (SPEC
// §4). start, if not nil, is a second FAQ start (normally ActivityMatch's
// permutation); it must be a permutation of 0..n-1.
//
// Candidates, in order: FAQ from the barycenter; FAQ from start and start
// itself; FAQ from p.Restarts seeded random starts; the identity. With
// p.TwoOpt each FAQ result is refined by 2-opt before the comparison (SPEC
// says refine the better one; refining each costs little, since FAQ ends
// near a 2-opt optimum, and finds the optimum more often). The closest wins,
// ties going to the earlier candidate. A fallback (start, identity) is
// refined only if it wins: 2-opt from far away costs O(n) passes of O(n³),
// about a third of the time at n = 128, for gains seen only at small n.
// Including the identity makes D ≤ Identity a guarantee.
func PIF(w1, w2 mat.Matrix, start []int, p Params) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	a, b, n, err := flatten(w1, w2)
	if err != nil {
		return Result{}, err
	}
	if start != nil {
		if err := checkPerm(start, n); err != nil {
			return Result{}, fmt.Errorf("pif: start: %w", err)
		}
	}
	res := Result{Identity: distance(a, b, identity(n)), Perm: identity(n), Start: StartIdentity}
	if n == 0 {
		return res, nil
	}
	pr := newProblem(a, b, n)
	cands, iters, err := pr.candidates(start, p)
	if err != nil {
		return Result{}, err
	}
	res.D, res.FAQIters = math.Inf(1), iters
	var best candidate
	for _, c := range cands {
		perm := c.perm
		if p.TwoOpt && c.faq {
			perm = pr.refine(perm, &res.Swaps)
		}
		if d := distance(a, b, perm); d < res.D {
			res.D, res.Perm, res.Start, best = d, perm, c.name, c
		}
	}
	if p.TwoOpt && !best.faq {
		res.Perm = pr.refine(res.Perm, &res.Swaps)
		res.D = distance(a, b, res.Perm)
	}
	res.DNorm = res.D / float64(n*n)
	return res, nil
}

// refine runs 2-opt from perm, counting swaps into *swaps.
func (pr *problem) refine(perm []int, swaps *int) []int {
	s := newSwapper(pr, perm)
	*swaps += s.twoOpt()
	return s.perm
}

type candidate struct {
	name string
	perm []int
	faq  bool // an FAQ result, as opposed to a fallback
}

// candidates lists the permutations PIF compares, without duplicates, and
// the FAQ iterations spent.
func (pr *problem) candidates(start []int, p Params) ([]candidate, int, error) {
	var out []candidate
	total := 0
	add := func(name string, perm []int, faq bool) {
		for _, c := range out {
			if slices.Equal(c.perm, perm) {
				return
			}
		}
		out = append(out, candidate{name, perm, faq})
	}
	run := func(name string, pm, g []float64) error {
		perm, iters, err := pr.faq(pm, g, p.MaxIter, p.Tol)
		total += iters
		if err != nil {
			return fmt.Errorf("pif: faq from %s: %w", name, err)
		}
		add(name, perm, true)
		return nil
	}
	bp, bg := pr.barycenterStart()
	if err := run(StartBarycenter, bp, bg); err != nil {
		return nil, 0, err
	}
	if start != nil {
		pm, g := pr.permStart(start)
		if err := run(StartGiven, pm, g); err != nil {
			return nil, 0, err
		}
		add(StartRaw, slices.Clone(start), false)
	}
	for r := 0; r < p.Restarts; r++ {
		pm, g := pr.randomStart(r)
		if err := run(StartRestart, pm, g); err != nil {
			return nil, 0, err
		}
	}
	add(StartIdentity, identity(pr.n), false)
	return out, total, nil
}

// flatten copies two square, equal-sized, finite matrices to row-major slices.
func flatten(w1, w2 mat.Matrix) ([]float64, []float64, int, error) {
	r1, c1 := w1.Dims()
	r2, c2 := w2.Dims()
	if r1 != c1 || r2 != c2 || r1 != r2 {
		return nil, nil, 0, fmt.Errorf("pif: W₁ is %d×%d and W₂ is %d×%d, want equal square matrices", r1, c1, r2, c2)
	}
	a, err := flat(w1)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("pif: W₁: %w", err)
	}
	b, err := flat(w2)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("pif: W₂: %w", err)
	}
	return a, b, r1, nil
}

func flat(m mat.Matrix) ([]float64, error) {
	r, c := m.Dims()
	x := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := m.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("entry (%d,%d) is %v", i, j, v)
			}
			x = append(x, v)
		}
	}
	return x, nil
}

func checkPerm(perm []int, n int) error {
	if len(perm) != n {
		return fmt.Errorf("length %d, want %d", len(perm), n)
	}
	seen := make([]bool, n)
	for i, j := range perm {
		if j < 0 || j >= n || seen[j] {
			return fmt.Errorf("entry %d = %d is not a permutation of 0..%d", i, j, n-1)
		}
		seen[j] = true
	}
	return nil
}

func identity(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}
