package rnn

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// penalize adds the L1 and nuclear-norm penalties on the recurrent matrix to
// grad and returns their value: l1·Σ|w| + nuc·Σσᵢ(W). The L1 subgradient at
// w = 0 is 0 (as PyTorch's abs). The nuclear gradient is U·Vᵀ from a float64
// SVD (gonum); it is deterministic on one GOARCH, and its float32 rounding
// hides the last-bit differences gonum's assembly could give across them.
func penalize[F float](rec, grad []F, n int, l1, nuc float64, svd *mat.SVD) float64 {
	var pen float64
	if l1 > 0 {
		var s float64
		for i, v := range rec {
			s += math.Abs(float64(v))
			switch {
			case v > 0:
				grad[i] += F(l1)
			case v < 0:
				grad[i] -= F(l1)
			}
		}
		pen += l1 * s
	}
	if nuc > 0 {
		pen += nuc * nuclear(rec, grad, n, nuc, svd)
	}
	return pen
}

// nuclear adds nuc·U·Vᵀ to grad and returns Σσᵢ.
func nuclear[F float](rec, grad []F, n int, nuc float64, svd *mat.SVD) float64 {
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, float64(rec[i*n+j]))
		}
	}
	if !svd.Factorize(a, mat.SVDThin) {
		panic("rnn: SVD of the recurrent matrix did not converge")
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	var sum float64
	for _, s := range svd.Values(nil) {
		sum += s
	}
	ur, vr := u.RawMatrix(), v.RawMatrix()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var uv float64
			for k := 0; k < n; k++ {
				uv = math.FMA(ur.Data[i*ur.Stride+k], vr.Data[j*vr.Stride+k], uv)
			}
			grad[i*n+j] += F(nuc * uv)
		}
	}
	return sum
}
