package linalg

import (
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

func TestSymEigenIdentities(t *testing.T) {
	rng := seed.New("linalg", "symeig")
	tests := []struct {
		name string
		n    int
		a    []float64
	}{
		{"1x1", 1, []float64{-3}},
		{"diagonal", 3, []float64{1, 0, 0, 0, 5, 0, 0, 0, -2}},
		{"zero", 4, make([]float64, 16)},
		{"gaussian 7", 7, symmetric(7, "sym7")},
		{"gaussian 64", 64, symmetric(64, "sym64")},
		{"repeated", 6, withSpectrum([]float64{2, 2, 2, -1, -1, 0}, true, rng)},
		{"graded", 8, withSpectrum([]float64{1e8, 1e4, 1, 1e-4, -1e-8, 3, 3e-12, 0}, true, rng)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e SymEigen
			if err := e.Factorize(tc.a, tc.n); err != nil {
				t.Fatal(err)
			}
			n, vals, v := tc.n, e.Values(), e.Vectors()
			scale := math.Max(maxAbs(tc.a), 1e-300)
			if got := orthoErr(v, n); got > 1e-12 {
				t.Errorf("‖VᵀV − I‖_max = %g, want ≤ 1e-12", got)
			}
			vl := make([]float64, n*n)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					vl[i*n+j] = v[i*n+j] * vals[j]
				}
			}
			if got := maxAbsDiff(mul(vl, transpose(v, n, n), n, n, n), tc.a) / scale; got > 1e-12 {
				t.Errorf("‖VΛVᵀ − A‖_max/‖A‖_max = %g, want ≤ 1e-12", got)
			}
			for j := 1; j < n; j++ {
				if vals[j] > vals[j-1] {
					t.Errorf("values not descending at %d: %g > %g", j, vals[j], vals[j-1])
				}
			}
			for j := 0; j < n; j++ {
				if s := columnSign(v, n, j); s != 1 {
					t.Errorf("column %d: largest entry is negative", j)
				}
			}
			t.Logf("%d sweeps", e.Sweeps())
		})
	}
}

// TestSymEigenMatchesGonum compares eigenvalues with gonum's EigenSym to
// 1e-12 of the spectral radius.
func TestSymEigenMatchesGonum(t *testing.T) {
	for _, n := range []int{2, 5, 30, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a := symmetric(n, "gonum", fmt.Sprint(n))
			var e SymEigen
			if err := e.Factorize(a, n); err != nil {
				t.Fatal(err)
			}
			var es mat.EigenSym
			if !es.Factorize(mat.NewSymDense(n, a), false) {
				t.Fatal("gonum did not converge")
			}
			want := es.Values(nil) // ascending
			got := e.Values()
			radius := math.Max(math.Abs(want[0]), math.Abs(want[n-1]))
			for i := range got {
				if d := math.Abs(got[i] - want[n-1-i]); d > 1e-12*radius {
					t.Errorf("λ%d = %.17g, gonum %.17g", i, got[i], want[n-1-i])
				}
			}
		})
	}
}

func TestSymEigenErrors(t *testing.T) {
	var e SymEigen
	if err := e.Factorize([]float64{1, math.NaN(), math.NaN(), 1}, 2); err != ErrNotFinite {
		t.Errorf("NaN: err = %v, want ErrNotFinite", err)
	}
}
