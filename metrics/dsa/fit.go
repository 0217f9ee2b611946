package dsa

import (
	"cmp"
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
	a, err := regress(v, rows, p.Lambda)
	if err != nil {
		return nil, err
	}
	spec, err := eigenvalues(a)
	if err != nil {
		return nil, err
	}
	return &Model{A: a, Eig: spec, Rank: len(s), S: s}, nil
}

// whitened returns the kept columns of V (the whitened delay coordinates),
// each trial's row count, and the kept singular values.
func whitened(data Trials, p Params) (v *mat.Dense, rows []int, kept []float64, err error) {
	h, rows, err := Embed(data, p.NDelays, p.DelayInterval)
	if err != nil {
		return nil, nil, nil, err
	}
	c := data.N * p.NDelays
	eig, err := newSymEigen(hankelGram(data, p.NDelays, p.DelayInterval), c)
	if err != nil {
		return nil, nil, nil, err
	}
	s := singularValues(eig.values)
	if s[0] == 0 {
		return nil, nil, nil, errors.New("dsa: the trajectories are all zero")
	}
	r := min(selectRank(s, p), numericalRank(s))
	v = leftVectors(h, mat.NewDense(c, r, eig.vectors(r)), s, r)
	return v, rows, slices.Clone(s[:r]), nil
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
		total += x * x
	}
	cum := 0.0
	for k, x := range s {
		cum += x * x
		if cum/total >= q {
			return k + 1
		}
	}
	return len(s)
}

// regress fits A = ((XᵀX+λI)⁻¹XᵀY)ᵀ where X holds each trial's rows of v
// but its last and Y the same rows one step later, so no pair crosses a
// trial boundary. λ = 0 solves the least squares by QR rather than forming
// the normal equations.
func regress(v *mat.Dense, rows []int, lambda float64) (*mat.Dense, error) {
	_, r := v.Dims()
	pairs := 0
	for _, n := range rows {
		pairs += max(n-1, 0)
	}
	if pairs < r {
		return nil, fmt.Errorf("dsa: %d regression pairs for rank %d: need at least as many pairs as the rank", pairs, r)
	}
	x := mat.NewDense(pairs, r, nil)
	y := mat.NewDense(pairs, r, nil)
	at, row := 0, 0
	for _, n := range rows {
		for i := 0; i+1 < n; i++ {
			x.SetRow(row, v.RawRowView(at+i))
			y.SetRow(row, v.RawRowView(at+i+1))
			row++
		}
		at += n
	}
	var b mat.Dense
	if lambda == 0 {
		var qr mat.QR
		qr.Factorize(x)
		if err := qr.SolveTo(&b, false, y); err != nil {
			return nil, fmt.Errorf("dsa: least squares: %w", err)
		}
	} else {
		if err := ridge(&b, x, y, lambda); err != nil {
			return nil, err
		}
	}
	a := mat.NewDense(r, r, nil)
	a.Copy(b.T())
	return a, nil
}

func ridge(b *mat.Dense, x, y *mat.Dense, lambda float64) error {
	_, r := x.Dims()
	var xtx, xty mat.Dense
	xtx.Mul(x.T(), x)
	xty.Mul(x.T(), y)
	sym := mat.NewSymDense(r, nil)
	for i := 0; i < r; i++ {
		for j := i; j < r; j++ {
			sym.SetSym(i, j, xtx.At(i, j))
		}
		sym.SetSym(i, i, xtx.At(i, i)+lambda)
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return errors.New("dsa: XᵀX+λI is not positive definite")
	}
	if err := ch.SolveTo(b, &xty); err != nil {
		return fmt.Errorf("dsa: ridge solve: %w", err)
	}
	return nil
}

// eigenvalues returns A's spectrum in a fixed order, so the stored model does
// not depend on the eigensolver's output order.
func eigenvalues(a mat.Matrix) ([]complex128, error) {
	var e mat.Eigen
	if !e.Factorize(a, mat.EigenNone) {
		return nil, errors.New("dsa: eigenvalues of the operator did not converge")
	}
	vals := e.Values(nil)
	slices.SortFunc(vals, func(x, y complex128) int {
		if c := cmp.Compare(real(y), real(x)); c != 0 {
			return c
		}
		return cmp.Compare(imag(y), imag(x))
	})
	return vals, nil
}
