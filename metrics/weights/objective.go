package weights

import "math"

// objective is f(perm) = Σ_ij a[i,j]·b[perm i, perm j], one FMA chain in
// row-major order.
func objective(a, b []float64, perm []int) float64 {
	n := len(perm)
	var f float64
	for i := 0; i < n; i++ {
		bi := b[perm[i]*n : (perm[i]+1)*n]
		ai := a[i*n : (i+1)*n]
		for j, pj := range perm {
			f = math.FMA(ai[j], bi[pj], f)
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
			s = math.FMA(d, d, s)
		}
	}
	return sqrt(s)
}
