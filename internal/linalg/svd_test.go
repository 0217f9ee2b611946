package linalg

import (
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

// TestSingularValuesMatchGonum: each value within 1e-10 relative of gonum's
// (of σ₁ for values below 1e-4·σ₁, where gonum's own bidiagonalisation
// guarantees only normwise accuracy).
func TestSingularValuesMatchGonum(t *testing.T) {
	rng := seed.New("linalg", "svd")
	graded := []float64{1e3, 10, 1, 0.5, 1e-2, 1e-5, 1e-9, 0}
	tests := []struct {
		name string
		m, n int
		a    []float64
	}{
		{"1x1", 1, 1, []float64{-2}},
		{"row", 1, 5, gaussian(1, 5, "row")},
		{"col", 6, 1, gaussian(6, 1, "col")},
		{"tall", 40, 7, gaussian(40, 7, "tall")},
		{"wide", 9, 31, gaussian(9, 31, "wide")},
		{"square 64", 64, 64, gaussian(64, 64, "sq64")},
		{"square 128", 128, 128, gaussian(128, 128, "sq128")},
		{"graded", 8, 8, withSpectrum(graded, false, rng)},
		{"rank 2", 5, 4, mul(gaussian(5, 2, "r2a"), gaussian(2, 4, "r2b"), 5, 2, 4)},
		{"zero", 3, 2, make([]float64, 6)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s SVD
			got, err := s.Values(tc.a, tc.m, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			var g mat.SVD
			if !g.Factorize(mat.NewDense(tc.m, tc.n, tc.a), mat.SVDNone) {
				t.Fatal("gonum did not converge")
			}
			want := g.Values(nil)
			if len(got) != len(want) {
				t.Fatalf("%d values, want %d", len(got), len(want))
			}
			for i := range got {
				scale := want[i]
				if want[i] < 1e-4*want[0] {
					scale = want[0]
				}
				if d := math.Abs(got[i] - want[i]); d > 1e-10*scale {
					t.Errorf("σ%d = %.17g, gonum %.17g", i, got[i], want[i])
				}
			}
		})
	}
}

// TestSingularValuesKnown checks an exact spectrum spanning 10⁷ (values
// below σ₁ are accurate to ε·σ₁, so 1e-7 to about 1e-9 relative).
func TestSingularValuesKnown(t *testing.T) {
	rng := seed.New("linalg", "svd-known")
	want := []float64{4, 3, 1, 1e-3, 1e-7}
	a := withSpectrum(want, false, rng)
	var s SVD
	got, err := s.Values(a, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if d := math.Abs(got[i]-want[i]) / want[i]; d > 1e-8 {
			t.Errorf("σ%d = %.17g, want %g (rel err %.2g)", i, got[i], want[i], d)
		}
	}
}

func TestSingularValuesEmpty(t *testing.T) {
	var s SVD
	if got, err := s.Values(nil, 0, 3); err != nil || len(got) != 0 {
		t.Errorf("0×3: got %v, %v, want no values", got, err)
	}
}

func TestSVDReuse(t *testing.T) {
	var s SVD
	for _, n := range []int{12, 3, 12} {
		a := gaussian(n, n+2, "reuse", fmt.Sprint(n))
		first, _ := s.Values(a, n, n+2)
		first = append([]float64(nil), first...)
		var fresh SVD
		again, _ := fresh.Values(a, n, n+2)
		for i := range first {
			if math.Float64bits(first[i]) != math.Float64bits(again[i]) {
				t.Fatalf("n=%d σ%d: reused workspace %v, fresh %v", n, i, first[i], again[i])
			}
		}
	}
}

// TestSingularValuesDiagonalExact: a diagonal matrix's values come back as
// the exact |entries|; rep's self-comparison angle relies on it.
func TestSingularValuesDiagonalExact(t *testing.T) {
	a := []float64{
		2, 0, 0,
		0, -0.1, 0,
		0, 0, 3,
		0, 0, 0,
	}
	var s SVD
	got, err := s.Values(a, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{3, 2, 0.1}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("σ%d = %.17g, want %g exactly", i, got[i], want[i])
		}
	}
}
