package dsa

import "math"

// realEigenvalues returns the eigenvalues of the real n×n row-major matrix
// a (copied, not changed): reduction to upper Hessenberg form by Gaussian
// elimination with pivoting, then the Francis double-shift QR iteration
// (the classic elmhes/hqr pair), products rounded explicitly. False means
// the iteration did not converge.
func realEigenvalues(a []float64, n int) ([]complex128, bool) {
	h := make([][]float64, n+1) // 1-based, as the algorithm is usually stated
	for i := 1; i <= n; i++ {
		h[i] = make([]float64, n+1)
		copy(h[i][1:], a[(i-1)*n:i*n])
	}
	hessenberg(h, n)
	wr, wi := make([]float64, n+1), make([]float64, n+1)
	if !francisQR(h, n, wr, wi) {
		return nil, false
	}
	out := make([]complex128, n)
	for i := range out {
		out[i] = complex(wr[i+1], wi[i+1])
	}
	return out, true
}

// rsub is x − y·z with the product rounded (never fused).
func rsub(x, y, z float64) float64 { return x - float64(y*z) }

func hessenberg(a [][]float64, n int) {
	for m := 2; m < n; m++ {
		x, i := 0.0, m
		for j := m; j <= n; j++ {
			if math.Abs(a[j][m-1]) > math.Abs(x) {
				x, i = a[j][m-1], j
			}
		}
		if i != m {
			for j := m - 1; j <= n; j++ {
				a[i][j], a[m][j] = a[m][j], a[i][j]
			}
			for j := 1; j <= n; j++ {
				a[j][i], a[j][m] = a[j][m], a[j][i]
			}
		}
		if x == 0 {
			continue
		}
		for i := m + 1; i <= n; i++ {
			y := a[i][m-1]
			if y == 0 {
				continue
			}
			y /= x
			a[i][m-1] = 0
			for j := m; j <= n; j++ {
				a[i][j] = rsub(a[i][j], y, a[m][j])
			}
			for j := 1; j <= n; j++ {
				a[j][m] += float64(y * a[j][i])
			}
		}
	}
}

// francisQR finds the eigenvalues of the upper Hessenberg a (1-based,
// destroyed) into wr + i·wi.
func francisQR(a [][]float64, n int, wr, wi []float64) bool {
	anorm := 0.0
	for i := 1; i <= n; i++ {
		for j := max(i-1, 1); j <= n; j++ {
			anorm += math.Abs(a[i][j])
		}
	}
	nn, t := n, 0.0
	for nn >= 1 {
		its := 0
		for {
			l := nn
			for ; l >= 2; l-- {
				s := math.Abs(a[l-1][l-1]) + math.Abs(a[l][l])
				if s == 0 {
					s = anorm
				}
				if math.Abs(a[l][l-1])+s == s {
					a[l][l-1] = 0
					break
				}
			}
			if l < 1 {
				l = 1
			}
			x := a[nn][nn]
			if l == nn {
				wr[nn], wi[nn] = x+t, 0
				nn--
				break
			}
			y := a[nn-1][nn-1]
			w := float64(a[nn][nn-1] * a[nn-1][nn])
			if l == nn-1 {
				p := float64(0.5 * (y - x))
				q := float64(p*p) + w
				z := math.Sqrt(math.Abs(q))
				x += t
				if q >= 0 {
					z = p + math.Copysign(z, p)
					wr[nn-1], wr[nn] = x+z, x+z
					if z != 0 {
						wr[nn] = x - w/z
					}
					wi[nn-1], wi[nn] = 0, 0
				} else {
					wr[nn-1], wr[nn] = x+p, x+p
					wi[nn-1], wi[nn] = z, -z
				}
				nn -= 2
				break
			}
			if its == 60 {
				return false
			}
			if its == 10 || its == 20 {
				// Exceptional shift.
				t += x
				for i := 1; i <= nn; i++ {
					a[i][i] -= x
				}
				s := math.Abs(a[nn][nn-1]) + math.Abs(a[nn-1][nn-2])
				x = float64(0.75 * s)
				y = x
				w = float64(-0.4375 * s * s)
			}
			its++
			qrStep(a, l, nn, x, y, w)
		}
	}
	return true
}

// qrStep is one implicit double-shift QR step on rows and columns l…nn,
// with shifts given by x, y, w (trace and determinant of the trailing 2×2).
func qrStep(a [][]float64, l, nn int, x, y, w float64) {
	var p, q, r, z float64
	m := nn - 2
	for ; m >= l; m-- {
		z = a[m][m]
		r = x - z
		s := y - z
		p = (float64(r*s)-w)/a[m+1][m] + a[m][m+1]
		q = a[m+1][m+1] - z - r - s
		r = a[m+2][m+1]
		s = math.Abs(p) + math.Abs(q) + math.Abs(r)
		p /= s
		q /= s
		r /= s
		if m == l {
			break
		}
		u := float64(math.Abs(a[m][m-1]) * (math.Abs(q) + math.Abs(r)))
		v := float64(math.Abs(p) * (math.Abs(a[m-1][m-1]) + math.Abs(z) + math.Abs(a[m+1][m+1])))
		if u+v == v {
			break
		}
	}
	for i := m + 2; i <= nn; i++ {
		a[i][i-2] = 0
		if i != m+2 {
			a[i][i-3] = 0
		}
	}
	for k := m; k <= nn-1; k++ {
		if k != m {
			p, q, r = a[k][k-1], a[k+1][k-1], 0
			if k != nn-1 {
				r = a[k+2][k-1]
			}
			if x = math.Abs(p) + math.Abs(q) + math.Abs(r); x != 0 {
				p /= x
				q /= x
				r /= x
			}
		}
		s := math.Copysign(math.Sqrt(float64(float64(p*p)+float64(q*q))+float64(r*r)), p)
		if s == 0 {
			continue
		}
		if k == m {
			if l != m {
				a[k][k-1] = -a[k][k-1]
			}
		} else {
			a[k][k-1] = -s * x
		}
		p += s
		x = p / s
		y := q / s
		z = r / s
		q /= p
		r /= p
		for j := k; j <= nn; j++ {
			p = a[k][j] + float64(q*a[k+1][j])
			if k != nn-1 {
				p += float64(r * a[k+2][j])
				a[k+2][j] = rsub(a[k+2][j], p, z)
			}
			a[k+1][j] = rsub(a[k+1][j], p, y)
			a[k][j] = rsub(a[k][j], p, x)
		}
		for i := l; i <= min(nn, k+3); i++ {
			p = float64(x*a[i][k]) + float64(y*a[i][k+1])
			if k != nn-1 {
				p += float64(z * a[i][k+2])
				a[i][k+2] = rsub(a[i][k+2], p, r)
			}
			a[i][k+1] = rsub(a[i][k+1], p, q)
			a[i][k] -= p
		}
	}
}
