package weights

// Dense kernels on row-major n×n (or n×m) float64 slices. Sums run in index
// order and every product is rounded before it is added (the explicit
// float64 conversion), so the compiler cannot fuse them into FMAs and the
// bits do not depend on GOARCH.

// mulABt sets dst (r×c) = x·yᵀ for x r×k and y c×k. Blocking 2×2 reuses
// each load twice (2×4 and a non-inlined block measured slower); every
// element still sums its k products in index order, so the blocking does
// not change the bits.
func mulABt(dst, x, y []float64, r, c, k int) {
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
			dst[i*c+j] = dot(x0, y[j*k:(j+1)*k])
			dst[(i+1)*c+j] = dot(x1, y[j*k:(j+1)*k])
		}
	}
	if i < r {
		for j := 0; j < c; j++ {
			dst[i*c+j] = dot(x[i*k:(i+1)*k], y[j*k:(j+1)*k])
		}
	}
}

func dot(x, y []float64) float64 {
	var s float64
	y = y[:len(x)]
	for t, a := range x {
		s += float64(a * y[t])
	}
	return s
}

func transpose(x []float64, n int) []float64 {
	t := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			t[j*n+i] = x[i*n+j]
		}
	}
	return t
}

// objective is f(perm) = Σ_ij a[i,j]·b[perm i, perm j].
func objective(a, b []float64, perm []int) float64 {
	n := len(perm)
	var f float64
	for i := 0; i < n; i++ {
		bi := b[perm[i]*n : (perm[i]+1)*n]
		ai := a[i*n : (i+1)*n]
		for j, pj := range perm {
			f += float64(ai[j] * bi[pj])
		}
	}
	return f
}

// distance is ‖a − b[perm][:,perm]‖_F, summed directly (not from f) so an
// exact match gives exactly 0.
func distance(a, b []float64, perm []int) float64 {
	n := len(perm)
	var s float64
	for i := 0; i < n; i++ {
		bi := b[perm[i]*n : (perm[i]+1)*n]
		ai := a[i*n : (i+1)*n]
		for j, pj := range perm {
			d := ai[j] - bi[pj]
			s += float64(d * d)
		}
	}
	return sqrt(s)
}
