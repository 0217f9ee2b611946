package pipeline

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"slices"
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

// TestPlanMemoryIsLinear: planning a condition must cost about the same per
// action at 100 seeds as at 400, allocated and live, though the condition has
// O(seeds²) dependency edges (issue #10: 2,000 seeds took 3 GB, 3,000 were
// killed; at 400 seeds this measured 401 KB allocated and 79 KB live per
// action, growing linearly with the seeds).
func TestPlanMemoryIsLinear(t *testing.T) {
	a100, l100, _ := medianPlanMemory(t, 100)
	a400, l400, n := medianPlanMemory(t, 400)
	t.Logf("per action: %.0f B allocated, %.0f B live at 100 seeds; %.0f B, %.0f B at 400 seeds (%d actions)", a100, l100, a400, l400, n)
	if a400 > 1.3*a100 || l400 > 1.3*l100 {
		t.Errorf("plan memory per action grows with the seeds: %.0f → %.0f B allocated, %.0f → %.0f B live from 100 to 400 seeds", a100, a400, l100, l400)
	}
}

// TestStreamedKeysMatchLines: nodeKey hashes without building lines; it
// must give exactly the key of the lines explain prints (and the inputs
// digest of the input lines alone).
func TestStreamedKeysMatchLines(t *testing.T) {
	s, err := NewSession(seedsConfig(t, 4))
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.plan(fakeIndex, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		lines := it.Lines()
		if got := actionKey(lines); got != it.Key {
			t.Fatalf("%s: key of the lines %x, streamed key %x", it.Node.Name(), got, it.Key)
		}
		var ins []keyLine
		for _, l := range lines {
			if l.Name == "input" {
				ins = append(ins, l)
			}
		}
		_, digest, _ := nodeKey(it.Node, func(d *Node) *artifacts.Entry { return items[d.Index].Entry })
		k := newKeyHasher()
		for _, l := range ins {
			k.line(l.Name, []byte(l.Value))
		}
		if want, _ := k.sums(); digest != want {
			t.Fatalf("%s: inputs digest %x, want the hash of its %d input lines %x", it.Node.Name(), digest, len(ins), want)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{100, 400, 2000} {
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

// medianPlanMemory is planMemory's median of three: the live-heap difference
// swings (even below zero) when garbage of earlier tests is collected between
// the two readings.
func medianPlanMemory(t testing.TB, n int) (alloc, live float64, actions int) {
	var as, ls [3]float64
	for i := range as {
		as[i], ls[i], actions = planMemory(t, n)
	}
	slices.Sort(as[:])
	slices.Sort(ls[:])
	return as[1], ls[1], actions
}
