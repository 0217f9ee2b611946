package linalg

import "math"

// sortAndSign fills vals and vecs from the converged Jacobi state: values
// descending (a stable order, so equal values keep their index order) and
// each vector signed so its largest-magnitude entry is positive.
func (e *SymEigen) sortAndSign() {
	n := e.n
	for i := 0; i < n; i++ {
		e.vals[i] = e.a[i*n+i]
	}
	descendingOrder(e.order, e.vals)
	for c, src := range e.order {
		sign := columnSign(e.v, n, src)
		for r := 0; r < n; r++ {
			e.vecs[r*n+c] = sign * e.v[r*n+src]
		}
	}
	for i := 0; i < n; i++ {
		e.vals[i] = e.a[e.order[i]*n+e.order[i]]
	}
}

// columnSign is +1 or −1, whichever makes the largest-magnitude entry of
// column c of the n-column matrix v (the first such on ties) positive.
func columnSign(v []float64, n, c int) float64 {
	best := 0.0
	sign := 1.0
	for r := 0; r*n+c < len(v); r++ {
		if x := v[r*n+c]; math.Abs(x) > best {
			best = math.Abs(x)
			sign = math.Copysign(1, x)
		}
	}
	return sign
}

// descendingOrder sets order to the indices of vals sorted by descending
// value, ties in index order (insertion sort: n is small and this must not
// allocate).
func descendingOrder(order []int, vals []float64) {
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ {
		o := order[i]
		j := i
		for ; j > 0 && vals[order[j-1]] < vals[o]; j-- {
			order[j] = order[j-1]
		}
		order[j] = o
	}
}
