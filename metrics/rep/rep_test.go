package rep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

var (
	t4X  = mat.NewDense(4, 2, []float64{1, 0, 0, 1, -1, 0, 0, -1})
	t4Y  = mat.NewDense(4, 2, []float64{2, 0, 0, 1, -2, 0, 0, -1})
	t4Y3 = mat.NewDense(4, 3, []float64{2, 0, 1, 0, 1, 0, -2, 0, -1, 0, -1, 0})
)

func TestCompareReference(t *testing.T) {
	tests := []struct {
		name                string
		x, y                mat.Matrix
		angular, euclid, ck float64
	}{
		{"T4", t4X, t4Y, 0.321750554397, 1.414213562373, 0.857492925713},
		{"T4 zero-padded", t4X, t4Y3, 0.364863828113, 1.748064097795, 0.832050294338},
		{"self", t4X, t4X, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compare(tc.x, tc.y)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.Angular-tc.angular) > 1e-11 {
				t.Errorf("Angular = %.12f, want %.12f", got.Angular, tc.angular)
			}
			if math.Abs(got.Euclidean-tc.euclid) > 1e-11 {
				t.Errorf("Euclidean = %.12f, want %.12f", got.Euclidean, tc.euclid)
			}
			if math.Abs(got.CKA-tc.ck) > 1e-11 {
				t.Errorf("CKA = %.12f, want %.12f", got.CKA, tc.ck)
			}
		})
	}
}

// TestInvariance: rotation, isotropic scaling and a per-unit offset leave
// the angle at 0 and CKA at 1 (T4 and netrep's own tests).
func TestInvariance(t *testing.T) {
	rng := seed.New("rep", "invariance")
	for _, n := range []int{2, 5, 16} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			x := randDense(rng, 60, n)
			y := mat.NewDense(60, n, nil)
			y.Mul(x, randOrthogonal(rng, n))
			y.Scale(3.7, y)
			for i := 0; i < 60; i++ {
				for j := 0; j < n; j++ {
					y.Set(i, j, y.At(i, j)+float64(j)-2.5)
				}
			}
			got, err := Compare(x, y)
			if err != nil {
				t.Fatal(err)
			}
			if got.Angular > 1e-6 {
				t.Errorf("Angular = %v, want 0", got.Angular)
			}
			if math.Abs(got.CKA-1) > 1e-12 {
				t.Errorf("CKA = %v, want 1", got.CKA)
			}
		})
	}
}

func TestMetricAxioms(t *testing.T) {
	rng := seed.New("rep", "axioms")
	for k := 0; k < 30; k++ {
		n := 1 + k%6
		x, y, z := randDense(rng, 20, n), randDense(rng, 20, n+k%3), randDense(rng, 20, n)
		xy, yx, xz, yz := mustCompare(t, x, y), mustCompare(t, y, x), mustCompare(t, x, z), mustCompare(t, y, z)
		if math.Abs(xy.Angular-yx.Angular) > 1e-12 || math.Abs(xy.CKA-yx.CKA) > 1e-12 {
			t.Errorf("case %d: not symmetric: %+v vs %+v", k, xy, yx)
		}
		if xz.Angular > xy.Angular+yz.Angular+1e-12 {
			t.Errorf("case %d: triangle: d(x,z) = %v > d(x,y) + d(y,z) = %v", k, xz.Angular, xy.Angular+yz.Angular)
		}
		if xy.CKA < 0 || xy.CKA > 1+1e-12 || xy.Angular < 0 || xy.Angular > math.Pi/2+1e-12 {
			t.Errorf("case %d: out of range: %+v", k, xy)
		}
	}
}

func TestCorrelation(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 5, 2, 5, 3, 5, 4, 5}) // unit 1 constant
	y := mat.NewDense(4, 2, []float64{-2, 1, -4, 2, -6, 3, -8, 4})
	a, _ := NewProbe(x)
	b, _ := NewProbe(y)
	cross, err := Cross(a, b)
	if err != nil {
		t.Fatal(err)
	}
	got := Correlation(a, b, cross)
	want := mat.NewDense(2, 2, []float64{-1, 1, 0, 0})
	if !mat.EqualApprox(got, want, 1e-12) {
		t.Errorf("Correlation = %v, want %v", mat.Formatted(got), mat.Formatted(want))
	}
}

func TestErrors(t *testing.T) {
	constant := mat.NewDense(3, 2, []float64{1, 2, 1, 2, 1, 2})
	if _, err := Compare(constant, t4X.Slice(0, 3, 0, 2)); !errors.Is(err, ErrDegenerate) {
		t.Errorf("constant probe: err = %v, want ErrDegenerate", err)
	}
	if _, err := Compare(t4X, t4X.Slice(0, 3, 0, 2)); err == nil {
		t.Error("unequal samples: got nil error")
	}
	if _, err := NewProbe(mat.NewDense(2, 1, []float64{math.NaN(), 1})); err == nil {
		t.Error("NaN: got nil error")
	}
}

func mustCompare(t *testing.T, x, y mat.Matrix) Result {
	t.Helper()
	r, err := Compare(x, y)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func randDense(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

func randOrthogonal(rng *rand.Rand, n int) *mat.Dense {
	var qr mat.QR
	qr.Factorize(randDense(rng, n, n))
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

func BenchmarkCompare(b *testing.B) {
	rng := seed.New("rep", "bench")
	x, y := randDense(rng, 3200, 128), randDense(rng, 3200, 128)
	pa, _ := NewProbe(x)
	pb, _ := NewProbe(y)
	b.ResetTimer()
	for b.Loop() {
		cross, _ := Cross(pa, pb)
		if _, err := FromCross(pa, pb, cross); err != nil {
			b.Fatal(err)
		}
	}
}
