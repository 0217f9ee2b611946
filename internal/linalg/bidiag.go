package linalg

import "math"

// bidiagonalize reduces the m×n matrix in g (m ≥ n, destroyed) to upper
// bidiagonal form by Householder reflections from both sides (Golub–Kahan,
// LAPACK dgebrd's reflectors), writing the diagonal to d (n) and the
// superdiagonal to e (n−1). w is scratch of length n.
func bidiagonalize(g []float64, m, n int, d, e, w []float64) {
	for k := 0; k < n; k++ {
		d[k] = leftReflect(g, m, n, k, w)
		if k < n-1 {
			e[k] = rightReflect(g, m, n, k)
		}
	}
}

// leftReflect zeroes column k below the diagonal, applying H = I − τvvᵀ to
// columns k+1.. of rows k.., and returns the new diagonal entry β.
func leftReflect(g []float64, m, n, k int, w []float64) float64 {
	alpha := g[k*n+k]
	var xx float64
	for i := k + 1; i < m; i++ {
		xx += float64(g[i*n+k] * g[i*n+k])
	}
	if xx == 0 {
		return alpha
	}
	beta := -math.Copysign(math.Sqrt(float64(alpha*alpha)+xx), alpha)
	tau := (beta - alpha) / beta
	scale := 1 / (alpha - beta)
	for i := k + 1; i < m; i++ {
		g[i*n+k] *= scale // v_i; v_k = 1
	}
	row := func(i int) []float64 { return g[i*n+k+1 : (i+1)*n] }
	wk := w[:n-k-1]
	copy(wk, row(k))
	i := k + 1
	for ; i+4 <= m; i += 4 { // w = vᵀ·G, rows in order
		subScaled4(wk, row(i), row(i+1), row(i+2), row(i+3), -g[i*n+k], -g[(i+1)*n+k], -g[(i+2)*n+k], -g[(i+3)*n+k])
	}
	for ; i < m; i++ {
		subScaled(wk, row(i), -g[i*n+k])
	}
	subScaled(row(k), wk, tau)
	for i := k + 1; i < m; i++ {
		subScaled(row(i), wk, float64(tau*g[i*n+k]))
	}
	return beta
}

// rightReflect zeroes row k right of the superdiagonal, applying the
// reflector to rows k+1.. from the right, and returns the superdiagonal β.
func rightReflect(g []float64, m, n, k int) float64 {
	u := g[k*n+k+1 : (k+1)*n]
	alpha := u[0]
	xx := dot(u[1:], u[1:])
	if xx == 0 {
		return alpha
	}
	beta := -math.Copysign(math.Sqrt(float64(alpha*alpha)+xx), alpha)
	tau := (beta - alpha) / beta
	scale := 1 / (alpha - beta)
	u[0] = 1
	for j := 1; j < len(u); j++ {
		u[j] *= scale
	}
	for i := k + 1; i < m; i++ {
		ri := g[i*n+k+1 : (i+1)*n]
		subScaled(ri, u, float64(tau*dot(ri, u)))
	}
	return beta
}

// golubKahan writes the 2n×2n tridiagonal [[0, B], [Bᵀ, 0]] of the
// bidiagonal B (diagonal d, superdiagonal e), permuted to tridiagonal form,
// into td (zero diagonal) and te (off-diagonal d₀, e₀, d₁, …, d_{n−1}, and
// a last scratch entry). Its eigenvalues are ±σᵢ(B).
func golubKahan(td, te, d, e []float64) {
	n := len(d)
	for i := 0; i < n; i++ {
		td[2*i], td[2*i+1] = 0, 0
		te[2*i] = d[i]
		if i < n-1 {
			te[2*i+1] = e[i]
		}
	}
	te[2*n-1] = 0
}

// tql finds the eigenvalues of the symmetric tridiagonal matrix with
// diagonal d and off-diagonal e (e[i] couples i and i+1; e has len(d)
// entries, the last scratch) by the implicit QL method with Wilkinson
// shifts (Numerical Recipes' tqli, values only), in place in d, unsorted.
// An off-diagonal is dropped once below ε·(|d_m| + |d_m+1|) or ε·‖T‖.
// A split-off 2×2 block with zero diagonal, [[0, x], [x, 0]], gets its
// eigenvalues ±x exactly: that is a bidiagonal entry whose neighbours are
// zero, whose singular value must come out as |x|, not within an ulp.
func tql(d, e []float64) error {
	n := len(d)
	var norm float64
	for i := range d {
		norm = max(norm, math.Abs(d[i])+math.Abs(e[i])+math.Abs(e[max(i-1, 0)]))
	}
	for l := 0; l < n; l++ {
		for iter := 0; ; iter++ {
			m := l
			for ; m < n-1; m++ {
				if a := math.Abs(e[m]); a <= eps*(math.Abs(d[m])+math.Abs(d[m+1])) || a <= eps*norm {
					break
				}
			}
			if m == l {
				break
			}
			if m == l+1 && d[l] == 0 && d[m] == 0 {
				d[l], d[m], e[l] = e[l], -e[l], 0
				break
			}
			if iter == 50 {
				return ErrNoConvergence
			}
			qlStep(d, e, l, m)
		}
	}
	return nil
}

// qlStep is one implicit QL sweep over the unreduced block l..m.
func qlStep(d, e []float64, l, m int) {
	g := (d[l+1] - d[l]) / (2 * e[l])
	r := hypot(g, 1)
	g = d[m] - d[l] + e[l]/(g+math.Copysign(r, g))
	s, c, p := 1.0, 1.0, 0.0
	for i := m - 1; i >= l; i-- {
		f, b := float64(s*e[i]), float64(c*e[i])
		r = hypot(f, g)
		e[i+1] = r
		if r == 0 { // underflow: the block splits
			d[i+1] -= p
			e[m] = 0
			return
		}
		inv := 1 / r
		s, c = float64(f*inv), float64(g*inv)
		g = d[i+1] - p
		r = float64((d[i]-g)*s) + float64(2*c*b)
		p = float64(s * r)
		d[i+1] = g + p
		g = float64(c*r) - b
	}
	d[l] -= p
	e[l] = g
	e[m] = 0
}

// hypot is √(a² + b²) without overflow or underflow: directly where the
// squares are safely normal (the QL loop's common case, one square root and
// no division), else scaled. math.Hypot is not used: the math package is
// compiled with the caller's GOAMD64, and its 1+q*q may fuse.
func hypot(a, b float64) float64 {
	if ss := float64(a*a) + float64(b*b); ss > 0x1p-1000 && ss < 0x1p1000 {
		return math.Sqrt(ss)
	}
	a, b = math.Abs(a), math.Abs(b)
	if a < b {
		a, b = b, a
	}
	if a == 0 {
		return 0
	}
	q := b / a
	return a * math.Sqrt(1+float64(q*q))
}
