package rnn

import (
	"math"

	"degen/rnn/kernels"
)

// float is the element type a network is instantiated with.
type float interface{ ~float32 | ~float64 }

// ops are the few kernels the formulas need, per element type. Everything
// else is plain Go arithmetic with explicit rounding.
type ops[F float] struct {
	matMul   func(c, a, b []F, m, k, n int, acc bool) // C (+)= A·B
	matMulTN func(c, a, b []F, m, k, n int, acc bool) // C (+)= Aᵀ·B, A stored k×m
	tanh     func(dst, src []F)
	// addBiasTanh sets z[r,j] = tanh(z[r,j] + bias[j]), the sum rounded first.
	addBiasTanh func(z, bias []F, rows, n int)
	// tanhBackward sets dst = dy·fma(−y, y, 1): the gradient through y = tanh(x).
	tanhBackward func(dst, dy, y []F)
}

var (
	ops32 = &ops[float32]{matMul: kernels.MatMul, matMulTN: kernels.MatMulTN, tanh: kernels.Tanh,
		addBiasTanh: kernels.AddBiasTanh, tanhBackward: kernels.TanhBackward}
	ops64 = &ops[float64]{matMul: matMul64, matMulTN: matMulTN64, tanh: tanhVec64,
		addBiasTanh: addBiasTanh64, tanhBackward: tanhBackward64}
)

// matMul64 follows kernels.MatMul's contract (one FMA chain per element, in
// order of the inner index) in float64.
func matMul64(c, a, b []float64, m, k, n int, acc bool) {
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		if !acc {
			clear(ci)
		}
		for p, av := range a[i*k : i*k+k] {
			bp := b[p*n : p*n+n]
			for j := range ci {
				ci[j] = math.FMA(av, bp[j], ci[j])
			}
		}
	}
}

// matMulTN64 follows kernels.MatMulTN's contract in float64.
func matMulTN64(c, a, b []float64, m, k, n int, acc bool) {
	if !acc {
		clear(c[:m*n])
	}
	for p := 0; p < k; p++ {
		ap := a[p*m : p*m+m]
		bp := b[p*n : p*n+n]
		for i, av := range ap {
			ci := c[i*n : i*n+n]
			for j := range ci {
				ci[j] = math.FMA(av, bp[j], ci[j])
			}
		}
	}
}

func addBiasTanh64(z, bias []float64, rows, n int) {
	for r := 0; r < rows; r++ {
		row := z[r*n : r*n+n]
		for j, b := range bias[:n] {
			row[j] = tanh64(row[j] + b)
		}
	}
}

func tanhBackward64(dst, dy, y []float64) {
	for i, d := range dy[:len(dst)] {
		dst[i] = d * math.FMA(-y[i], y[i], 1)
	}
}

// transpose writes the cols×rows transpose of the rows×cols matrix src.
func transpose[F float](dst, src []F, rows, cols int) {
	for i := 0; i < rows; i++ {
		for j, v := range src[i*cols : i*cols+cols] {
			dst[j*rows+i] = v
		}
	}
}

// colSum sets dst[j] = Σᵢ src[i,j], summing rows in order, as the product
// srcᵀ·1: fma(x, 1, acc) is the rounded x + acc, so this is the plain
// in-order sum, on the vectorized kernel. ones has at least rows entries of 1.
func (o *ops[F]) colSum(dst, src, ones []F, rows, cols int) {
	o.matMulTN(dst, src, ones, cols, rows, 1, false)
}

// scale multiplies x by s in place.
func scale[F float](x []F, s F) {
	for i := range x {
		x[i] *= s
	}
}
