package pipeline

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"testing"

	"degen/artifacts"
)

// fakeOutputs are each stage's output names: an in-memory index that
// answers every lookup with these gives plan real-sized keys without
// computing anything.
var fakeOutputs = map[string][]string{
	"generate": {"train", "probe", "ood"},
	"train":    {"weights_init", "weights_final", "curve", "summary"},
	"record":   {"trajectories", "outputs", "summary"},
	"dsafit":   {"operator", "eig", "singular"},
	"align":    {"pairs"},
	"score":    {"degeneracy"},
}

// fakeIndex pretends every action is cached, with distinct OutputIDs.
func fakeIndex(n *Node, id artifacts.ActionID) (*artifacts.Entry, error) {
	e := &artifacts.Entry{Action: id}
	for _, name := range fakeOutputs[n.Action.Stage.Name()] {
		e.Outputs = append(e.Outputs, artifacts.Output{Name: name, ID: sha256.Sum256(append(id[:], name...)), Size: 123456})
	}
	return e, nil
}

// seedsConfig is one flipflop condition of the smoke preset with n seeds.
func seedsConfig(t testing.TB, n int) SessionOptions {
	p := writeConfig(t, fmt.Sprintf("preset = \"smoke\"\n[study.big]\ntasks = [\"flipflop\"]\nn_seeds = %d\n", n))
	return SessionOptions{LoadOptions: LoadOptions{Path: p}}
}

// planMemory builds the session of n seeds and plans it against an index
// where everything is cached. It returns the bytes allocated and the bytes
// still live while the plan is held, per action.
func planMemory(t testing.TB, n int) (alloc, live float64, actions int) {
	opt := seedsConfig(t, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := NewSession(opt)
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.plan(fakeIndex, nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	for _, it := range items {
		if it.State != Cached {
			t.Fatalf("%s: %s (%s), want cached", it.Node.Name(), it.State, it.Reason)
		}
	}
	runtime.KeepAlive(items)
	a := float64(len(items))
	return float64(after.TotalAlloc-before.TotalAlloc) / a, (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / a, len(items)
}

func TestPlanMemoryIsLinear(t *testing.T) {
	for _, n := range []int{100, 200, 400} {
		a, l, k := planMemory(t, n)
		t.Logf("%d seeds: %d actions, %.0f bytes/action allocated, %.0f live", n, k, a, l)
	}
}

func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{100, 400} {
		b.Run(fmt.Sprintf("seeds=%d", n), func(b *testing.B) {
			var alloc, live float64
			for range b.N {
				alloc, live, _ = planMemory(b, n)
			}
			b.ReportMetric(alloc, "B/action")
			b.ReportMetric(live, "live-B/action")
		})
	}
}
