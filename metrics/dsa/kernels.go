package dsa

// Small dense kernels on n×n row-major slices for the optimiser's inner
// loop. Every product is rounded before it is added (float64(x*y) + z), so
// no target fuses it into an FMA, and every sum runs in index order: the
// same bits on every machine.

// mul sets d = a·b.
func mul(d, a, b []float64, n int) {
	for i := 0; i < n; i++ {
		di := d[i*n : i*n+n]
		clear(di)
		for k, aik := range a[i*n : i*n+n] {
			axpy(aik, b[k*n:k*n+n], di)
		}
	}
}

// mulBT sets d = a·bᵀ.
func mulBT(d, a, b []float64, n int) {
	for i := 0; i < n; i++ {
		ai := a[i*n : i*n+n]
		di := d[i*n : i*n+n]
		for j := range di {
			di[j] = dot(ai, b[j*n:j*n+n])
		}
	}
}

// mulAT sets d = aᵀ·b.
func mulAT(d, a, b []float64, n int) {
	clear(d[:n*n])
	for k := 0; k < n; k++ {
		bk := b[k*n : k*n+n]
		for i, aki := range a[k*n : k*n+n] {
			axpy(aki, bk, d[i*n:i*n+n])
		}
	}
}

// axpy sets y += alpha·x, four lanes at a time.
func axpy(alpha float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0] += float64(alpha * xs[0])
		ys[1] += float64(alpha * xs[1])
		ys[2] += float64(alpha * xs[2])
		ys[3] += float64(alpha * xs[3])
	}
	for ; i < len(x); i++ {
		y[i] += float64(alpha * x[i])
	}
}

// dot is Σ x_i y_i in four interleaved partial sums, added in a fixed order.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 += float64(xs[0] * ys[0])
		s1 += float64(xs[1] * ys[1])
		s2 += float64(xs[2] * ys[2])
		s3 += float64(xs[3] * ys[3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i] * y[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// frob2 is ‖x‖²_F.
func frob2(x []float64) float64 { return dot(x, x) }

func identity(d []float64, n int) {
	clear(d[:n*n])
	for i := 0; i < n; i++ {
		d[i*n+i] = 1
	}
}

// luSolve overwrites b (n×n, n right-hand sides as columns) with m⁻¹b, and m
// with its LU factors, by Gaussian elimination with partial pivoting; the
// first of equal pivots wins.
func luSolve(m, b []float64, n int) {
	for k := 0; k < n; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if abs(m[i*n+k]) > abs(m[p*n+k]) {
				p = i
			}
		}
		if p != k {
			swapRows(m, n, k, p)
			swapRows(b, n, k, p)
		}
		inv := 1 / m[k*n+k]
		mk := m[k*n+k+1 : k*n+n]
		bk := b[k*n : k*n+n]
		for i := k + 1; i < n; i++ {
			l := -m[i*n+k] * inv
			axpy(l, mk, m[i*n+k+1:i*n+n])
			axpy(l, bk, b[i*n:i*n+n])
		}
	}
	for k := n - 1; k >= 0; k-- {
		bk := b[k*n : k*n+n]
		for i := k + 1; i < n; i++ {
			axpy(-m[k*n+i], b[i*n:i*n+n], bk)
		}
		inv := 1 / m[k*n+k]
		for j := range bk {
			bk[j] *= inv
		}
	}
}

func swapRows(m []float64, n, i, j int) {
	ri, rj := m[i*n:i*n+n], m[j*n:j*n+n]
	for k := range ri {
		ri[k], rj[k] = rj[k], ri[k]
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
