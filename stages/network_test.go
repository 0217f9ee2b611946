package stages

import (
	"math"
	"testing"
)

// Both summaries say which network a row is (an id stable across studies)
// and the condition's model and training parameters.
func TestSummariesCarryNetworkIdentity(t *testing.T) {
	p := smokeConfigs[0].params(t)
	p.Train.MaxEpochs = 2
	p.Train.L1 = 1e-4
	tenv := runStage(t, Train{}, p, nil)
	renv := runRecord(t, p, tenv)
	id, err := NetworkID(p)
	if err != nil || len(id) != 16 {
		t.Fatalf("NetworkID = %q, %v", id, err)
	}
	cols, err := networkColumns(p)
	if err != nil || len(cols) != len(networkColumnNames) {
		t.Fatalf("networkColumns: %d columns (%v), networkColumnNames has %d", len(cols), err, len(networkColumnNames))
	}
	for i, c := range cols {
		if c.Name != networkColumnNames[i] {
			t.Errorf("network column %d is %s, networkColumnNames (what record copies) says %s", i, c.Name, networkColumnNames[i])
		}
	}
	for _, tab := range []struct {
		stage string
		env   *memEnv
	}{{"train", tenv}, {"record", renv}} {
		s := tab.env.written[OutSummary]
		if s.Col("network") == nil || s.Col("network").Strs[0] != id {
			t.Fatalf("%s summary network column %v, want %s", tab.stage, s.Col("network"), id)
		}
		if got := s.Col("param").Strs[0]; got != p.Model.Param {
			t.Errorf("%s param %q, want %q", tab.stage, got, p.Model.Param)
		}
		if got := s.Col("n").Ints[0]; got != int64(p.Model.N) {
			t.Errorf("%s n %d, want %d", tab.stage, got, p.Model.N)
		}
		for name, want := range map[string]float64{"lr": p.Train.LR, "threshold": p.Train.Threshold, "l1": 1e-4, "nuclear": 0} {
			if got := s.Col(name).F64[0]; got != want {
				t.Errorf("%s %s = %v, want %v", tab.stage, name, got, want)
			}
		}
		if g := s.Col("gamma").F64[0]; p.Model.Param == "sp" && !math.IsNaN(g) {
			t.Errorf("%s gamma = %v under SP, want NaN", tab.stage, g)
		}
	}
	// The id is the network: another seed or another lr is another network.
	q := p
	q.Seed++
	r := p
	r.Train.LR *= 2
	for _, o := range []TrainParams{q, r} {
		if other, _ := NetworkID(o); other == id {
			t.Errorf("NetworkID(%+v) = %s, the same as another network's", o, other)
		}
	}
	if again, _ := NetworkID(p); again != id {
		t.Errorf("NetworkID not a function of the params: %s then %s", id, again)
	}
}
