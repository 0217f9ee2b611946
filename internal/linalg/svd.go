package linalg

import "math"

// SVD is the workspace for singular values (Values) and, inside Polar's
// fallback, the one-sided Jacobi (Hestenes) decomposition: rotations of
// column pairs until every pair is orthogonal to working precision, the
// column norms then being the singular values. Jacobi's columns are those
// of the thinner side (A or Aᵀ), stored as rows so every inner product runs
// over contiguous memory.
type SVD struct {
	k, l   int       // k vectors of length l, k = min(m, n)
	g      []float64 // k×l: the vectors being orthogonalised
	vt     []float64 // k×k: accumulated rotations (rows are V's columns), when wanted
	sig    []float64 // Jacobi: ‖gᵢ‖ in index order; Values: scratch
	vals   []float64 // descending
	order  []int
	sweeps int
}

// Values returns the min(m, n) singular values of the m×n matrix a in
// descending order. The slice aliases the workspace. They are the positive
// eigenvalues ±σᵢ of the Golub–Kahan tridiagonal of the Householder
// bidiagonal form B, by implicit QL: O(mn²) for the reduction and O(n²)
// after, where Jacobi needs a dozen O(mn²) sweeps. Accuracy is normwise,
// about ε·σ₁ per value, as gonum's (LAPACK's) dgesvd.
func (s *SVD) Values(a []float64, m, n int) ([]float64, error) {
	checkDims(a, m, n)
	if !finite(a) {
		return nil, ErrNotFinite
	}
	k, l := min(m, n), max(m, n)
	s.vals = grow(s.vals, k)
	if k == 0 {
		return s.vals, nil
	}
	s.g = grow(s.g, k*l)
	if m >= n {
		copy(s.g, a)
	} else {
		transposeInto(s.g, a, m, n)
	}
	s.sig = grow(s.sig, 6*k)
	d, e, w, td, te := s.sig[:k], s.sig[k:2*k], s.sig[2*k:3*k], s.sig[2*k:4*k], s.sig[4*k:6*k]
	bidiagonalize(s.g, l, k, d, e, w) // w, td share memory: w is done first
	golubKahan(td, te, d, e)
	if err := tql(td, te); err != nil {
		return nil, err
	}
	s.order = growInt(s.order, 2*k)
	descendingOrder(s.order, td)
	for i := range s.vals {
		s.vals[i] = math.Abs(td[s.order[i]])
	}
	SortDescending(s.vals)
	return s.vals, nil
}

// SortDescending sorts v in place, largest first (insertion sort: no
// allocation, stable, and fast when few entries are out of order).
func SortDescending(v []float64) {
	for i := 1; i < len(v); i++ {
		x := v[i]
		j := i
		for ; j > 0 && v[j-1] < x; j-- {
			v[j] = v[j-1]
		}
		v[j] = x
	}
}

func transposeInto(t, a []float64, m, n int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			t[j*m+i] = a[i*n+j]
		}
	}
}

// load copies the columns of the thinner side of a into g: the columns of a
// when m ≥ n (so g = aᵀ), else its rows (the columns of aᵀ).
func (s *SVD) load(a []float64, m, n int) {
	s.k, s.l = min(m, n), max(m, n)
	s.g = grow(s.g, s.k*s.l)
	if m >= n {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				s.g[j*m+i] = a[i*n+j]
			}
		}
	} else {
		copy(s.g, a)
	}
	s.sig = grow(s.sig, s.k)
	s.vals = grow(s.vals, s.k)
	s.order = growInt(s.order, s.k)
}

// sweep runs cyclic sweeps over the pairs (p, q), p < q, until none needs a
// rotation: |gₚ·g_q| ≤ tol·‖gₚ‖·‖g_q‖ with tol = √l·ε (LAPACK dgesvj's
// criterion). With withV it also rotates the rows of vt, which start as I.
func (s *SVD) sweep(withV bool) error {
	k, l := s.k, s.l
	if withV {
		s.vt = grow(s.vt, k*k)
		for i := range s.vt {
			s.vt[i] = 0
		}
		for i := 0; i < k; i++ {
			s.vt[i*k+i] = 1
		}
	}
	tol := math.Sqrt(float64(l)) * eps
	for s.sweeps = 1; s.sweeps <= maxSweeps; s.sweeps++ {
		rotated := false
		for p := 0; p < k-1; p++ {
			gp := s.g[p*l : (p+1)*l]
			for q := p + 1; q < k; q++ {
				gq := s.g[q*l : (q+1)*l]
				alpha, beta, gamma := dot3(gp, gq)
				if math.Abs(gamma) <= tol*math.Sqrt(alpha)*math.Sqrt(beta) {
					continue
				}
				c, sn := jacobiCS(alpha, beta, gamma)
				rotate(gp, gq, c, sn)
				if withV {
					rotate(s.vt[p*k:(p+1)*k], s.vt[q*k:(q+1)*k], c, sn)
				}
				rotated = true
			}
		}
		if !rotated {
			return nil
		}
	}
	return ErrNoConvergence
}

// jacobiCS is the rotation (c, s) that makes [c·x − s·y] ⟂ [s·x + c·y] for
// ‖x‖² = α, ‖y‖² = β, x·y = γ ≠ 0: t = tan φ, the smaller root of
// t² + 2ζt − 1 = 0 with ζ = (β − α)/(2γ).
func jacobiCS(alpha, beta, gamma float64) (c, s float64) {
	zeta := (beta - alpha) / (2 * gamma)
	t := 1 / (math.Abs(zeta) + math.Sqrt(float64(zeta*zeta)+1))
	if math.Abs(zeta) > 1e150 { // ζ² would overflow; t ≈ 1/(2ζ)
		t = 1 / (2 * math.Abs(zeta))
	}
	if zeta < 0 {
		t = -t
	}
	c = 1 / math.Sqrt(float64(t*t)+1)
	return c, float64(c * t)
}

// norms sets sig to the converged vectors' norms.
func (s *SVD) norms() {
	for i := 0; i < s.k; i++ {
		gi := s.g[i*s.l : (i+1)*s.l]
		s.sig[i] = math.Sqrt(dot(gi, gi))
	}
}
