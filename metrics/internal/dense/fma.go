package dense

import "math"

// The FMA kernels below define their results exactly: every output is a
// chain of fused multiply-adds (one rounding each) in a stated order, so the
// assembly paths and the portable Go give the same bits, and so does any
// GOAMD64 level. They are the fast path of the DSA fit and comparison.

// Gemm sets (acc = false) or adds to (acc = true) the m×n block of dst with
// row stride ldc the product of a and b: element (i, j) is the chain
// s ← fma(a(i,p), b[p·ldb+j], s) for p = 0, 1, …, k−1, started from 0 or
// from dst's value, where a(i, p) = a[i·ar + p·ap]. The two strides of a
// let one kernel serve A·B (ar = lda, ap = 1) and Aᵀ·B (ar = 1, ap = lda).
func Gemm(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb int, m, n, k int, acc bool) {
	if m <= 0 || n <= 0 {
		return
	}
	_ = dst[(m-1)*ldc+n-1]
	if k > 0 {
		_ = a[(m-1)*ar+(k-1)*ap]
		_ = b[(k-1)*ldb+n-1]
	}
	cur.gemm(dst, ldc, a, ar, ap, b, ldb, m, n, k, acc)
}

func gemmGo(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb int, m, n, k int, acc bool) {
	// Small b (the comparison's 20×20 products): two rows by four columns
	// at a time, the eight chains in registers. Large b: row by row with p
	// outer, so b streams through the cache. Either way each element's
	// chain runs over p in order.
	if k*n > 4096 {
		gemmRows(dst, ldc, a, ar, ap, b, ldb, m, n, k, acc)
		return
	}
	i := 0
	for ; i+2 <= m; i += 2 {
		j := 0
		for ; j+4 <= n; j += 4 {
			gemm2x4(dst[i*ldc+j:], ldc, a[i*ar:], ar, ap, b[j:], ldb, k, acc)
		}
		for ; j < n; j++ {
			gemmCol(dst[i*ldc+j:], ldc, a[i*ar:], ar, ap, b[j:], ldb, 2, k, acc)
		}
	}
	for ; i < m; i++ {
		for j := 0; j < n; j++ {
			gemmCol(dst[i*ldc+j:], ldc, a[i*ar:], ar, ap, b[j:], ldb, 1, k, acc)
		}
	}
}

func gemmRows(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb int, m, n, k int, acc bool) {
	for i := 0; i < m; i++ {
		row := dst[i*ldc : i*ldc+n]
		if !acc {
			clear(row)
		}
		for p := 0; p < k; p++ {
			av, brow := a[i*ar+p*ap], b[p*ldb:p*ldb+n]
			for j, bv := range brow {
				row[j] = math.FMA(av, bv, row[j])
			}
		}
	}
}

func gemm2x4(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb, k int, acc bool) {
	var s0, s1, s2, s3, t0, t1, t2, t3 float64
	if acc {
		s0, s1, s2, s3 = dst[0], dst[1], dst[2], dst[3]
		t0, t1, t2, t3 = dst[ldc], dst[ldc+1], dst[ldc+2], dst[ldc+3]
	}
	for p := 0; p < k; p++ {
		x, y := a[p*ap], a[ar+p*ap]
		bp := b[p*ldb : p*ldb+4]
		s0 = math.FMA(x, bp[0], s0)
		s1 = math.FMA(x, bp[1], s1)
		s2 = math.FMA(x, bp[2], s2)
		s3 = math.FMA(x, bp[3], s3)
		t0 = math.FMA(y, bp[0], t0)
		t1 = math.FMA(y, bp[1], t1)
		t2 = math.FMA(y, bp[2], t2)
		t3 = math.FMA(y, bp[3], t3)
	}
	dst[0], dst[1], dst[2], dst[3] = s0, s1, s2, s3
	dst[ldc], dst[ldc+1], dst[ldc+2], dst[ldc+3] = t0, t1, t2, t3
}

// gemmCol computes rows consecutive elements of one column.
func gemmCol(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb, rows, k int, acc bool) {
	for r := 0; r < rows; r++ {
		var s float64
		if acc {
			s = dst[r*ldc]
		}
		for p := 0; p < k; p++ {
			s = math.FMA(a[r*ar+p*ap], b[p*ldb], s)
		}
		dst[r*ldc] = s
	}
}

// Ger adds the outer product of l and x to the m×n block of dst (row
// stride ldc): dst[i·ldc+j] = fma(l[i·ls], x[j], dst[i·ldc+j]), the same
// bits as Gemm with inner dimension 1, without its tiling overhead.
func Ger(dst []float64, ldc int, l []float64, ls int, x []float64, m, n int) {
	if m <= 0 || n <= 0 {
		return
	}
	_ = dst[(m-1)*ldc+n-1]
	_ = l[(m-1)*ls]
	_ = x[n-1]
	cur.ger(dst, ldc, l, ls, x, m, n)
}

func gerGo(dst []float64, ldc int, l []float64, ls int, x []float64, m, n int) {
	for i := 0; i < m; i++ {
		row, li := dst[i*ldc:i*ldc+n], l[i*ls]
		for j, v := range x[:n] {
			row[j] = math.FMA(li, v, row[j])
		}
	}
}

// dotLanes is the number of partial sums of DotFMA.
const dotLanes = 32

// DotFMA is Σ x[t]·y[t] as 32 interleaved FMA chains, lane l taking the t
// with t mod 32 = l in increasing t, combined by the fixed tree of
// reduceLanes. y must be at least as long as x.
func DotFMA(x, y []float64) float64 {
	y = y[:len(x)]
	return cur.dot(x, y)
}

func dotGo(x, y []float64) float64 {
	var s [dotLanes]float64
	for t := range x {
		s[t%dotLanes] = math.FMA(x[t], y[t], s[t%dotLanes])
	}
	return reduceLanes(&s)
}

// reduceLanes adds the 32 partial sums as four 8-wide vectors,
// (v0+v1)+(v2+v3), then halves the width three times.
func reduceLanes(s *[dotLanes]float64) float64 {
	var u [8]float64
	for l := range u {
		u[l] = (s[l] + s[8+l]) + (s[16+l] + s[24+l])
	}
	v0, v1, v2, v3 := u[0]+u[4], u[1]+u[5], u[2]+u[6], u[3]+u[7]
	return (v0 + v2) + (v1 + v3)
}

// AxpyFMA sets y[t] = fma(alpha, x[t], y[t]).
func AxpyFMA(alpha float64, x, y []float64) {
	y = y[:len(x)]
	cur.axpy(alpha, x, y)
}

func axpyGo(alpha float64, x, y []float64) {
	for t, v := range x {
		y[t] = math.FMA(alpha, v, y[t])
	}
}

// Axpy2FMA sets y[t] = fma(beta, z[t], fma(alpha, x[t], y[t])): two
// updates in one pass over y (the symmetric rank-2 update).
func Axpy2FMA(alpha float64, x []float64, beta float64, z, y []float64) {
	y, z = y[:len(x)], z[:len(x)]
	cur.axpy2(alpha, x, beta, z, y)
}

func axpy2Go(alpha float64, x []float64, beta float64, z, y []float64) {
	for t, v := range x {
		y[t] = math.FMA(beta, z[t], math.FMA(alpha, v, y[t]))
	}
}

// CGStep is the vector work of one conjugate-gradient step on vectors of
// len(x): for each t,
//
//	x[t] = fma(α, d[t], x[t]);  hx[t] = fma(α, hd[t], hx[t])
//	r[t] = fma(−α, hd[t], r[t]);  z[t] = r[t]·m[t], rounded
//
// and it returns Σ r[t]² and Σ r[t]·z[t] of the new r and z, each in
// DotFMA's lanes and tree: the bits of three AxpyFMA calls, the products
// and two DotFMA calls, in one pass. The other slices must be at least as
// long as x.
func CGStep(alpha float64, d, hd, m, x, hx, r, z []float64) (rr, rz float64) {
	n := len(x)
	d, hd, m, hx, r, z = d[:n], hd[:n], m[:n], hx[:n], r[:n], z[:n]
	return cur.cgStep(alpha, d, hd, m, x, hx, r, z)
}

func cgStepGo(alpha float64, d, hd, m, x, hx, r, z []float64) (rr, rz float64) {
	var s, q [dotLanes]float64
	for t := range x {
		x[t] = math.FMA(alpha, d[t], x[t])
		hx[t] = math.FMA(alpha, hd[t], hx[t])
		rt := math.FMA(-alpha, hd[t], r[t])
		zt := float64(rt * m[t])
		r[t], z[t] = rt, zt
		s[t%dotLanes] = math.FMA(rt, rt, s[t%dotLanes])
		q[t%dotLanes] = math.FMA(rt, zt, q[t%dotLanes])
	}
	return reduceLanes(&s), reduceLanes(&q)
}

// mulRounded sets z[t] = r[t]·m[t], each product rounded.
func mulRounded(z, r, m []float64) {
	z, m = z[:len(r)], m[:len(r)]
	for t, v := range r {
		z[t] = float64(v * m[t])
	}
}

// ScaleSub sets d[t] = β·d[t] − z[t], the product rounded before the
// difference (the conjugate-gradient direction update). z must be at
// least as long as d.
func ScaleSub(beta float64, d, z []float64) {
	cur.scaleSub(beta, d, z[:len(d)])
}

func scaleSubGo(beta float64, d, z []float64) {
	z = z[:len(d)]
	for t, v := range d {
		d[t] = float64(beta*v) - z[t]
	}
}

// SymRow is one row's share of a step of Householder tridiagonalisation:
// the previous step's rank-2 update of the row, then the row's part of the
// next step's symmetric product, in one pass. For t < len(row):
//
//	y = fma(b, z[t], fma(a, x[t], row[t])); row[t] = y
//	w[t] = fma(vr, y, w[t])
//
// and it returns Σ y·v[t] in DotFMA's lane order. x, z, v, w must be at
// least as long as row.
func SymRow(row []float64, a float64, x []float64, b float64, z, v, w []float64, vr float64) float64 {
	n := len(row)
	x, z, v, w = x[:n], z[:n], v[:n], w[:n]
	return cur.symRow(row, a, x, b, z, v, w, vr)
}

func symRowGo(row []float64, a float64, x []float64, b float64, z, v, w []float64, vr float64) float64 {
	var s [dotLanes]float64
	for t := range row {
		y := math.FMA(b, z[t], math.FMA(a, x[t], row[t]))
		row[t] = y
		s[t%dotLanes] = math.FMA(y, v[t], s[t%dotLanes])
		w[t] = math.FMA(vr, y, w[t])
	}
	return reduceLanes(&s)
}
