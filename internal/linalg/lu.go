package linalg

import "math"

// luInverse overwrites z with A⁻¹ for the n×n matrix in lu (destroyed: it
// holds the LU factors afterwards), by LU with partial pivoting, the first
// largest pivot on ties. It reports false on an exactly zero pivot. The
// inverse is stored column-permuted: A⁻¹[i][perm[k]] = z[i][k], which is
// all the Newton step needs (it reads A⁻ᵀ).
func luInverse(lu, z []float64, perm []int, n int) bool {
	if !luFactor(lu, perm, n) {
		return false
	}
	lowerInverse(lu, z, n)
	upperSolve(lu, z, n)
	return true
}

// luFactor is P·A = L·U in place (unit L below the diagonal, U on and
// above), with perm[k] the original row now at row k. It works in panels of
// four columns: each panel is factored alone, then its four rank-1 updates
// reach the trailing matrix in one pass (subScaled4). Every entry still
// receives a_ij −= l_ik·u_kj for k ascending, the unblocked order, so the
// bits are those of the textbook right-looking loop.
func luFactor(a []float64, perm []int, n int) bool {
	for i := range perm {
		perm[i] = i
	}
	for k0 := 0; k0 < n; k0 += 4 {
		end := min(k0+4, n)
		if !luPanel(a, perm, n, k0, end) {
			return false
		}
		if end < n {
			luTrailing(a, n, k0, end)
		}
	}
	return true
}

// luPanel factors columns k0..end−1 (pivot search and swaps of whole rows,
// multipliers, updates inside the panel).
func luPanel(a []float64, perm []int, n, k0, end int) bool {
	for k := k0; k < end; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if math.Abs(a[i*n+k]) > math.Abs(a[p*n+k]) {
				p = i
			}
		}
		if a[p*n+k] == 0 {
			return false
		}
		if p != k {
			swapRows(a, n, p, k)
			perm[p], perm[k] = perm[k], perm[p]
		}
		piv := a[k*n+k]
		uk := a[k*n+k+1 : k*n+end]
		for i := k + 1; i < n; i++ {
			l := a[i*n+k] / piv
			a[i*n+k] = l
			subScaled(a[i*n+k+1:i*n+end], uk, l)
		}
	}
	return true
}

// luTrailing applies the panel's updates to columns end..n−1: first to the
// panel's own rows (completing those rows of U), then to every row below.
func luTrailing(a []float64, n, k0, end int) {
	for r := k0 + 1; r < end; r++ {
		for k := k0; k < r; k++ {
			subScaled(a[r*n+end:(r+1)*n], a[k*n+end:(k+1)*n], a[r*n+k])
		}
	}
	if end-k0 == 4 {
		u0, u1, u2, u3 := a[k0*n+end:(k0+1)*n], a[(k0+1)*n+end:(k0+2)*n], a[(k0+2)*n+end:(k0+3)*n], a[(k0+3)*n+end:(k0+4)*n]
		for i := end; i < n; i++ {
			l := a[i*n+k0 : i*n+k0+4]
			subScaled4(a[i*n+end:(i+1)*n], u0, u1, u2, u3, l[0], l[1], l[2], l[3])
		}
		return
	}
	for i := end; i < n; i++ {
		for k := k0; k < end; k++ {
			subScaled(a[i*n+end:(i+1)*n], a[k*n+end:(k+1)*n], a[i*n+k])
		}
	}
}

func swapRows(a []float64, n, p, k int) {
	rp, rk := a[p*n:(p+1)*n], a[k*n:(k+1)*n]
	for j := range rp {
		rp[j], rk[j] = rk[j], rp[j]
	}
}

// lowerInverse sets z = L⁻¹ (unit lower triangular, zeros above), row i
// being eᵢ − Σ_{k<i} l_ik·(row k), k ascending; row k is zero past column k,
// so four rows at a time share the prefix 0..k and the few entries between
// are finished one row at a time, keeping each entry's k order.
func lowerInverse(lu, z []float64, n int) {
	for i := range z {
		z[i] = 0
	}
	for i := 0; i < n; i++ {
		zi := z[i*n : (i+1)*n]
		zi[i] = 1
		k := 0
		for ; k+4 <= i; k += 4 {
			subScaled4(zi[:k+1], z[k*n:k*n+k+1], z[(k+1)*n:(k+1)*n+k+1], z[(k+2)*n:(k+2)*n+k+1], z[(k+3)*n:(k+3)*n+k+1],
				lu[i*n+k], lu[i*n+k+1], lu[i*n+k+2], lu[i*n+k+3])
			for kk := k + 1; kk < k+4; kk++ {
				subScaled(zi[k+1:kk+1], z[kk*n+k+1:kk*n+kk+1], lu[i*n+kk])
			}
		}
		for ; k < i; k++ {
			subScaled(zi[:k+1], z[k*n:k*n+k+1], lu[i*n+k])
		}
	}
}

// upperSolve overwrites z with U⁻¹ z, bottom row first: row i is
// (zᵢ − Σ_{k>i} u_ik·(row k)) / u_ii, k ascending, four rows at a time.
func upperSolve(lu, z []float64, n int) {
	for i := n - 1; i >= 0; i-- {
		zi := z[i*n : (i+1)*n]
		k := i + 1
		for ; k+4 <= n; k += 4 {
			subScaled4(zi, z[k*n:(k+1)*n], z[(k+1)*n:(k+2)*n], z[(k+2)*n:(k+3)*n], z[(k+3)*n:(k+4)*n],
				lu[i*n+k], lu[i*n+k+1], lu[i*n+k+2], lu[i*n+k+3])
		}
		for ; k < n; k++ {
			subScaled(zi, z[k*n:(k+1)*n], lu[i*n+k])
		}
		d := lu[i*n+i]
		for j := range zi {
			zi[j] /= d
		}
	}
}
