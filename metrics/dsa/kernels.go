package dsa

// Small dense kernels on n×n row-major slices for the optimiser's inner
// loop. Every product is rounded before it is added (float64(x*y) + z), so
// no target fuses it into an FMA, and every sum runs in index order: the
// same bits on every machine.

// mul sets d = a·b (not in the inner loop: it allocates bᵀ).
func mul(d, a, b []float64, n int) {
	bt := make([]float64, n*n)
	transpose(bt, b, n)
	mulBT(d, a, bt, n)
}

// mulAT sets d = aᵀ·b (not in the inner loop: it allocates).
func mulAT(d, a, b []float64, n int) {
	at := make([]float64, n*n)
	bt := make([]float64, n*n)
	transpose(at, a, n)
	transpose(bt, b, n)
	mulBT(d, at, bt, n)
}

func transpose(d, a []float64, n int) {
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d[j*n+i] = a[i*n+j]
		}
	}
}

// mulBT sets d = a·bᵀ: every entry a dot product of two rows, computed two
// rows of a by two rows of b at a time so each loaded value is used twice.
func mulBT(d, a, b []float64, n int) {
	i := 0
	for ; i+2 <= n; i += 2 {
		a0, a1 := a[i*n:i*n+n], a[(i+1)*n:(i+1)*n+n]
		j := 0
		for ; j+2 <= n; j += 2 {
			s00, s01, s10, s11 := dot2x2(a0, a1, b[j*n:j*n+n], b[(j+1)*n:(j+1)*n+n])
			d[i*n+j], d[i*n+j+1] = s00, s01
			d[(i+1)*n+j], d[(i+1)*n+j+1] = s10, s11
		}
		for ; j < n; j++ {
			d[i*n+j] = dot(a0, b[j*n:j*n+n])
			d[(i+1)*n+j] = dot(a1, b[j*n:j*n+n])
		}
	}
	for ; i < n; i++ {
		for j := 0; j < n; j++ {
			d[i*n+j] = dot(a[i*n:i*n+n], b[j*n:j*n+n])
		}
	}
}

// dot2x2 returns the four dot products of a0, a1 with b0, b1.
func dot2x2(a0, a1, b0, b1 []float64) (s00, s01, s10, s11 float64) {
	a1, b0, b1 = a1[:len(a0)], b0[:len(a0)], b1[:len(a0)]
	for k, x0 := range a0 {
		x1, y0, y1 := a1[k], b0[k], b1[k]
		s00 += float64(x0 * y0)
		s01 += float64(x0 * y1)
		s10 += float64(x1 * y0)
		s11 += float64(x1 * y1)
	}
	return
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
