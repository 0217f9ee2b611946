package stats

import (
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

func TestSummaries(t *testing.T) {
	x := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	mean, se := MeanSE(x)
	if mean != 5 {
		t.Errorf("mean = %v, want 5", mean)
	}
	if want := math.Sqrt(32.0/7) / math.Sqrt(8); math.Abs(se-want) > 1e-15 {
		t.Errorf("se = %v, want %v", se, want)
	}
	if got := PopSD(x); got != 2 {
		t.Errorf("PopSD = %v, want 2", got)
	}
	if m, s := MeanSE([]float64{3}); m != 3 || !math.IsNaN(s) {
		t.Errorf("MeanSE of one value = %v, %v; want 3, NaN", m, s)
	}
	if m, s := MeanSE(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("MeanSE(nil) = %v, %v; want NaN, NaN", m, s)
	}
}

func TestBehavior(t *testing.T) {
	ood := []float64{1, 100, 3, 5, 7}
	conv := []bool{true, false, true, true, true}
	sigma, mean, n := Behavior(ood, conv)
	if n != 4 || mean != 4 || sigma != math.Sqrt(5) {
		t.Errorf("Behavior = %v, %v, %v; want √5, 4, 4", sigma, mean, n)
	}
	if _, _, n := Behavior(ood, []bool{true}); n != 1 {
		t.Errorf("short flags: n = %d, want 1", n)
	}
}

func TestQuantile(t *testing.T) {
	s := []float64{1, 2, 3, 4}
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {0.25, 1.75}, {0.5, 2.5}, {1, 4}} {
		if got := Quantile(s, tc.q); got != tc.want {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestPairMean(t *testing.T) {
	d := func(i, j int) float64 { return float64(i + j) }
	stat := PairMean(d)
	// draws 0,0,2,3: pairs (0,2)=2 twice, (0,3)=3 twice, (2,3)=5; (0,0) skipped.
	if got, want := stat([]int{0, 0, 2, 3}), (2+3+2+3+5)/5.0; got != want {
		t.Errorf("PairMean = %v, want %v", got, want)
	}
	if got := stat([]int{1, 1}); !math.IsNaN(got) {
		t.Errorf("PairMean of one network = %v, want NaN", got)
	}
}

func TestBootstrapCI(t *testing.T) {
	rng := seed.New("stats", "bootstrap")
	x := make([]float64, 50)
	for i := range x {
		x[i] = 10 + rng.NormFloat64()
	}
	lo, hi := BootstrapCI(len(x), DefaultB, ValueStat(x, Mean), "cond-a")
	lo2, hi2 := BootstrapCI(len(x), DefaultB, ValueStat(x, Mean), "cond-a")
	if lo != lo2 || hi != hi2 {
		t.Fatalf("same key gave (%v,%v) then (%v,%v)", lo, hi, lo2, hi2)
	}
	lo3, hi3 := BootstrapCI(len(x), DefaultB, ValueStat(x, Mean), "cond-b")
	if lo3 == lo {
		t.Errorf("different keys gave the same lower bound %v", lo)
	}
	// DefaultB is enough that the key moves the bounds by a small fraction
	// of the width.
	if d := math.Max(math.Abs(lo3-lo), math.Abs(hi3-hi)); d > 0.1*(hi-lo) {
		t.Errorf("keys moved a bound by %v, over 10%% of the width %v", d, hi-lo)
	}
	mean, se := MeanSE(x)
	if !(lo < mean && mean < hi) {
		t.Errorf("CI (%v, %v) excludes the mean %v", lo, hi, mean)
	}
	// The percentile CI of a mean is close to ±1.96 SE.
	if w := (hi - lo) / (2 * 1.96 * se); w < 0.85 || w > 1.15 {
		t.Errorf("CI width / (3.92 SE) = %v, want ≈ 1", w)
	}
	c := []float64{4, 4, 4}
	if lo, hi := BootstrapCI(3, 100, ValueStat(c, PopSD), "k"); lo != 0 || hi != 0 {
		t.Errorf("constant values: CI = (%v, %v), want (0, 0)", lo, hi)
	}
	if lo, hi := BootstrapCI(0, 100, ValueStat(nil, Mean), "k"); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no networks: CI = (%v, %v), want NaN", lo, hi)
	}
}

// TestMDSRecoversConfiguration: classical MDS of Euclidean distances
// reproduces the configuration up to rotation and reflection, so every
// pairwise distance is recovered.
func TestMDSRecoversConfiguration(t *testing.T) {
	pts := [][2]float64{{0, 0}, {3, 0}, {0, 4}, {3, 4}, {1, 1}, {-2, 5}}
	n := len(pts)
	d := mat.NewSymDense(n, nil)
	for i := range pts {
		for j := range pts {
			d.SetSym(i, j, math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1]))
		}
	}
	x, vals, err := MDS(d, 3)
	if err != nil {
		t.Fatal(err)
	}
	if vals[0] < vals[1] || vals[1] <= 0 || math.Abs(vals[2]) > 1e-9 {
		t.Errorf("eigenvalues = %v, want two positive (descending) and one zero", vals)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			got := math.Hypot(x.At(i, 0)-x.At(j, 0), x.At(i, 1)-x.At(j, 1))
			if math.Abs(got-d.At(i, j)) > 1e-9 {
				t.Errorf("distance (%d,%d) = %v, want %v", i, j, got, d.At(i, j))
			}
		}
	}
	x2, _, _ := MDS(d, 3)
	if !mat.Equal(x, x2) {
		t.Error("MDS is not deterministic")
	}
	for c := 0; c < 2; c++ {
		col := mat.Col(nil, c, x)
		big := 0
		for i := range col {
			if math.Abs(col[i]) > math.Abs(col[big]) {
				big = i
			}
		}
		if col[big] < 0 {
			t.Errorf("column %d: largest entry %v is negative", c, col[big])
		}
	}
}

func TestMDSErrors(t *testing.T) {
	d := mat.NewSymDense(2, []float64{0, 1, 1, 0})
	for _, k := range []int{0, 3} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			if _, _, err := MDS(d, k); err == nil {
				t.Error("got nil error")
			}
		})
	}
	bad := mat.NewSymDense(2, []float64{0, math.NaN(), math.NaN(), 0})
	if _, _, err := MDS(bad, 1); err == nil {
		t.Error("NaN distance: got nil error")
	}
}
