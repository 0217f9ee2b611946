package stats

import (
	"math"
	"slices"
	"testing"
)

// TestSpearmanByHand checks ρ against values computed by hand:
// x = 1,2,3,4; y = 10,30,20,40 → ranks 1,3,2,4; d = 0,−1,1,0;
// ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 12/60 = 0.8 (no ties, so the formula holds).
func TestSpearmanByHand(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"no ties", []float64{1, 2, 3, 4}, []float64{10, 30, 20, 40}, 0.8},
		{"decreasing", []float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		// ties: y ranks 1.5,1.5,3 against 1,2,3: r = 1.5/√(2·1.5) = √3/2
		{"tie", []float64{1, 2, 3}, []float64{5, 5, 9}, math.Sqrt(3) / 2},
		{"NaN dropped", []float64{1, 2, math.NaN(), 3}, []float64{1, 2, 7, 3}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Spearman(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if got := Spearman([]float64{1, 2}, []float64{3, 3}); !math.IsNaN(got) {
		t.Fatalf("constant y: got %v, want NaN", got)
	}
}

func TestRanksAverageTies(t *testing.T) {
	got := Ranks([]float64{3, 1, 3, 2})
	want := []float64{3.5, 1, 3.5, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// TestReplicatesMatchCI: BootstrapCI is the quantiles of Replicates.
func TestReplicatesMatchCI(t *testing.T) {
	x := []float64{1, 4, 2, 8, 5}
	st := ValueStat(x, Mean)
	r := Replicates(len(x), 200, st, "k")
	if len(r) != 200 {
		t.Fatalf("got %d replicates", len(r))
	}
	lo, hi := BootstrapCI(len(x), 200, st, "k")
	sorted := slices.Sorted(slices.Values(r))
	if wlo, whi := Quantile(sorted, 0.025), Quantile(sorted, 0.975); lo != wlo || hi != whi || lo >= hi {
		t.Fatalf("CI [%v, %v], want the replicates' 2.5/97.5 %% quantiles [%v, %v]", lo, hi, wlo, whi)
	}
}

// TestSubsamplesFullSet: a subsample of all n networks is the full set, so
// every value equals the statistic on all of them.
func TestSubsamplesFullSet(t *testing.T) {
	x := []float64{1, 4, 2, 8}
	for _, v := range Subsamples(4, 4, 10, ValueStat(x, Mean), "k") {
		if v != Mean(x) {
			t.Fatalf("got %v, want %v", v, Mean(x))
		}
	}
	if Subsamples(4, 5, 10, ValueStat(x, Mean)) != nil {
		t.Fatal("k > n gave values")
	}
}
