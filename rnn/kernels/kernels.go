package kernels

// MatMul sets C[m×n] = A[m×k]·B[k×n] (acc=false) or adds to C (acc=true).
// Row-major, contiguous. See matMulGo for the exact operation order.
func MatMul(c, a, b []float32, m, k, n int, acc bool) {
	checkDims(len(c), m*n, len(a), m*k, len(b), k*n)
	matMulGo(c, a, b, m, k, n, acc)
}

// MatMulTN sets C[m×n] = Aᵀ·B (or adds) where A is stored k×m and B k×n:
// the weight-gradient product over all time steps and trials.
func MatMulTN(c, a, b []float32, m, k, n int, acc bool) {
	checkDims(len(c), m*n, len(a), k*m, len(b), k*n)
	matMulTNGo(c, a, b, m, k, n, acc)
}

func checkDims(lc, wc, la, wa, lb, wb int) {
	if lc < wc || la < wa || lb < wb {
		panic("kernels: slice shorter than its dimensions")
	}
}
