package weights

import (
	"strconv"

	"degen/internal/seed"
)

// sinkhornIters is a fixed count, not a tolerance, so the start (and hence
// the result) is a pure function of the restart index.
const sinkhornIters = 100

// barycenterStart returns J = 11ᵀ/n and ∇f(J).
func (pr *problem) barycenterStart() (p, g []float64) {
	n := pr.n
	p, g = make([]float64, n*n), make([]float64, n*n)
	for k := range p {
		p[k] = 1 / float64(n)
	}
	pr.gradBarycenter(g)
	return p, g
}

// permStart returns the permutation matrix of perm and its gradient.
func (pr *problem) permStart(perm []int) (p, g []float64) {
	n := pr.n
	p, g = make([]float64, n*n), make([]float64, n*n)
	for i, j := range perm {
		p[i*n+j] = 1
	}
	pr.gradPerm(g, perm)
	return p, g
}

// randomStart is scipy's "randomized" FAQ start, (J + K)/2 with K a
// Sinkhorn-balanced uniform matrix, drawn from a seed that depends only on
// the restart index r: the same r gives the same start for every pair.
func (pr *problem) randomStart(r int) (p, g []float64) {
	n := pr.n
	rng := seed.New("metrics/weights", "restart", strconv.Itoa(r), strconv.Itoa(n))
	p, g = make([]float64, n*n), make([]float64, n*n)
	for k := range p {
		p[k] = rng.Float64()
	}
	sinkhorn(p, n)
	for k := range p {
		p[k] = (p[k] + 1/float64(n)) / 2
	}
	pr.gradDense(g, p)
	return p, g
}

// sinkhorn scales the rows and columns of a positive matrix towards sums 1.
func sinkhorn(p []float64, n int) {
	for it := 0; it < sinkhornIters; it++ {
		for i := 0; i < n; i++ {
			row := p[i*n : (i+1)*n]
			var s float64
			for _, v := range row {
				s += v
			}
			for j := range row {
				row[j] /= s
			}
		}
		for j := 0; j < n; j++ {
			var s float64
			for i := 0; i < n; i++ {
				s += p[i*n+j]
			}
			for i := 0; i < n; i++ {
				p[i*n+j] /= s
			}
		}
	}
}
