package stages

import (
	"context"
	"math"
	"testing"

	"degen/artifacts"
	"degen/metrics/stats"
)

func installSummary(env *memEnv, s int64, converged bool, ood float64) {
	env.inputs[DepName("record", s)+"/"+OutSummary] = &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Float64Col("ood_mse", []float64{ood}),
		artifacts.BoolCol("converged", []bool{converged}),
	}}
}

// installPairs writes align:<b>'s table with value f(a, b) for every metric.
func installPairs(env *memEnv, b int64, earlier []int64, f func(a, b int64, m int) float64) {
	vals := make([]pairValues, len(earlier))
	for i, a := range earlier {
		for m := range PairMetrics {
			vals[i] = append(vals[i], f(a, b, m))
		}
	}
	env.inputs[DepName("align", b)+"/"+OutPairs] = pairsTable(AlignParams{Seed: b, Earlier: earlier}, vals)
}

func runScore(t testing.TB, env *memEnv, p ScoreStageParams) *artifacts.Table {
	t.Helper()
	env.written = map[string]*artifacts.Table{}
	if err := (Score{}).Run(context.Background(), &Action{Stage: Score{}, Params: p}, env); err != nil {
		t.Fatal(err)
	}
	return env.written[OutDegeneracy]
}

func scoreRowOf(t *testing.T, tab *artifacts.Table, metric string) (value, se, lo, hi float64, nn, nc int64) {
	t.Helper()
	for r := range tab.Rows() {
		if tab.Col("metric").Strs[r] == metric {
			return tab.Col("value").F64[r], tab.Col("se").F64[r], tab.Col("ci_lo").F64[r], tab.Col("ci_hi").F64[r],
				tab.Col("n_networks").Ints[r], tab.Col("n_converged").Ints[r]
		}
	}
	t.Fatalf("no row for %s", metric)
	return
}

// scoreWorld: seeds 1..4, seed 4 not converged; the pair value of (a, b)
// is a+b (+100 for the metric index, so metrics differ), NaN for pif on
// (1, 3).
func scoreWorld() (*memEnv, []int64) {
	env := newMemEnv()
	seeds := []int64{1, 2, 3, 4}
	ood := []float64{1, 3, 5, 1000}
	for k, s := range seeds {
		installSummary(env, s, s != 4, ood[k])
		if k > 0 {
			installPairs(env, s, seeds[:k], func(a, b int64, m int) float64 {
				if PairMetrics[m] == MetricPIF && a == 1 && b == 3 {
					return math.NaN()
				}
				return float64(a+b) + 100*float64(m)
			})
		}
	}
	return env, seeds
}

func TestScoreValues(t *testing.T) {
	env, seeds := scoreWorld()
	tab := runScore(t, env, ScoreStageParams{Seeds: seeds, Stats: DefaultScoreParams()})
	if got, want := tab.Rows(), 2+len(PairMetrics); got != want {
		t.Fatalf("rows = %d, want %d", got, want)
	}
	for r := 1; r < tab.Rows(); r++ {
		l0, l1 := tab.Col("level").Strs[r-1], tab.Col("level").Strs[r]
		if l0 > l1 || (l0 == l1 && tab.Col("metric").Strs[r-1] > tab.Col("metric").Strs[r]) {
			t.Fatalf("rows %d, %d out of order", r-1, r)
		}
	}
	// Kept: seeds 1, 2, 3. Pairs (1,2)=3, (1,3)=4, (2,3)=5, plus 100·m.
	m := func(name string) float64 { return 100 * float64(pairMetricIndex(name)) }
	tests := []struct {
		metric    string
		value, se float64
	}{
		{MetricOODMean, 3, 1 / math.Sqrt(3) * 2},
		{MetricOODSD, math.Sqrt(8.0 / 3), math.NaN()},
		{MetricCKA, 4 + m(MetricCKA), 1 / math.Sqrt(3)},
		{MetricDSAAngular, 4 + m(MetricDSAAngular), 1 / math.Sqrt(3)},
		{MetricPIF, 4 + m(MetricPIF), 1 / math.Sqrt(2) * math.Sqrt(2)}, // (1,2)=3, (2,3)=5: SD √2, n 2
	}
	for _, tc := range tests {
		t.Run(tc.metric, func(t *testing.T) {
			value, se, lo, hi, nn, nc := scoreRowOf(t, tab, tc.metric)
			if math.Abs(value-tc.value) > 1e-12 {
				t.Errorf("value = %v, want %v", value, tc.value)
			}
			if !(math.IsNaN(tc.se) && math.IsNaN(se)) && math.Abs(se-tc.se) > 1e-12 {
				t.Errorf("se = %v, want %v", se, tc.se)
			}
			if !(lo <= value && value <= hi) {
				t.Errorf("CI (%v, %v) excludes %v", lo, hi, value)
			}
			if nn != 3 || nc != 3 {
				t.Errorf("n_networks, n_converged = %d, %d; want 3, 3", nn, nc)
			}
		})
	}
}

func TestScoreIncludeUnconverged(t *testing.T) {
	env, seeds := scoreWorld()
	sp := DefaultScoreParams()
	sp.IncludeUnconverged = true
	tab := runScore(t, env, ScoreStageParams{Seeds: seeds, Stats: sp})
	value, _, _, _, nn, nc := scoreRowOf(t, tab, MetricOODMean)
	if value != (1+3+5+1000)/4.0 || nn != 4 || nc != 3 {
		t.Errorf("ood mean, n, converged = %v, %d, %d; want 252.25, 4, 3", value, nn, nc)
	}
	// Six pairs: 3,4,5,5,6,7 → 5.
	if v, _, _, _, _, _ := scoreRowOf(t, tab, MetricCKA); v != 5 {
		t.Errorf("cka = %v, want 5", v)
	}
}

func TestScoreDeterministic(t *testing.T) {
	env, seeds := scoreWorld()
	p := ScoreStageParams{Seeds: seeds, Stats: DefaultScoreParams()}
	if a, b := tableDigest(runScore(t, env, p)), tableDigest(runScore(t, env, p)); a != b {
		t.Errorf("digests differ: %s, %s", a, b)
	}
	p.Stats.Bootstrap = 0
	tab := runScore(t, env, p)
	if _, _, lo, hi, _, _ := scoreRowOf(t, tab, MetricCKA); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("bootstrap 0: CI = (%v, %v), want NaN", lo, hi)
	}
}

// TestAlignThenScore runs align batches into score, as the DAG would.
func TestAlignThenScore(t *testing.T) {
	env, _ := alignWorld(t, 8)
	seeds := []int64{10, 20, 30}
	for k, s := range seeds {
		installSummary(env, s, true, float64(k))
		if k > 0 {
			tab := runAlign(t, env, testAlignParams(s, seeds[:k]...))
			env.inputs[DepName("align", s)+"/"+OutPairs] = tab
		}
	}
	tab := runScore(t, env, ScoreStageParams{Seeds: seeds, Stats: ScoreParams{Bootstrap: 200}})
	v, _, _, _, nn, _ := scoreRowOf(t, tab, MetricPIF)
	if nn != 3 || !(v > 0) {
		t.Errorf("pif degeneracy = %v over %d networks, want > 0 over 3", v, nn)
	}
	if sd, _, _, _, _, _ := scoreRowOf(t, tab, MetricOODSD); sd != stats.PopSD([]float64{0, 1, 2}) {
		t.Errorf("ood sd = %v, want %v", sd, stats.PopSD([]float64{0, 1, 2}))
	}
}

// TestScoreOneNetwork: a condition of one network has no pairs: pair
// metrics are NaN, behavior has a mean and a zero SD.
func TestScoreOneNetwork(t *testing.T) {
	env := newMemEnv()
	installSummary(env, 5, true, 2.5)
	tab := runScore(t, env, ScoreStageParams{Seeds: []int64{5}, Stats: DefaultScoreParams()})
	if v, _, _, _, nn, nc := scoreRowOf(t, tab, MetricPIF); !math.IsNaN(v) || nn != 1 || nc != 1 {
		t.Errorf("pif = %v over %d (%d converged), want NaN over 1 (1)", v, nn, nc)
	}
	if v, _, _, _, _, _ := scoreRowOf(t, tab, MetricOODMean); v != 2.5 {
		t.Errorf("ood mean = %v, want 2.5", v)
	}
	if v, _, _, _, _, _ := scoreRowOf(t, tab, MetricOODSD); v != 0 {
		t.Errorf("ood sd = %v, want 0", v)
	}
}
