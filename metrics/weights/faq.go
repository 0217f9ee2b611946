package weights

import (
	"math"

	"degen/metrics/internal/dense"
	"degen/metrics/lap"
)

// problem holds one pair's matrices in the layouts FAQ's gradient needs.
// Every gradient is one product [W₁ | W₁ᵀ]·Z with Z = [P W₂ᵀ; P W₂]
// (2n×n), on dense.Gemm: each entry an FMA chain over the 2n inner terms in
// order, the same bits on every kernel path and GOAMD64 level.
type problem struct {
	n      int
	a, b   []float64 // W₁, W₂ row-major
	at, bt []float64 // W₁ᵀ, W₂ᵀ
	aa     []float64 // [W₁ | W₁ᵀ], n×2n: the left factor of the gradient
	z      []float64 // scratch 2n×n: the right factor [P W₂ᵀ; P W₂]
	ad, zd []float64 // scratch for gradVertex's update: n×2n and 2n×n
}

func newProblem(a, b []float64, n int) *problem {
	pr := &problem{n: n, a: a, b: b, at: dense.Transpose(a, n), bt: dense.Transpose(b, n),
		aa: make([]float64, 2*n*n), z: make([]float64, 2*n*n),
		ad: make([]float64, 2*n*n), zd: make([]float64, 2*n*n)}
	for i := 0; i < n; i++ {
		copy(pr.aa[2*i*n:], a[i*n:(i+1)*n])
		copy(pr.aa[(2*i+1)*n:], pr.at[i*n:(i+1)*n])
	}
	return pr
}

// gradZ sets g to [W₁ | W₁ᵀ]·pr.z.
func (pr *problem) gradZ(g []float64) {
	n := pr.n
	dense.Gemm(g, n, pr.aa, 2*n, 1, pr.z, n, n, n, 2*n, false)
}

// gradPerm sets g to ∇f at the permutation matrix Q (Q[k, q k] = 1):
// W₁ Q W₂ᵀ + W₁ᵀ Q W₂. Row k of Q W₂ᵀ is row q k of W₂ᵀ, so Z is a gather.
func (pr *problem) gradPerm(g []float64, q []int) {
	n := pr.n
	for k, qk := range q {
		copy(pr.z[k*n:(k+1)*n], pr.bt[qk*n:(qk+1)*n])
		copy(pr.z[(n+k)*n:(n+k+1)*n], pr.b[qk*n:(qk+1)*n])
	}
	pr.gradZ(g)
}

// gradVertex updates rather than recomputes when at most n/incrementalMax
// rows moved: m moved rows cost 2mn² multiply-adds against 2n³ for the full
// product, and the full product resets the rounding the updates accumulate.
const incrementalMax = 2

// gradVertex sets g, which holds ∇f at the vertex prev (nil: nothing), to
// ∇f at the vertex q. Moving row k of Q from column o to column c changes
// W₁QW₂ᵀ by W₁[:,k] ⊗ (W₂ᵀ[c,:] − W₂ᵀ[o,:]) and W₁ᵀQW₂ by
// W₁ᵀ[:,k] ⊗ (W₂[c,:] − W₂[o,:]); late FAQ iterations move few rows. The m
// moved rows make one product of inner dimension 2m (columns of W₁ and W₁ᵀ
// interleaved, in increasing k) added to g.
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
	if len(moved) == 0 {
		return
	}
	w := 2 * len(moved)
	for r, k := range moved {
		for i := 0; i < n; i++ {
			pr.ad[i*w+2*r] = pr.a[i*n+k]
			pr.ad[i*w+2*r+1] = pr.at[i*n+k]
		}
		c, o := q[k], prev[k]
		diff(pr.zd[2*r*n:(2*r+1)*n], pr.bt[c*n:(c+1)*n], pr.bt[o*n:(o+1)*n])
		diff(pr.zd[(2*r+1)*n:(2*r+2)*n], pr.b[c*n:(c+1)*n], pr.b[o*n:(o+1)*n])
	}
	dense.Gemm(g, n, pr.ad, w, 1, pr.zd, n, n, n, w, true)
}

// diff sets d = x − y.
func diff(d, x, y []float64) {
	y = y[:len(x)]
	for j, v := range x {
		d[j] = v - y[j]
	}
}

// gradDense sets g to ∇f at a dense P, with Z = [P W₂ᵀ; P W₂] from two
// products.
func (pr *problem) gradDense(g, p []float64) {
	n := pr.n
	dense.Gemm(pr.z, n, p, n, 1, pr.bt, n, n, n, n, false)
	dense.Gemm(pr.z[n*n:], n, p, n, 1, pr.b, n, n, n, n, false)
	pr.gradZ(g)
}

// gradBarycenter sets g to ∇f at J = 11ᵀ/n, which is rank 2:
// (W₁1)(W₂1)ᵀ/n + (W₁ᵀ1)(W₂ᵀ1)ᵀ/n.
func (pr *problem) gradBarycenter(g []float64) {
	n := pr.n
	ra, ca := rowSums(pr.a, n), rowSums(pr.at, n)
	rb, cb := rowSums(pr.b, n), rowSums(pr.bt, n)
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
	var qPrev []int  // the vertex gq currently holds the gradient of
	var vertex []int // the vertex p is exactly, if the last step took α = 0
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
		fp := dense.DotFMA(g, p) / 2
		alpha := lineSearch(fp+fq-x, x-2*fq)
		vertex = nil
		if alpha == 0 {
			vertex = q
		}
		if step := mix(p, q, alpha); step/math.Sqrt(float64(n)) < tol || iter == maxIter {
			break
		}
		pr.gradVertex(gq, q, qPrev)
		qPrev = q
		for k := range g {
			g[k] = float64(alpha*g[k]) + float64((1-alpha)*gq[k])
		}
	}
	if vertex != nil {
		// The maximizing LAP on a permutation matrix returns it: skip it.
		return vertex, iter, nil
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
