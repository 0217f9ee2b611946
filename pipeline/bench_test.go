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
