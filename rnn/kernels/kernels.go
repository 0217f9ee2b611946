package kernels

// MatMul sets C[m×n] = A[m×k]·B[k×n] (acc=false) or adds to C (acc=true).
// Row-major, contiguous. Each C[i,j] is the FMA chain over p = 0..k−1 of
// A[i,p]·B[p,j], starting from C[i,j] (acc) or +0. C must not overlap A or B.
func MatMul(c, a, b []float32, m, k, n int, acc bool) {
	checkDims(len(c), m*n, len(a), m*k, len(b), k*n)
	cur.gemm(c, a, b, m, k, n, acc, false)
}

// MatMulTN sets C[m×n] = Aᵀ·B (or adds) where A is stored k×m and B k×n:
// the weight-gradient product over all time steps and trials. Each C[i,j]
// is the FMA chain over p = 0..k−1 of A[p,i]·B[p,j].
func MatMulTN(c, a, b []float32, m, k, n int, acc bool) {
	checkDims(len(c), m*n, len(a), k*m, len(b), k*n)
	cur.gemm(c, a, b, m, k, n, acc, true)
}

// Tanh sets dst[i] = tanh32(src[i]); see tanh32 for the exact operations and
// their error. dst and src may be the same slice.
func Tanh(dst, src []float32) {
	checkLen(len(dst), len(src))
	cur.tanh(dst, src, nil)
}

// AddBiasTanh sets z[r,j] = tanh32(z[r,j] + bias[j]) for the rows×n matrix z,
// the sum rounded to float32 first.
func AddBiasTanh(z, bias []float32, rows, n int) {
	checkDims(len(z), rows*n, len(bias), n, 0, 0)
	for r := 0; r < rows; r++ {
		row := z[r*n : r*n+n]
		cur.tanh(row, row, bias[:n])
	}
}

// TanhBackward sets dst[i] = dy[i]·(1 − y[i]²), the gradient through
// y = tanh(x), computed as dy[i]·Fma32(−y[i], y[i], 1) (two roundings).
// dst may alias dy or y.
func TanhBackward(dst, dy, y []float32) {
	checkLen(len(dst), len(dy))
	checkLen(len(dst), len(y))
	cur.tanhBackward(dst, dy, y)
}

// Path names the implementation in use: "avx512", "avx2" or "portable".
// Results do not depend on it; the pipeline records it as provenance.
func Path() string { return cur.name }

func checkDims(lc, wc, la, wa, lb, wb int) {
	if lc < wc || la < wa || lb < wb {
		panic("kernels: slice shorter than its dimensions")
	}
}

func checkLen(got, want int) {
	if got < want || want < got {
		panic("kernels: slice lengths differ")
	}
}
