package dsa

import "degen/metrics/internal/dense"

// hankelGram returns HᵀH for the stacked delay embedding H of the trials
// without forming H. Block (d, e) of HᵀH, d ≤ e, pairs delay blocks d and
// e, i.e. the lag-(e−d)τ cross-products Σ_k Σ_s x_k(s+ℓτ) x_k(s)ᵀ over a
// window of s; every block of one lag is the same full-window sum F_ℓ minus
// the few products that fall outside its window, (m−1−e)τ at the front and
// dτ at the back of each trial. So m products of N×N blocks replace the m²
// of the direct HᵀH.
//
// The result is c×c row-major with both triangles set, c = N·m.
func hankelGram(tr Trials, m, tau int) []float64 {
	n := tr.N
	c := n * m
	g := make([]float64, c*c)
	full := make([][]float64, m)
	for l := range m {
		full[l] = lagProduct(tr, l*tau, func(steps int) [][2]int { return [][2]int{{0, steps - l*tau}} })
	}
	for d := 0; d < m; d++ {
		for e := d; e < m; e++ {
			lag := (e - d) * tau
			front, back := (m-1-e)*tau, d*tau
			out := lagProduct(tr, lag, func(steps int) [][2]int {
				return [][2]int{{0, front}, {max(steps-lag-back, front), steps - lag}}
			})
			blk := full[e-d]
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if d < e || j >= i {
						x := blk[i*n+j] - out[i*n+j]
						g[(d*n+i)*c+e*n+j] = x
						g[(e*n+j)*c+d*n+i] = x
					}
				}
			}
		}
	}
	return g
}

// lagProduct returns Σ_k Σ_s x_k(s+lag) x_k(s)ᵀ (N×N, element (i, j) the
// sum of x(s+lag)_i·x(s)_j) over the ranges [lo, hi) of s that
// ranges(steps) gives for each trial, in trial order, then range order,
// then s: one FMA chain per element. Short ranges (the windows'
// complements) are gathered into one block first, so the product runs
// once rather than once per trial.
func lagProduct(tr Trials, lag int, ranges func(steps int) [][2]int) []float64 {
	n := tr.N
	out := make([]float64, n*n)
	gather := 0
	for _, x := range tr.Data {
		steps := len(x) / n
		for _, r := range ranges(steps) {
			if l := min(r[1], steps-lag) - max(r[0], 0); l > 0 && l < gatherBelow {
				gather += l
			}
		}
	}
	hi, lo := make([]float64, 0, gather*n), make([]float64, 0, gather*n)
	for _, x := range tr.Data {
		steps := len(x) / n
		for _, r := range ranges(steps) {
			a, b := max(r[0], 0), min(r[1], steps-lag)
			switch {
			case b <= a:
			case b-a >= gatherBelow:
				flush(out, n, hi, lo)
				hi, lo = hi[:0], lo[:0]
				dense.Gemm(out, n, x[(a+lag)*n:], 1, n, x[a*n:], n, n, n, b-a, true)
			default:
				hi = append(hi, x[(a+lag)*n:(b+lag)*n]...)
				lo = append(lo, x[a*n:b*n]...)
			}
		}
	}
	flush(out, n, hi, lo)
	return out
}

// gatherBelow is the range length below which rows are copied together
// rather than multiplied in place: a product streams the whole N×N output
// through the cache, so a few rows at a time would cost mostly that.
const gatherBelow = 32

// flush adds hiᵀ·lo (rows of N) to out.
func flush(out []float64, n int, hi, lo []float64) {
	if len(hi) > 0 {
		dense.Gemm(out, n, hi, 1, n, lo, n, n, n, len(hi)/n, true)
	}
}
