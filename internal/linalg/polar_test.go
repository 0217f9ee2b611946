package linalg

import (
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

// checkPolar verifies PᵀP = I (on the numerical range for a singular w),
// P·H = W with H = PᵀW symmetric PSD, and tr(Pᵀ W) = Σσ from gonum.
func checkPolar(t *testing.T, p *Polar, w []float64, n int) {
	t.Helper()
	pf := p.Factor()
	h := mul(transpose(pf, n, n), w, n, n, n)
	scale := maxAbs(w)
	if d := maxAbsDiff(h, transpose(h, n, n)) / scale; d > 1e-12 {
		t.Errorf("H = PᵀW is not symmetric: ‖H − Hᵀ‖/‖W‖ = %g", d)
	}
	var e SymEigen
	if err := e.Factorize(h, n); err != nil {
		t.Fatal(err)
	}
	if low := e.Values()[n-1]; low < -1e-12*scale*float64(n) {
		t.Errorf("H has eigenvalue %g < 0", low)
	}
	if d := maxAbsDiff(mul(pf, h, n, n, n), w) / scale; d > 1e-12 {
		t.Errorf("‖P·H − W‖/‖W‖ = %g, want ≤ 1e-12", d)
	}
	var g mat.SVD
	g.Factorize(mat.NewDense(n, n, w), mat.SVDNone)
	var want float64
	for _, s := range g.Values(nil) {
		want += s
	}
	if d := math.Abs(p.Nuclear() - want); d > 1e-12*want {
		t.Errorf("nuclear = %.17g, gonum Σσ = %.17g", p.Nuclear(), want)
	}
}

func TestPolarNewton(t *testing.T) {
	rng := seed.New("linalg", "polar")
	tests := []struct {
		name string
		n    int
		w    []float64
	}{
		{"1x1 negative", 1, []float64{-3}},
		{"gaussian 5", 5, gaussian(5, 5, "p5")},
		{"gaussian 64", 64, gaussian(64, 64, "p64")},
		{"gaussian 256", 256, gaussian(256, 256, "p256")},
		{"orthogonal", 10, orthogonal(10, rng)},
		{"κ = 1e12", 6, withSpectrum([]float64{1, 0.3, 1e-2, 1e-5, 1e-9, 1e-12}, false, rng)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && tc.n > 100 {
				t.Skip("large")
			}
			var p Polar
			if err := p.Factorize(tc.w, tc.n); err != nil {
				t.Fatal(err)
			}
			if p.Fallback() {
				t.Errorf("fell back to Jacobi on a nonsingular matrix")
			}
			if got := orthoErr(p.Factor(), tc.n); got > 1e-12 {
				t.Errorf("‖PᵀP − I‖_max = %g, want ≤ 1e-12", got)
			}
			checkPolar(t, &p, tc.w, tc.n)
			t.Logf("%d Newton steps", p.Iterations())
		})
	}
}

// TestPolarSingular: a rank-deficient W takes the Jacobi fallback and gets
// P = U_r V_rᵀ: PᵀP is the projector onto the row space (rank r, trace r).
func TestPolarSingular(t *testing.T) {
	tests := []struct {
		name    string
		n, rank int
		w       []float64
	}{
		{"zero", 4, 0, make([]float64, 16)},
		{"rank 1", 3, 1, []float64{1, 2, 3, 2, 4, 6, -1, -2, -3}},
		{"rank 3 of 6", 6, 3, mul(gaussian(6, 3, "s6a"), gaussian(3, 6, "s6b"), 6, 3, 6)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Polar
			if err := p.Factorize(tc.w, tc.n); err != nil {
				t.Fatal(err)
			}
			n := tc.n
			pf := p.Factor()
			ptp := mul(transpose(pf, n, n), pf, n, n, n)
			if d := maxAbsDiff(mul(ptp, ptp, n, n, n), ptp); d > 1e-12 {
				t.Errorf("PᵀP is not a projector: ‖(PᵀP)² − PᵀP‖ = %g", d)
			}
			var tr float64
			for i := 0; i < n; i++ {
				tr += ptp[i*n+i]
			}
			if math.Abs(tr-float64(tc.rank)) > 1e-12 {
				t.Errorf("tr(PᵀP) = %g, want rank %d", tr, tc.rank)
			}
			if tc.rank > 0 {
				checkPolar(t, &p, tc.w, n)
			} else if p.Nuclear() != 0 || maxAbs(pf) != 0 {
				t.Errorf("zero W: nuclear %g, ‖P‖ %g, want 0", p.Nuclear(), maxAbs(pf))
			}
			t.Logf("fallback %v after %d Newton steps", p.Fallback(), p.Iterations())
		})
	}
}

// TestPolarGradient: ‖W‖_* is differentiable at a full-rank W with gradient
// P; central differences agree.
func TestPolarGradient(t *testing.T) {
	const n, h = 6, 1e-6
	w := gaussian(n, n, "grad")
	var p Polar
	if err := p.Factorize(w, n); err != nil {
		t.Fatal(err)
	}
	grad := append([]float64(nil), p.Factor()...)
	for i := range w {
		orig := w[i]
		w[i] = orig + h
		p.Factorize(w, n)
		fp := p.Nuclear()
		w[i] = orig - h
		p.Factorize(w, n)
		fm := p.Nuclear()
		w[i] = orig
		if d := math.Abs((fp-fm)/(2*h) - grad[i]); d > 1e-8 {
			t.Errorf("entry %d: finite difference %.12g, P %.12g", i, (fp-fm)/(2*h), grad[i])
		}
	}
}

func TestPolarErrors(t *testing.T) {
	var p Polar
	if err := p.Factorize([]float64{1, math.Inf(1), 0, 1}, 2); err != ErrNotFinite {
		t.Errorf("Inf: err = %v, want ErrNotFinite", err)
	}
}

func TestPolarAllocatesNothing(t *testing.T) {
	for _, n := range []int{8, 64} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			w := gaussian(n, n, "alloc")
			var p Polar
			p.Factorize(w, n)
			if got := testing.AllocsPerRun(5, func() { p.Factorize(w, n) }); got != 0 {
				t.Errorf("allocations = %v, want 0", got)
			}
		})
	}
}
