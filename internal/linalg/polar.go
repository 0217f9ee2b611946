package linalg

import "math"

// Newton iteration limits (Higham, Functions of Matrices, §8.6 and §8.9):
// scaling stops once the relative step is below scaleOff, where it no longer
// speeds convergence, and the iteration stops once the step is below
// newtonTol: convergence is quadratic, so the error after that step is about
// newtonTol²/2, below rounding. With (Frobenius-)scaling Newton needs about
// 9 steps even at κ(W) = 10¹⁶; maxNewton leaves ample room before the
// Jacobi fallback.
const (
	scaleOff  = 1e-2
	newtonTol = 1e-8
	maxNewton = 30
)

// Polar is the workspace of the polar decomposition W = P·H of a square W
// (see the package doc): P = U Vᵀ and ‖W‖_* = tr(Pᵀ W).
type Polar struct {
	n        int
	x, y, lu []float64 // iterate, next iterate, LU factors
	z        []float64 // inverse
	perm     []int
	svd      SVD
	nuclear  float64
	iters    int
	fallback bool
}

// Factorize computes the polar factor of the n×n matrix w. Only a
// non-finite entry is an error (ErrNotFinite), or, in the fallback, a
// Jacobi sweep limit that finite input does not reach.
func (p *Polar) Factorize(w []float64, n int) error {
	checkDims(w, n, n)
	if !finite(w) {
		return ErrNotFinite
	}
	p.setup(n)
	copy(p.x, w)
	p.fallback = false
	if !p.newton() {
		p.fallback = true
		if err := p.jacobi(w); err != nil {
			return err
		}
	}
	p.nuclear = dot(p.x, w)
	return nil
}

// Factor is P (n×n row-major), aliasing the workspace.
func (p *Polar) Factor() []float64 { return p.x }

// Nuclear is ‖W‖_* = Σσᵢ = tr(Pᵀ W), summed in row-major order.
func (p *Polar) Nuclear() float64 { return p.nuclear }

// Iterations is the number of Newton steps the last Factorize took, and
// Fallback whether it finished with one-sided Jacobi instead.
func (p *Polar) Iterations() int { return p.iters }
func (p *Polar) Fallback() bool  { return p.fallback }

func (p *Polar) setup(n int) {
	p.n = n
	p.x = grow(p.x, n*n)
	p.y = grow(p.y, n*n)
	p.lu = grow(p.lu, n*n)
	p.z = grow(p.z, n*n)
	p.perm = growInt(p.perm, n)
}

// newton runs X ← (ζX + X⁻ᵀ/ζ)/2 with ζ = (‖X⁻¹‖_F/‖X‖_F)^½ until the
// relative step is below newtonTol. It reports false for a numerically
// singular W: a zero pivot, κ_F(W) = ‖W‖_F·‖W⁻¹‖_F > 1/(n·ε) (the Jacobi
// fallback's rank tolerance, so the two paths agree on what is singular), or
// no convergence.
func (p *Polar) newton() bool {
	n := p.n
	scaled := true
	for p.iters = 1; p.iters <= maxNewton; p.iters++ {
		copy(p.lu, p.x)
		if !luInverse(p.lu, p.z, p.perm, n) {
			return false
		}
		zeta := 1.0
		if scaled {
			nx, nz := frob(p.x), frob(p.z)
			if p.iters == 1 && !(nx*nz <= 1/(float64(n)*eps)) {
				return false // numerically singular: κ_F(W) > 1/(n·ε)
			}
			zeta = math.Sqrt(nz / nx)
		}
		step := p.newtonStep(zeta)
		if !(step <= math.MaxFloat64) {
			return false
		}
		p.x, p.y = p.y, p.x
		if step < scaleOff {
			scaled = false
		}
		if step <= newtonTol {
			return true
		}
	}
	return false
}

// newtonStep writes the next iterate into y and returns ‖Y − X‖_F/‖Y‖_F.
// X⁻ᵀ[perm[k]][c] = X⁻¹[c][perm[k]] = z[c][k] (see luInverse).
func (p *Polar) newtonStep(zeta float64) float64 {
	n, x, y, z := p.n, p.x, p.y, p.z
	inv := 1 / zeta
	var d2, y2 float64
	for k, r := range p.perm[:n] {
		for c := 0; c < n; c++ {
			old := x[r*n+c]
			v := 0.5 * (float64(zeta*old) + float64(inv*z[c*n+k]))
			y[r*n+c] = v
			d2 += float64((v - old) * (v - old))
			y2 += float64(v * v)
		}
	}
	return math.Sqrt(d2 / y2)
}

// jacobi sets x = Σ_{σᵢ > n·ε·σ₁} uᵢ vᵢᵀ from the one-sided Jacobi SVD of
// w, whose converged vectors gᵢ = σᵢuᵢ are the columns of W·V.
func (p *Polar) jacobi(w []float64) error {
	n, s := p.n, &p.svd
	s.load(w, n, n)
	if err := s.sweep(true); err != nil {
		return err
	}
	s.norms()
	var top float64
	for _, v := range s.sig {
		top = max(top, v)
	}
	tol := float64(n) * eps * top
	for i := range p.x {
		p.x[i] = 0
	}
	for i := 0; i < n; i++ {
		if !(s.sig[i] > tol) {
			continue
		}
		gi, vi := s.g[i*n:(i+1)*n], s.vt[i*n:(i+1)*n]
		for r := 0; r < n; r++ {
			subScaled(p.x[r*n:(r+1)*n], vi, -(gi[r] / s.sig[i]))
		}
	}
	return nil
}
