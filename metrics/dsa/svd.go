package dsa

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// resolvable is the smallest σ_i/σ_1 kept. The singular values come from the
// eigenvalues of the Gram matrix HᵀH, which resolves σ_i only to about
// ε·σ_1²/σ_i; below 1e-6·σ_1 that error passes 1e-4 relative, so such
// directions are treated as exact zeros and never divided by.
const resolvable = 1e-6

// hankelSVD is the part of H = V S Uᵀ that a fit needs: all singular values
// (descending) and the right singular vectors U (columns, same order).
type hankelSVD struct {
	s []float64
	u *mat.Dense // (N·m) × (N·m)
}

// factorHankel computes H's singular values and right vectors through the
// eigendecomposition of the Gram matrix HᵀH: it is (N·m)² in size instead of
// the thin SVD's (K·T')×(N·m), and the left vectors of the kept columns
// follow as V = H U S⁻¹ (leftVectors).
func factorHankel(h *mat.Dense) (hankelSVD, error) {
	_, c := h.Dims()
	gram := mat.NewSymDense(c, nil)
	gramOf(gram, h)
	var es mat.EigenSym
	if !es.Factorize(gram, true) {
		return hankelSVD{}, errors.New("dsa: eigendecomposition of the Hankel Gram matrix did not converge")
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	// EigenSym is ascending; reverse to descending singular values.
	s := make([]float64, c)
	u := mat.NewDense(c, c, nil)
	for j := 0; j < c; j++ {
		src := c - 1 - j
		s[j] = math.Sqrt(math.Max(vals[src], 0))
		for i := 0; i < c; i++ {
			u.Set(i, j, vecs.At(i, src))
		}
	}
	return hankelSVD{s: s, u: u}, nil
}

// gramOf sets g = hᵀh, the symmetric product formed in one pass over h.
func gramOf(g *mat.SymDense, h *mat.Dense) {
	var full mat.Dense
	full.Mul(h.T(), h)
	_, c := h.Dims()
	for i := 0; i < c; i++ {
		for j := i; j < c; j++ {
			g.SetSym(i, j, full.At(i, j))
		}
	}
}

// numericalRank counts the singular values the Gram route resolves.
func numericalRank(s []float64) int {
	k := 0
	for k < len(s) && s[k] > resolvable*s[0] {
		k++
	}
	return k
}

// leftVectors returns the first r columns of V = H U S⁻¹, after fixing each
// right vector's sign so that its largest-magnitude entry (the first on a
// tie) is positive: the SVD leaves signs free, and the stored operator must
// have fixed bits.
func leftVectors(h *mat.Dense, f hankelSVD, r int) *mat.Dense {
	c := f.u.RawMatrix().Rows
	ur := mat.NewDense(c, r, nil)
	for j := 0; j < r; j++ {
		big, sign := 0.0, 1.0
		for i := 0; i < c; i++ {
			if x := f.u.At(i, j); math.Abs(x) > big {
				big, sign = math.Abs(x), math.Copysign(1, x)
			}
		}
		for i := 0; i < c; i++ {
			ur.Set(i, j, sign*f.u.At(i, j)/f.s[j])
		}
	}
	rows, _ := h.Dims()
	v := mat.NewDense(rows, r, nil)
	v.Mul(h, ur)
	return v
}
