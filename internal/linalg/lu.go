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
// above), with perm[k] the original row now at row k.
func luFactor(a []float64, perm []int, n int) bool {
	for i := range perm {
		perm[i] = i
	}
	for k := 0; k < n; k++ {
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
		uk := a[k*n+k+1 : (k+1)*n]
		for i := k + 1; i < n; i++ {
			l := a[i*n+k] / piv
			a[i*n+k] = l
			subScaled(a[i*n+k+1:(i+1)*n], uk, l)
		}
	}
	return true
}

func swapRows(a []float64, n, p, k int) {
	rp, rk := a[p*n:(p+1)*n], a[k*n:(k+1)*n]
	for j := range rp {
		rp[j], rk[j] = rk[j], rp[j]
	}
}

// lowerInverse sets z = L⁻¹ (unit lower triangular, zeros above), row i
// being eᵢ − Σ_{k<i} l_ik·(row k), k ascending.
func lowerInverse(lu, z []float64, n int) {
	for i := range z {
		z[i] = 0
	}
	for i := 0; i < n; i++ {
		zi := z[i*n : (i+1)*n]
		zi[i] = 1
		for k := 0; k < i; k++ {
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
