// Package dense holds the metrics' float64 kernels on row-major slices.
// Two families, each with bits fixed by its definition:
//
//   - MulABt, Dot, Transpose, GramFrob2: portable Go; sums in index order,
//     every product rounded before it is added (the explicit float64
//     conversion), so the compiler cannot fuse them into FMAs.
//   - Gemm, Ger, DotFMA, AxpyFMA, Axpy2FMA, SymRow (fma.go): chains of fused
//     multiply-adds in a stated order, run by AVX-512 or AVX2 assembly where
//     the CPU has it and by math.FMA loops elsewhere; the same bits on every
//     path. DEGEN_KERNELS=portable or =avx2 (as for rnn/kernels) forces a
//     slower path.
//
// Neither depends on GOARCH or GOAMD64.
package dense

// MulABt sets dst (r×c) = x·yᵀ for x r×k and y c×k. Blocking 2×2 reuses
// each load twice (2×4 and a non-inlined block measured slower); every
// element still sums its k products in index order, so the blocking does
// not change the bits.
func MulABt(dst, x, y []float64, r, c, k int) {
	i := 0
	for ; i+1 < r; i += 2 {
		x0, x1 := x[i*k:(i+1)*k], x[(i+1)*k:(i+2)*k]
		j := 0
		for ; j+1 < c; j += 2 {
			y0, y1 := y[j*k:(j+1)*k], y[(j+1)*k:(j+2)*k]
			var s00, s01, s10, s11 float64
			for t := range x0 {
				a, b := x0[t], x1[t]
				u, v := y0[t], y1[t]
				s00 += float64(a * u)
				s01 += float64(a * v)
				s10 += float64(b * u)
				s11 += float64(b * v)
			}
			dst[i*c+j], dst[i*c+j+1] = s00, s01
			dst[(i+1)*c+j], dst[(i+1)*c+j+1] = s10, s11
		}
		if j < c {
			dst[i*c+j] = Dot(x0, y[j*k:(j+1)*k])
			dst[(i+1)*c+j] = Dot(x1, y[j*k:(j+1)*k])
		}
	}
	if i < r {
		for j := 0; j < c; j++ {
			dst[i*c+j] = Dot(x[i*k:(i+1)*k], y[j*k:(j+1)*k])
		}
	}
}

// Dot is Σ x[t]·y[t] in index order; y must be at least as long as x.
func Dot(x, y []float64) float64 {
	var s float64
	y = y[:len(x)]
	for t, a := range x {
		s += float64(a * y[t])
	}
	return s
}

// Transpose returns the transpose of the n×n matrix x.
func Transpose(x []float64, n int) []float64 {
	t := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			t[j*n+i] = x[i*n+j]
		}
	}
	return t
}

// GramFrob2 returns ‖x xᵀ‖²_F for x r×k, computing only the blocks on and
// above the diagonal of the symmetric r×r Gram matrix (half the work of
// MulABt). Each entry is a dot product in index order.
func GramFrob2(x []float64, r, k int) float64 {
	var diag, off float64
	i := 0
	for ; i+1 < r; i += 2 {
		x0, x1 := x[i*k:(i+1)*k], x[(i+1)*k:(i+2)*k]
		a, b, d := Dot(x0, x0), Dot(x0, x1), Dot(x1, x1)
		diag += float64(a*a) + float64(d*d)
		off += float64(b * b)
		for j := i + 2; j < r; j++ {
			y := x[j*k : (j+1)*k]
			var s0, s1 float64
			for t, v := range y {
				s0 += float64(x0[t] * v)
				s1 += float64(x1[t] * v)
			}
			off += float64(s0*s0) + float64(s1*s1)
		}
	}
	if i < r {
		x0 := x[i*k : (i+1)*k]
		a := Dot(x0, x0)
		diag += float64(a * a)
	}
	return diag + 2*off
}
