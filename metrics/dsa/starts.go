package dsa

import (
	"iter"
	"math"
	"strconv"

	"degen/internal/seed"
	"degen/metrics/internal/dense"
)

// startsKey seeds the random starts. It is fixed, so every comparison of
// n×n operators starts from the same matrices and a distance depends only
// on the two operators.
const startsKey = "metrics/dsa: random orthogonal starts"

// starts yields the ascent's starting points, best-first by expected
// value: the spectral alignment of the symmetric parts, the identity, the
// reflection diag(−1, 1, …, 1) (the Cayley curve never changes det C, so
// both components of O(n) need a start), then k Haar-random orthogonal
// matrices. ua holds the eigenvectors of sym(a) (symEigenvectors). Each
// start is made when asked for: a search that stops early (a
// copy or conjugate, found from the spectral start) makes no random ones.
func starts(a, b, ua []float64, n, k int) iter.Seq2[int, []float64] {
	return func(yield func(int, []float64) bool) {
		if !yield(0, symmetricAlignment(a, b, ua, n)) {
			return
		}
		id := make([]float64, n*n)
		identity(id, n)
		if !yield(1, id) {
			return
		}
		ref := make([]float64, n*n)
		identity(ref, n)
		ref[0] = -1
		if !yield(2, ref) {
			return
		}
		rng := seed.New(startsKey, strconv.Itoa(n))
		for i := range k {
			if !yield(3+i, randomOrthogonal(rng.NormFloat64, n)) {
				return
			}
		}
	}
}

// randomOrthogonal returns the Q of a Gaussian matrix's QR with R's diagonal
// positive, which is Haar-distributed on O(n). Gram–Schmidt is run twice
// per column for orthogonality to rounding level.
func randomOrthogonal(normal func() float64, n int) []float64 {
	q := make([]float64, n*n) // columns stored as rows: q[j*n:] is column j
	for i := range q {
		q[i] = normal()
	}
	for j := 0; j < n; j++ {
		qj := q[j*n : j*n+n]
		for range 2 {
			for i := 0; i < j; i++ {
				qi := q[i*n : i*n+n]
				dense.AxpyFMA(-dot(qi, qj), qi, qj)
			}
		}
		inv := 1 / math.Sqrt(frob2(qj))
		for t := range qj {
			qj[t] *= inv
		}
	}
	c := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			c[i*n+j] = q[j*n+i]
		}
	}
	return c
}

// symmetricAlignment is a data-driven start. The symmetric parts satisfy
// sym(C B Cᵀ) = C sym(B) Cᵀ, and for conjugate operators B = Qᵀ A Q their
// eigenbases Ua, Ub (both in descending order, as the Hoffman–Wielandt
// pairing wants) give Qᵀ = Ua D Ubᵀ for some signs D. With Ã = Uaᵀ A Ua,
// B̃ = Ubᵀ B Ub, g(Ua D Ubᵀ) = Σ_ij Ã_ij B̃_ij d_i d_j, so the signs come
// from a binary quadratic: the sign pattern of its leading eigenvector,
// then single flips while they gain.
func symmetricAlignment(a, b, ua []float64, n int) []float64 {
	ub := symEigenvectors(b, n)
	at := conjugateBy(a, ua, n)
	bt := conjugateBy(b, ub, n)
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			x := 0.5 * (float64(at[i*n+j]*bt[i*n+j]) + float64(at[j*n+i]*bt[j*n+i]))
			m[i*n+j], m[j*n+i] = x, x
		}
	}
	d := signs(m, n)
	// C = Ua D Ubᵀ.
	uad := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for k := 0; k < n; k++ {
			uad[i*n+k] = ua[i*n+k] * d[k]
		}
	}
	ubt := make([]float64, n*n)
	transpose(ubt, ub, n)
	c := make([]float64, n*n)
	mul(c, uad, ubt, n)
	return c
}

// symEigenvectors returns the eigenvectors of sym(a) as the columns of an
// n×n row-major matrix, by descending eigenvalue (the identity if the
// eigenvalues do not converge).
func symEigenvectors(a []float64, n int) []float64 {
	s := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s[i*n+j] = 0.5 * (a[i*n+j] + a[j*n+i])
		}
	}
	es, err := newSymEigen(s, n)
	if err != nil {
		identity(s, n)
		return s
	}
	return es.vectors(n)
}

// conjugateBy returns uᵀ a u.
func conjugateBy(a, u []float64, n int) []float64 {
	t := make([]float64, n*n)
	out := make([]float64, n*n)
	mul(t, a, u, n)
	mulAT(out, u, t, n)
	return out
}

// signs approximately maximises dᵀ m d over d ∈ {±1}ⁿ for symmetric m.
func signs(m []float64, n int) []float64 {
	d := make([]float64, n)
	v := symEigenvectors(m, n)
	for i := range d {
		d[i] = 1
		if v[i*n] < 0 {
			d[i] = -1
		}
	}
	for pass := 0; pass < n; pass++ {
		flipped := false
		for i := 0; i < n; i++ {
			// Flipping d_i changes dᵀmd by −4 d_i Σ_{j≠i} m_ij d_j.
			s := 0.0
			for j := 0; j < n; j++ {
				if j != i {
					s += float64(m[i*n+j] * d[j])
				}
			}
			if d[i]*s < 0 {
				d[i] = -d[i]
				flipped = true
			}
		}
		if !flipped {
			break
		}
	}
	return d
}
