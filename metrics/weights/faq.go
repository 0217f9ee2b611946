package weights

import (
	"math"

	"degen/metrics/internal/dense"
	"degen/metrics/lap"
)

// problem holds one pair's matrices in the layouts FAQ's gradient needs.
type problem struct {
	n    int
	a, b []float64 // W₁, W₂ row-major
	y    []float64 // [W₂ | W₂ᵀ], n×2n: the right factor of the gradient
	x    []float64 // scratch n×2n: [W₁Q | W₁ᵀQ]
	at   []float64 // W₁ᵀ
}

func newProblem(a, b []float64, n int) *problem {
	pr := &problem{n: n, a: a, b: b, at: dense.Transpose(a, n),
		y: make([]float64, 2*n*n), x: make([]float64, 2*n*n)}
	bt := dense.Transpose(b, n)
	for i := 0; i < n; i++ {
		copy(pr.y[2*i*n:], b[i*n:(i+1)*n])
		copy(pr.y[(2*i+1)*n:], bt[i*n:(i+1)*n])
	}
	return pr
}

// gradPerm sets g to ∇f at the permutation matrix Q (Q[i, q i] = 1):
// W₁ Q W₂ᵀ + W₁ᵀ Q W₂, one product of [W₁Q | W₁ᵀQ] with [W₂ | W₂ᵀ]ᵀ.
func (pr *problem) gradPerm(g []float64, q []int) {
	n := pr.n
	for i := 0; i < n; i++ {
		xa, xt := pr.x[2*i*n:(2*i+1)*n], pr.x[(2*i+1)*n:(2*i+2)*n]
		ai, ati := pr.a[i*n:(i+1)*n], pr.at[i*n:(i+1)*n]
		for k, qk := range q {
			// (W₁Q)[i, q k] = W₁[i, k]
			xa[qk] = ai[k]
			xt[qk] = ati[k]
		}
	}
	dense.MulABt(g, pr.x, pr.y, n, n, 2*n)
}

// gradVertex updates rather than recomputes when at most n/incrementalMax
// rows moved: each moved row costs 2n² against 2n³ for the full product,
// but the product runs about twice as fast per flop (CPU time at n = 128,
// 2 vs 4 vs 6: 1.85 s, 1.93 s, 2.10 s for the same 42 d_PIF runs).
const incrementalMax = 2

// gradVertex sets g, which holds ∇f at the vertex prev (nil: nothing), to
// ∇f at the vertex q. Moving row k of Q from column o to column c changes
// W₁QW₂ᵀ by W₁[:,k] ⊗ (W₂[:,c] − W₂[:,o]) and W₁ᵀQW₂ by
// W₁[k,:] ⊗ (W₂[c,:] − W₂[o,:]); late FAQ iterations move few rows.
func (pr *problem) gradVertex(g []float64, q, prev []int) {
	n := pr.n
	var moved []int
	if prev != nil {
		for k := range q {
			if q[k] != prev[k] {
				moved = append(moved, k)
			}
		}
	}
	if prev == nil || len(moved)*incrementalMax > n {
		pr.gradPerm(g, q)
		return
	}
	bt := pr.y // row j of y holds [W₂[j,:] | W₂[:,j]]
	for _, k := range moved {
		c, o := q[k], prev[k]
		rowC, rowO := bt[2*c*n:(2*c+1)*n], bt[2*o*n:(2*o+1)*n]
		colC, colO := bt[(2*c+1)*n:(2*c+2)*n], bt[(2*o+1)*n:(2*o+2)*n]
		for i := 0; i < n; i++ {
			// (W₁QW₂ᵀ)[i,j] gains W₁[i,k]·(W₂[j,c] − W₂[j,o]);
			// (W₁ᵀQW₂)[i,j] gains W₁[k,i]·(W₂[c,j] − W₂[o,j]).
			aik, aki := pr.a[i*n+k], pr.a[k*n+i]
			gi := g[i*n : (i+1)*n]
			for j := range gi {
				gi[j] += float64(aik*(colC[j]-colO[j])) + float64(aki*(rowC[j]-rowO[j]))
			}
		}
	}
}

// gradDense sets g to ∇f at a dense P: [W₁P | W₁ᵀP]·[W₂ | W₂ᵀ]ᵀ.
func (pr *problem) gradDense(g, p []float64) {
	n := pr.n
	pt := dense.Transpose(p, n)
	ap, atp := make([]float64, n*n), make([]float64, n*n)
	dense.MulABt(ap, pr.a, pt, n, n, n)
	dense.MulABt(atp, pr.at, pt, n, n, n)
	for i := 0; i < n; i++ {
		copy(pr.x[2*i*n:], ap[i*n:(i+1)*n])
		copy(pr.x[(2*i+1)*n:], atp[i*n:(i+1)*n])
	}
	dense.MulABt(g, pr.x, pr.y, n, n, 2*n)
}

// gradBarycenter sets g to ∇f at J = 11ᵀ/n, which is rank 2:
// (W₁1)(W₂1)ᵀ/n + (W₁ᵀ1)(W₂ᵀ1)ᵀ/n.
func (pr *problem) gradBarycenter(g []float64) {
	n := pr.n
	ra, ca := rowSums(pr.a, n), rowSums(pr.at, n)
	rb, cb := rowSums(pr.b, n), rowSums(dense.Transpose(pr.b, n), n)
	inv := 1 / float64(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g[i*n+j] = (float64(ra[i]*rb[j]) + float64(ca[i]*cb[j])) * inv
		}
	}
}

func rowSums(x []float64, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		for _, v := range x[i*n : (i+1)*n] {
			s[i] += v
		}
	}
	return s
}

// faq runs Frank–Wolfe on the doubly stochastic relaxation from p (n×n,
// modified in place) whose gradient is g (modified in place), and rounds the
// result to a permutation by a maximizing LAP. f is quadratic along the
// segment from the LAP vertex Q to P, so the line search is exact:
// f(Q + α(P−Q)) = f(Q) + α(x − 2f(Q)) + α²(f(P) + f(Q) − x), with
// x = ⟨∇f(P), Q⟩ and f(P) = ⟨∇f(P), P⟩/2 (f is a homogeneous quadratic).
func (pr *problem) faq(p, g []float64, maxIter int, tol float64) ([]int, int, error) {
	n := pr.n
	gq := make([]float64, n*n)
	var qPrev []int // the vertex gq currently holds the gradient of
	iter := 0
	for iter < maxIter {
		iter++
		q, _, err := lap.Solve(g, n, n, true)
		if err != nil {
			return nil, iter, err
		}
		fq := objective(pr.a, pr.b, q)
		var x float64
		for i, qi := range q {
			x += g[i*n+qi]
		}
		fp := dense.Dot(g, p) / 2
		alpha := lineSearch(fp+fq-x, x-2*fq)
		if step := mix(p, q, alpha); step/math.Sqrt(float64(n)) < tol || iter == maxIter {
			break
		}
		pr.gradVertex(gq, q, qPrev)
		qPrev = q
		for k := range g {
			g[k] = float64(alpha*g[k]) + float64((1-alpha)*gq[k])
		}
	}
	perm, _, err := lap.Solve(p, n, n, true)
	return perm, iter, err
}

// lineSearch maximizes c + bα + aα² on [0, 1]: the vertex when the parabola
// opens downward and the vertex lies inside, else the better end (α = 0,
// the new vertex Q, on a tie).
func lineSearch(a, b float64) float64 {
	if a < 0 {
		if v := -b / (2 * a); v >= 0 && v <= 1 {
			return v
		}
	}
	if a+b > 0 {
		return 1
	}
	return 0
}

// mix sets p ← αp + (1−α)Q and returns ‖Δp‖_F.
func mix(p []float64, q []int, alpha float64) float64 {
	n := len(q)
	var s float64
	for i := 0; i < n; i++ {
		row := p[i*n : (i+1)*n]
		for j := range row {
			var qij float64
			if q[i] == j {
				qij = 1
			}
			next := float64(alpha*row[j]) + float64((1-alpha)*qij)
			d := next - row[j]
			s += float64(d * d)
			row[j] = next
		}
	}
	return math.Sqrt(s)
}
