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
}

var (
	ops32 = &ops[float32]{matMul: kernels.MatMul, matMulTN: kernels.MatMulTN, tanh: kernels.Tanh}
	ops64 = &ops[float64]{matMul: matMul64, matMulTN: matMulTN64, tanh: tanhVec64}
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

// transpose writes the cols×rows transpose of the rows×cols matrix src.
func transpose[F float](dst, src []F, rows, cols int) {
	for i := 0; i < rows; i++ {
		for j, v := range src[i*cols : i*cols+cols] {
			dst[j*rows+i] = v
		}
	}
}

// colSum sets dst[j] = Σᵢ src[i,j], summing rows in order.
func colSum[F float](dst, src []F, rows, cols int) {
	clear(dst[:cols])
	for i := 0; i < rows; i++ {
		for j, v := range src[i*cols : i*cols+cols] {
			dst[j] += v
		}
	}
}

// scale multiplies x by s in place.
func scale[F float](x []F, s F) {
	for i := range x {
		x[i] *= s
	}
}
