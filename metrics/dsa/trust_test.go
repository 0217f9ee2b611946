package dsa

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestHessian checks hv against the objective along the Cayley curve:
// f(τ) = g(Cay(τY)·C) has f'(0) = wᵀy and f”(0) = yᵀHy (Cayley agrees
// with exp to second order), and H is symmetric, at random points (not
// critical ones, where the ½[Y, W] term matters).
func TestHessian(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	for _, n := range []int{2, 5, 12} {
		a, _ := unitPadded(randomMatrix(r, n), n)
		b, _ := unitPadded(randomMatrix(r, n), n)
		s := newAscent(a, b, n)
		copy(s.c, randomOrthogonal(r.NormFloat64, n))
		s.refresh()
		s.hessianSetup()
		np := n * (n - 1) / 2
		y, z := make([]float64, np), make([]float64, np)
		for i := range y {
			y[i], z[i] = r.NormFloat64(), r.NormFloat64()
		}
		hy, hz := make([]float64, np), make([]float64, np)
		s.hv(hy, y)
		s.hv(hz, z)
		if got, want := dot(y, hz), dot(z, hy); math.Abs(got-want) > 1e-13 {
			t.Errorf("n=%d: yᵀHz = %.15g, zᵀHy = %.15g", n, got, want)
		}
		// The preconditioner is |H_kk| up to one scale (and a floor).
		diag := make([]float64, np)
		e := make([]float64, np)
		sum := 0.0
		for k := range e {
			clear(e)
			e[k] = 1
			s.hv(hy, e)
			diag[k] = math.Abs(hy[k])
			sum += diag[k]
		}
		mean := sum / float64(np)
		for k, d := range diag {
			if got, want := mean/s.pinv[k], math.Max(d, precFloor*mean); math.Abs(got-want) > 1e-12 {
				t.Errorf("n=%d: preconditioner %d: %.15g, |H_kk| %.15g", n, k, got, want)
			}
		}
		s.hv(hy, y)
		f := func(tau float64) float64 {
			unpackSkew(s.d, n, y, n, 1)
			s.cayley(tau)
			return s.evalP(s.np, s.nc)
		}
		const h = 1e-4
		fp, fm := f(h), f(-h)
		if got, want := (fp-fm)/(2*h), dot(s.w, y); math.Abs(got-want) > 1e-6 {
			t.Errorf("n=%d: f'(0) by differences %.10g, wᵀy %.10g", n, got, want)
		}
		if got, want := (fp-2*s.g+fm)/(h*h), dot(y, hy); math.Abs(got-want) > 1e-5 {
			t.Errorf("n=%d: f''(0) by differences %.10g, yᵀHy %.10g", n, got, want)
		}
	}
}
