package stages

import (
	"context"
	"math"
	"testing"

	"degen/artifacts"
	"degen/internal/seed"
	"degen/metrics/dsa"
	"degen/rnn"
	"degen/tasks"
)

// nullWorld is an untrained (initial) flip-flop network of 16 units: the
// null stage only needs weights, trained or not.
func nullWorld(t *testing.T) (*memEnv, DSANullParams) {
	t.Helper()
	task, err := tasks.Defaults("flipflop")
	if err != nil {
		t.Fatal(err)
	}
	task.T = 20
	mp := rnn.ModelParams{Param: "sp", N: 16}
	in, out := task.Widths()
	net, err := rnn.New(mp, in, out)
	if err != nil {
		t.Fatal(err)
	}
	net.Init(seed.New("null-test"))
	env := newMemEnv()
	env.inputs[DepTrain+"/"+OutWeightsFinal] = WeightsTable(net)
	dp := dsa.DefaultParams()
	dp.NDelays, dp.Rank, dp.RandomStarts = 2, 6, 1
	return env, DSANullParams{Task: task, Model: mp, DSA: dp, Seed: 0, Trials: 8, Resamples: 3}
}

func runNull(t *testing.T, env *memEnv, p DSANullParams) *artifacts.Table {
	t.Helper()
	env.written, env.order = map[string]*artifacts.Table{}, nil
	if err := (DSANull{}).Run(context.Background(), &Action{Stage: DSANull{}, Params: p}, env); err != nil {
		t.Fatal(err)
	}
	return env.written[OutPairs]
}

// TestDSANullPairs: 3 resamples give 3 pairs × 3 DSA metrics, sorted,
// finite and non-negative, the same bytes twice; and a resample compared
// with itself (the same probe set twice) is at distance 0, so the floor
// measures the probe sets, not the solver.
func TestDSANullPairs(t *testing.T) {
	env, p := nullWorld(t)
	tab := runNull(t, env, p)
	if tab.Rows() != 9 {
		t.Fatalf("%d rows, want 9", tab.Rows())
	}
	a, b, m, v := tab.Col("resample_a").Ints, tab.Col("resample_b").Ints, tab.Col("metric").Strs, tab.Col("value").F64
	for r := range tab.Rows() {
		if a[r] >= b[r] || m[r] != nullMetrics[r%3] || math.IsNaN(v[r]) || v[r] < 0 {
			t.Errorf("row %d: %d, %d, %s, %v", r, a[r], b[r], m[r], v[r])
		}
	}
	if a[0] != 0 || b[0] != 1 || a[8] != 1 || b[8] != 2 {
		t.Errorf("pairs not in (a, b) order: %v %v", a, b)
	}
	if again := runNull(t, env, p); tableDigest(again) != tableDigest(tab) {
		t.Error("two runs differ")
	}
	in, out := p.Task.Widths()
	net, err := NetFromTable(env.inputs[DepTrain+"/"+OutWeightsFinal], p.Model, in, out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := nullFit(net, p, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, err := nullFit(net, p, 1) // the same resample fitted again
	if err != nil {
		t.Fatal(err)
	}
	self, err := dsa.Compare(f.op, g.op, p.DSA)
	if err != nil {
		t.Fatal(err)
	}
	if self.Angular > 1e-6 {
		t.Errorf("one resample fitted twice: angular %v, want ≈ 0", self.Angular)
	}
	if v[0] <= self.Angular {
		t.Errorf("two probe sets are no further apart (%v) than one with itself (%v)", v[0], self.Angular)
	}
}

func TestNullParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		p  NullParams
		ok bool
	}{{DefaultNullParams(), true}, {NullParams{0, 0}, true}, {NullParams{-1, 4}, false}, {NullParams{2, 1}, false}} {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: err %v, want ok=%v", tc.p, err, tc.ok)
		}
	}
}
