package dsa

import (
	"math"
	"strconv"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

// startsKey seeds the random starts. It is fixed, so every comparison of
// n×n operators starts from the same matrices and a distance depends only
// on the two operators.
const startsKey = "metrics/dsa: random orthogonal starts"

// starts returns the ascent's starting points, best-first by expected
// value: the spectral alignment of the symmetric parts, the identity, the
// reflection diag(−1, 1, …, 1) (the Cayley curve never changes det C, so
// both components of O(n) need a start), then k Haar-random orthogonal
// matrices.
func starts(a, b []float64, n, k int) [][]float64 {
	out := [][]float64{symmetricAlignment(a, b, n)}
	id := make([]float64, n*n)
	identity(id, n)
	ref := make([]float64, n*n)
	identity(ref, n)
	ref[0] = -1
	out = append(out, id, ref)
	rng := seed.New(startsKey, strconv.Itoa(n))
	for range k {
		out = append(out, randomOrthogonal(rng.NormFloat64, n))
	}
	return out
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
				d := dot(qi, qj)
				for t := range qj {
					qj[t] -= float64(d * qi[t])
				}
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
// eigenbases Ua, Ub (ascending, as the Hoffman–Wielandt pairing wants) give
// Qᵀ = Ua D Ubᵀ for some signs D. With Ã = Uaᵀ A Ua, B̃ = Ubᵀ B Ub,
// g(Ua D Ubᵀ) = Σ_ij Ã_ij B̃_ij d_i d_j, so the signs come from a binary
// quadratic: the sign pattern of its leading eigenvector, then single flips
// while they gain.
func symmetricAlignment(a, b []float64, n int) []float64 {
	ua := symEigenvectors(a, n)
	ub := symEigenvectors(b, n)
	at := conjugateBy(a, ua, n)
	bt := conjugateBy(b, ub, n)
	m := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			m.SetSym(i, j, 0.5*(float64(at[i*n+j]*bt[i*n+j])+float64(at[j*n+i]*bt[j*n+i])))
		}
	}
	d := signs(m, n)
	c := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += float64(ua.At(i, k)*d[k]) * ub.At(j, k)
			}
			c[i*n+j] = s
		}
	}
	return c
}

func symEigenvectors(a []float64, n int) *mat.Dense {
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, 0.5*(a[i*n+j]+a[j*n+i]))
		}
	}
	var es mat.EigenSym
	u := mat.NewDense(n, n, nil)
	if !es.Factorize(s, true) {
		identity(u.RawMatrix().Data, n)
		return u
	}
	es.VectorsTo(u)
	return u
}

// conjugateBy returns uᵀ a u.
func conjugateBy(a []float64, u *mat.Dense, n int) []float64 {
	ud := make([]float64, n*n)
	copy(ud, u.RawMatrix().Data)
	t := make([]float64, n*n)
	out := make([]float64, n*n)
	mul(t, a, ud, n)
	mulAT(out, ud, t, n)
	return out
}

// signs approximately maximises dᵀ m d over d ∈ {±1}ⁿ.
func signs(m *mat.SymDense, n int) []float64 {
	d := make([]float64, n)
	var es mat.EigenSym
	if es.Factorize(m, true) {
		var v mat.Dense
		es.VectorsTo(&v)
		for i := range d {
			d[i] = 1
			if v.At(i, n-1) < 0 {
				d[i] = -1
			}
		}
	} else {
		for i := range d {
			d[i] = 1
		}
	}
	for pass := 0; pass < n; pass++ {
		flipped := false
		for i := 0; i < n; i++ {
			// Flipping d_i changes dᵀmd by −4 d_i Σ_{j≠i} m_ij d_j.
			s := 0.0
			for j := 0; j < n; j++ {
				if j != i {
					s += float64(m.At(i, j) * d[j])
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
