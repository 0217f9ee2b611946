package dsa

import "gonum.org/v1/gonum/mat"

// hankelGram returns HᵀH for the stacked delay embedding H of the trials
// without forming the product of H with itself. Block (d, e) of HᵀH, d ≤ e,
// pairs delay blocks d and e, i.e. the lag-(e−d)τ cross-products
// Σ_k Σ_s x_k(s+ℓτ) x_k(s)ᵀ over a window of s; every block of one lag is
// the same full-window sum F_ℓ minus the few products that fall outside its
// window, (m−1−e)τ at the front and dτ at the back of each trial. So m
// products of N×N blocks replace the m² of the direct HᵀH.
//
// The result is c×c row-major with both triangles set, c = N·m.
func hankelGram(tr Trials, m, tau int) []float64 {
	n := tr.N
	c := n * m
	g := make([]float64, c*c)
	full := make([]*mat.Dense, m)
	for l := range m {
		full[l] = lagProduct(tr, l*tau, func(int) (int, int) { return 0, -1 })
	}
	for d := 0; d < m; d++ {
		for e := d; e < m; e++ {
			lag := (e - d) * tau
			front, back := (m-1-e)*tau, d*tau
			out := lagProduct(tr, lag, func(steps int) (int, int) { return front, steps - lag - back })
			var blk mat.Dense
			blk.Sub(full[e-d], out)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if d < e || j >= i {
						g[(d*n+i)*c+e*n+j] = blk.At(i, j)
						g[(e*n+j)*c+d*n+i] = blk.At(i, j)
					}
				}
			}
		}
	}
	return g
}

// lagProduct returns Σ_k Σ_s x_k(s+lag) x_k(s)ᵀ, the sum over s in
// [0, steps−lag) (when skip returns (0, −1)), or else only over the s
// outside [lo, hi) that skip(steps) gives: the window's complement.
func lagProduct(tr Trials, lag int, skip func(steps int) (lo, hi int)) *mat.Dense {
	n := tr.N
	rows := 0
	for _, x := range tr.Data {
		rows += max(len(x)/n-lag, 0)
	}
	hi, lo := make([]float64, 0, rows*n), make([]float64, 0, rows*n)
	for _, x := range tr.Data {
		steps := len(x) / n
		a, b := skip(steps)
		for s := 0; s+lag < steps; s++ {
			if b >= a && s >= a && s < b {
				continue
			}
			hi = append(hi, x[(s+lag)*n:(s+lag+1)*n]...)
			lo = append(lo, x[s*n:(s+1)*n]...)
		}
	}
	out := mat.NewDense(n, n, nil)
	if len(hi) == 0 {
		return out
	}
	rows = len(hi) / n
	out.Mul(mat.NewDense(rows, n, hi).T(), mat.NewDense(rows, n, lo))
	return out
}
