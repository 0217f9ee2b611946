package stats

import (
	"fmt"
	"math"

	"degen/internal/linalg"

	"gonum.org/v1/gonum/mat"
)

// MDS embeds the n×n distance matrix d in k dimensions by classical
// (Torgerson) scaling. It returns the n×k coordinates and the top k
// eigenvalues of B = −½ J D⁽²⁾ J in descending order; a dimension whose
// eigenvalue is not positive gets zero coordinates. d must be symmetric
// with a zero diagonal and finite entries. The eigenpairs come from
// degen/internal/linalg (cyclic Jacobi, signs fixed as the package doc
// says), whose bits do not depend on the build.
func MDS(d mat.Symmetric, k int) (*mat.Dense, []float64, error) {
	n := d.SymmetricDim()
	if k < 1 || k > n {
		return nil, nil, fmt.Errorf("mds: k = %d, want 1..%d", k, n)
	}
	b, err := doubleCentre(d)
	if err != nil {
		return nil, nil, err
	}
	var es linalg.SymEigen
	if err := es.Factorize(b, n); err != nil {
		return nil, nil, fmt.Errorf("mds: eigendecomposition: %w", err)
	}
	vals, vecs := es.Values(), es.Vectors()
	x := mat.NewDense(n, k, nil)
	top := make([]float64, k)
	for c := 0; c < k; c++ {
		top[c] = vals[c]
		if vals[c] <= 0 {
			continue
		}
		s := math.Sqrt(vals[c])
		for i := 0; i < n; i++ {
			x.Set(i, c, vecs[i*n+c]*s)
		}
	}
	return x, top, nil
}

// doubleCentre returns −½ J D⁽²⁾ J (n×n row-major), computed as
// −½ (d²_ij − rowmean_i − rowmean_j + grandmean).
func doubleCentre(d mat.Symmetric) ([]float64, error) {
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
	b := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := -0.5 * (sq[i*n+j] - row[i] - row[j] + grand)
			b[i*n+j], b[j*n+i] = v, v
		}
	}
	return b, nil
}
