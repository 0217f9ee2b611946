package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"degen/artifacts"
	"degen/stages"
)

// sumStage reads its "up" dependency's output and writes the sum of its
// column plus its own N: a reader, for the repair tests.
type sumStage struct{}

func (sumStage) Name() string { return "sum" }
func (sumStage) Version() int { return 1 }
func (sumStage) Run(_ context.Context, a *stages.Action, env stages.Env) error {
	t, err := env.Input("up", "out")
	if err != nil {
		return err
	}
	n := int64(a.Params.(tinyParams).N)
	for _, v := range t.Columns[0].Ints {
		n += v
	}
	return env.Write("out", &artifacts.Table{Columns: []artifacts.Column{artifacts.Int64Col("n", []int64{n})}})
}

// fanGraph is one tiny root read by readers sum actions.
func fanGraph(t *testing.T, readers int) *Graph {
	root := &stages.Action{Stage: tinyStage{}, Params: tinyParams{7}, Label: "root"}
	acts := []*stages.Action{root}
	for i := range readers {
		acts = append(acts, &stages.Action{Stage: sumStage{}, Params: tinyParams{i}, Label: "reader" + strconv.Itoa(i),
			Deps: []stages.Dep{{Name: "up", Action: root}}})
	}
	g, err := NewGraph(acts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// rerunReaders drops every reader's entry, so the next run reads the root's
// object again.
func rerunReaders(t *testing.T, st *artifacts.Store, res []*Result) {
	for _, r := range res[1:] {
		if err := st.RemoveAction(r.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// TestInputQuarantinedBeforeOpenIsRepaired is the -j2 race of issue #10,
// made deterministic: between a reader's lookup and its open, another
// action's repair quarantines the input. The reader must repair it too (the
// same path as a corrupt input), not fail with "not found".
func TestInputQuarantinedBeforeOpenIsRepaired(t *testing.T) {
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g := fanGraph(t, 1)
	first := runGraph(t, st, g)
	rerunReaders(t, st, first)
	var once sync.Once
	beforeRead = func(s *artifacts.Store, o artifacts.Output) { once.Do(func() { s.QuarantineObject(o.ID) }) }
	defer func() { beforeRead = func(*artifacts.Store, artifacts.Output) {} }()
	r := &Runner{Store: st, Jobs: 2, Salt: "bench"}
	second, err := r.Run(context.Background(), fanGraph(t, 1))
	if err != nil {
		t.Fatalf("run with an input quarantined under it: %v", err)
	}
	if second[1].State != Ran || second[1].Entry.Outputs[0].ID != first[1].Entry.Outputs[0].ID {
		t.Errorf("reader: %s, output %v; want ran, same output as before", second[1].State, second[1].Entry.Outputs)
	}
	if err := st.VerifyObject(first[0].Entry.Outputs[0]); err != nil {
		t.Errorf("root's object after the repair: %v", err)
	}
}

// TestCorruptInputManyReaders: eight readers of one corrupt object, two
// workers, repeated: whichever reader finds the damage repairs it, the others
// wait for or reuse that repair, and nothing fails.
func TestCorruptInputManyReaders(t *testing.T) {
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	first := runGraph(t, st, fanGraph(t, 8))
	root := first[0].Entry.Outputs[0]
	for trial := range 10 {
		rerunReaders(t, st, first)
		flipMiddle(t, st.ObjectPath(root.ID))
		res := runGraph(t, st, fanGraph(t, 8))
		for i, r := range res[1:] {
			if r.Entry.Outputs[0].ID != first[i+1].Entry.Outputs[0].ID {
				t.Fatalf("trial %d: reader %d wrote different bytes", trial, i)
			}
		}
		if err := st.VerifyObject(root); err != nil {
			t.Fatalf("trial %d: root's object after the repair: %v", trial, err)
		}
	}
}

// flipMiddle flips one bit in the middle of a file, keeping its size: only
// a full hash sees it.
func flipMiddle(t *testing.T, path string) {
	t.Helper()
	os.Chmod(path, 0o644)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(path, b, 0o444); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedEntryIsRecomputed: an index entry that fails its sum is never
// used by a run: the action is recomputed and its entry rewritten whole.
func TestDamagedEntryIsRecomputed(t *testing.T) {
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	first := runGraph(t, st, fanGraph(t, 2))
	id := first[0].ID.String()
	path := filepath.Join(st.Dir(), "actions", id[:2], id)
	flipMiddle(t, path)
	second := runGraph(t, st, fanGraph(t, 2))
	if second[0].State != Ran || second[1].State != Cached {
		t.Errorf("root %s, reader %s; want the damaged root recomputed, its reader cached", second[0].State, second[1].State)
	}
	if _, err := st.Lookup(first[0].ID); err != nil {
		t.Errorf("entry after the run: %v", err)
	}
}
