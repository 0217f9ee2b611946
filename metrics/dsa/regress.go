package dsa

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"degen/metrics/internal/dense"

	"gonum.org/v1/gonum/mat"
)

// regress fits A = ((XᵀX+λI)⁻¹XᵀY)ᵀ where X holds each trial's rows of v
// (rows×r) but its last and Y the same rows one step later, so no pair
// crosses a trial boundary. λ = 0 solves the least squares by Householder
// QR rather than forming the normal equations.
func regress(v []float64, r int, rows []int, lambda float64) (*mat.Dense, error) {
	pairs := 0
	for _, n := range rows {
		pairs += max(n-1, 0)
	}
	if pairs < r {
		return nil, fmt.Errorf("dsa: %d regression pairs for rank %d: need at least as many pairs as the rank", pairs, r)
	}
	// Columns of X and Y, each contiguous: the QR works on columns.
	xt, yt := make([][]float64, r), make([][]float64, r)
	for j := range r {
		xt[j], yt[j] = make([]float64, pairs), make([]float64, pairs)
	}
	at, row := 0, 0
	for _, n := range rows {
		for i := 0; i+1 < n; i++ {
			for j := range r {
				xt[j][row] = v[(at+i)*r+j]
				yt[j][row] = v[(at+i+1)*r+j]
			}
			row++
		}
		at += n
	}
	var a []float64
	var err error
	if lambda == 0 {
		a, err = leastSquares(xt, yt)
	} else {
		a, err = ridge(xt, yt, lambda)
	}
	if err != nil {
		return nil, err
	}
	return mat.NewDense(r, r, a), nil
}

// leastSquares returns the r×r matrix whose row c solves min ‖X b − y_c‖
// for column c of Y, by Householder QR of X (columns xt, overwritten, as
// is yt).
func leastSquares(xt, yt [][]float64) ([]float64, error) {
	r := len(xt)
	for j := range r {
		v, tau, beta := householder(xt[j][j:])
		xt[j][j] = beta
		if beta == 0 {
			return nil, errors.New("dsa: least squares: the regressors are linearly dependent")
		}
		reflect := func(col []float64) {
			if tau != 0 {
				dense.AxpyFMA(-tau*dense.DotFMA(v, col), v, col)
			}
		}
		for c := j + 1; c < r; c++ {
			reflect(xt[c][j:])
		}
		for _, y := range yt {
			reflect(y[j:])
		}
	}
	a := make([]float64, r*r)
	for c, y := range yt {
		b := a[c*r : c*r+r]
		for j := r - 1; j >= 0; j-- {
			s := y[j]
			for q := j + 1; q < r; q++ {
				s = math.FMA(-xt[q][j], b[q], s)
			}
			b[j] = s / xt[j][j]
		}
	}
	return a, nil
}

// ridge returns the r×r matrix whose row c solves (XᵀX+λI) b = Xᵀy_c, by
// Cholesky factorisation.
func ridge(xt, yt [][]float64, lambda float64) ([]float64, error) {
	r := len(xt)
	l := make([]float64, r*r) // XᵀX + λI, then its Cholesky factor (lower)
	for i := range r {
		for j := 0; j <= i; j++ {
			l[i*r+j] = dense.DotFMA(xt[i], xt[j])
		}
		l[i*r+i] += lambda
	}
	for j := range r {
		d := l[j*r+j] - dense.DotFMA(l[j*r:j*r+j], l[j*r:j*r+j])
		if !(d > 0) {
			return nil, errors.New("dsa: XᵀX+λI is not positive definite")
		}
		d = math.Sqrt(d)
		l[j*r+j] = d
		for i := j + 1; i < r; i++ {
			l[i*r+j] = (l[i*r+j] - dense.DotFMA(l[i*r:i*r+j], l[j*r:j*r+j])) / d
		}
	}
	a := make([]float64, r*r)
	for c, y := range yt {
		b := a[c*r : c*r+r]
		for i := range r {
			s := dense.DotFMA(xt[i], y)
			for q := 0; q < i; q++ {
				s = math.FMA(-l[i*r+q], b[q], s)
			}
			b[i] = s / l[i*r+i]
		}
		for i := r - 1; i >= 0; i-- {
			s := b[i]
			for q := i + 1; q < r; q++ {
				s = math.FMA(-l[q*r+i], b[q], s)
			}
			b[i] = s / l[i*r+i]
		}
	}
	return a, nil
}

// eigenvalues returns A's spectrum in a fixed order, so the stored model does
// not depend on the eigensolver's output order.
func eigenvalues(a *mat.Dense) ([]complex128, error) {
	n, _ := a.Dims()
	raw := make([]float64, n*n)
	for i := range n {
		for j := range n {
			raw[i*n+j] = a.At(i, j)
		}
	}
	vals, ok := realEigenvalues(raw, n)
	if !ok {
		return nil, errors.New("dsa: eigenvalues of the operator did not converge")
	}
	slices.SortFunc(vals, func(x, y complex128) int {
		if c := cmp.Compare(real(y), real(x)); c != 0 {
			return c
		}
		return cmp.Compare(imag(y), imag(x))
	})
	return vals, nil
}
