package pipeline

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"degen/artifacts"
	"degen/stages"
)

// tinyStage writes one small table: the engine's cost with no work in it.
type tinyStage struct{}

func (tinyStage) Name() string { return "tiny" }
func (tinyStage) Version() int { return 1 }
func (tinyStage) Run(_ context.Context, a *stages.Action, env stages.Env) error {
	n := a.Params.(tinyParams).N
	return env.Write("out", &artifacts.Table{Columns: []artifacts.Column{artifacts.Int64Col("n", []int64{int64(n)})}})
}

type tinyParams struct{ N int }

// tinyGraph is n actions shaped like a study: chains of four (train-record-
// fit-align-like) hanging off shared roots.
func tinyGraph(t testing.TB, n int) *Graph {
	var acts []*stages.Action
	var root *stages.Action
	for i := 0; i < n; i++ {
		a := &stages.Action{Stage: tinyStage{}, Params: tinyParams{i}, Label: "t" + strconv.Itoa(i)}
		if i%4 == 0 {
			root = a
		} else {
			a.Deps = []stages.Dep{{Name: "up", Action: root}}
		}
		acts = append(acts, a)
	}
	g, err := NewGraph(acts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func runGraph(t testing.TB, st *artifacts.Store, g *Graph) []*Result {
	r := &Runner{Store: st, Jobs: 2, Salt: "bench"}
	res, err := r.Run(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRunnerCachesAndIsOrderFree(t *testing.T) {
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g := tinyGraph(t, 40)
	first := runGraph(t, st, g)
	second := runGraph(t, st, g)
	for i := range first {
		if first[i].State != Ran || second[i].State != Cached {
			t.Fatalf("node %d: %s then %s, want ran then cached", i, first[i].State, second[i].State)
		}
		if first[i].ID != second[i].ID {
			t.Fatalf("node %d: ActionID changed between runs", i)
		}
	}
	// One worker, another store: same ActionIDs and outputs.
	st2, _ := artifacts.Open(t.TempDir())
	r := &Runner{Store: st2, Jobs: 1, Salt: "bench"}
	third, err := r.Run(context.Background(), tinyGraph(t, 40))
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if third[i].ID != first[i].ID || third[i].Entry.Outputs[0].ID != first[i].Entry.Outputs[0].ID {
			t.Fatalf("node %d differs between -j2 and -j1 stores", i)
		}
	}
}

// BenchmarkNoopRun is the engine's cost for a run with everything cached:
// key computation, index lookups and blob size checks per action.
func BenchmarkNoopRun(b *testing.B) {
	for _, n := range []int{300, 3000} {
		b.Run(fmt.Sprintf("actions=%d", n), func(b *testing.B) {
			st, err := artifacts.Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			g := tinyGraph(b, n)
			runGraph(b, st, g)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runGraph(b, st, g)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/action")
		})
	}
}

// TestRunnerKnownSkipsTheStore: a node whose entry the caller knows (a Slurm
// worker's committed inputs) is cached without a store lookup, so it stays
// cached even where the store has lost its entry; Verify ignores Known.
func TestRunnerKnownSkipsTheStore(t *testing.T) {
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g := tinyGraph(t, 8)
	first := runGraph(t, st, g)
	known := map[artifacts.ActionID]*artifacts.Entry{}
	for _, res := range first {
		known[res.ID] = res.Entry
		if err := st.RemoveAction(res.ID); err != nil {
			t.Fatal(err)
		}
	}
	delete(known, first[5].ID) // the one the caller does not know: recomputed
	r := &Runner{Store: st, Jobs: 1, Salt: "bench", Known: func(id artifacts.ActionID) *artifacts.Entry { return known[id] }}
	res, err := r.Run(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range res {
		want := Cached
		if i == 5 {
			want = Ran
		}
		if x.State != want || x.ID != first[i].ID {
			t.Errorf("node %d: %s, want %s with the same ActionID", i, x.State, want)
		}
	}
	r = &Runner{Store: st, Jobs: 1, Salt: "bench", Verify: true, Known: r.Known}
	res, _ = r.Run(context.Background(), g)
	if res[0].State != Pending {
		t.Errorf("verifying: node 0 is %s, want pending (its entry is gone; Known must not stand in)", res[0].State)
	}
}
