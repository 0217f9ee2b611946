package dsa

import (
	"errors"
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// A Model is one network's DSA fit, computed once and compared many times.
type Model struct {
	A    *mat.Dense   // Rank×Rank operator, v(t+1) ≈ A v(t)
	Eig  []complex128 // eigenvalues of A, by real part then imaginary part, descending
	Rank int          // kept columns of V
	S    []float64    // the kept singular values of the Hankel matrix, descending
}

// Fit delay-embeds the trials, keeps the leading columns of the Hankel
// matrix's left singular vectors and fits the operator by ridge regression
// within trials. Only p's fit fields (FitParams) are read.
func Fit(data Trials, p Params) (*Model, error) {
	if err := p.validateFit(); err != nil {
		return nil, fmt.Errorf("dsa: %w", err)
	}
	if err := data.checkFinite(); err != nil {
		return nil, err
	}
	v, rows, s, err := whitened(data, p)
	if err != nil {
		return nil, err
	}
	a, err := regress(v, len(s), rows, p.Lambda)
	if err != nil {
		return nil, err
	}
	spec, err := eigenvalues(a)
	if err != nil {
		return nil, err
	}
	return &Model{A: a, Eig: spec, Rank: len(s), S: s}, nil
}

// whitened returns the kept columns of V (the whitened delay coordinates,
// rows×r row-major), each trial's row count, and the kept singular values.
func whitened(data Trials, p Params) (v []float64, rows []int, kept []float64, err error) {
	rows, err = embedRows(data, p.NDelays, p.DelayInterval)
	if err != nil {
		return nil, nil, nil, err
	}
	c := data.N * p.NDelays
	eig, err := reduceSym(hankelGram(data, p.NDelays, p.DelayInterval), c, topNeeded(p, c))
	if err != nil {
		return nil, nil, nil, err
	}
	s := singularValues(eig.values)
	if s[0] == 0 {
		return nil, nil, nil, errors.New("dsa: the trajectories are all zero")
	}
	r := min(selectRank(s, p), numericalRank(s))
	v = leftVectors(data, p.NDelays, p.DelayInterval, rows, eig.vectors(r), s, r)
	return v, rows, slices.Clone(s[:r]), nil
}

// topNeeded is how many of the c Gram eigenvalues the rank selection
// reads: only the first Rank when a rank is given and is a small part of
// c (bisection finds those faster than QL finds all), else all (0).
func topNeeded(p Params, c int) int {
	if p.Rank > 0 && 8*p.Rank <= c {
		return p.Rank
	}
	return 0
}

// NewModel wraps an operator fitted elsewhere (or read back from a table):
// it computes the spectrum, and S is left nil.
func NewModel(a *mat.Dense) (*Model, error) {
	r, c := a.Dims()
	if r != c || r == 0 {
		return nil, fmt.Errorf("dsa: operator is %d×%d, want a non-empty square matrix", r, c)
	}
	eig, err := eigenvalues(a)
	if err != nil {
		return nil, err
	}
	return &Model{A: a, Eig: eig, Rank: r}, nil
}

// selectRank applies the one rank selector that is set (full rank when none
// is), before the cap at the resolvable rank.
func selectRank(s []float64, p Params) int {
	switch {
	case p.Rank > 0:
		return min(p.Rank, len(s))
	case p.RankThresh > 0:
		k := 0
		for _, x := range s {
			if x > p.RankThresh {
				k++
			}
		}
		return max(k, 1)
	case p.RankExplainedVariance > 0:
		return explainedRank(s, p.RankExplainedVariance)
	}
	return len(s)
}

// explainedRank is the smallest k with Σ_{i<k} s_i² ≥ q·Σ s_i² (the current
// reference's searchsorted rule; the 2023 code kept one fewer).
func explainedRank(s []float64, q float64) int {
	total := 0.0
	for _, x := range s {
		total += float64(x * x)
	}
	cum := 0.0
	for k, x := range s {
		cum += float64(x * x)
		if cum/total >= q {
			return k + 1
		}
	}
	return len(s)
}
