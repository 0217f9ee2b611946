package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// MDS embeds the n×n distance matrix d in k dimensions by classical
// (Torgerson) scaling. It returns the n×k coordinates and the top k
// eigenvalues of B = −½ J D⁽²⁾ J in descending order; a dimension whose
// eigenvalue is not positive gets zero coordinates. d must be symmetric
// with a zero diagonal and finite entries.
func MDS(d mat.Symmetric, k int) (*mat.Dense, []float64, error) {
	n := d.SymmetricDim()
	if k < 1 || k > n {
		return nil, nil, fmt.Errorf("mds: k = %d, want 1..%d", k, n)
	}
	b, err := doubleCentre(d)
	if err != nil {
		return nil, nil, err
	}
	var es mat.EigenSym
	if !es.Factorize(b, true) {
		return nil, nil, errors.New("mds: eigendecomposition did not converge")
	}
	vals := es.Values(nil) // ascending
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	x := mat.NewDense(n, k, nil)
	top := make([]float64, k)
	for c := 0; c < k; c++ {
		col := n - 1 - c
		top[c] = vals[col]
		if vals[col] <= 0 {
			continue
		}
		v := mat.Col(nil, col, &vecs)
		fixSign(v)
		s := math.Sqrt(vals[col])
		for i := range v {
			x.Set(i, c, v[i]*s)
		}
	}
	return x, top, nil
}

// doubleCentre returns −½ J D⁽²⁾ J, computed as
// −½ (d²_ij − rowmean_i − rowmean_j + grandmean).
func doubleCentre(d mat.Symmetric) (*mat.SymDense, error) {
	n := d.SymmetricDim()
	sq := make([]float64, n*n)
	row := make([]float64, n)
	var grand float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := d.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("mds: d(%d,%d) = %v", i, j, v)
			}
			sq[i*n+j] = float64(v * v)
			row[i] += sq[i*n+j]
		}
		row[i] /= float64(n)
		grand += row[i]
	}
	grand /= float64(n)
	b := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			b.SetSym(i, j, -0.5*(sq[i*n+j]-row[i]-row[j]+grand))
		}
	}
	return b, nil
}

// fixSign flips v so that its largest-magnitude entry (the first on ties)
// is positive: eigenvectors are defined only up to sign.
func fixSign(v []float64) {
	best := 0
	for i, x := range v {
		if math.Abs(x) > math.Abs(v[best]) {
			best = i
		}
	}
	if v[best] < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
}
