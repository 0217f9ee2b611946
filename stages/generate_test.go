package stages

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"degen/artifacts"
	"degen/internal/seed"
	"degen/rnn"
	"degen/tasks"
)

func taskDefaults(t testing.TB, name string) tasks.Params {
	t.Helper()
	p, err := tasks.Defaults(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// smallGenerate is a quick generate action for task name.
func smallGenerate(t testing.TB, name string) (*Action, GenerateParams) {
	p := DefaultGenerateParams(taskDefaults(t, name))
	p.Task.Channels = 2
	p.Probe, p.Test, p.OOD, p.Sample = 3, 4, 2, 5
	return &Action{Stage: Generate{}, Params: p}, p
}

func runGenerate(t *testing.T, a *Action) *memEnv {
	t.Helper()
	env := newMemEnv()
	if err := (Generate{}).Run(context.Background(), a, env); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return env
}

// TestGenerateGolden pins the stage's tables for a fixed input: a change
// that moves these without a Version bump would serve stale artifacts.
func TestGenerateGolden(t *testing.T) {
	if got := (Generate{}).Version(); got != 1 {
		t.Fatalf("Version() = %d: update the pinned digests below with the bump", got)
	}
	want := map[string]string{
		SetProbe:  "338d6d5386a48174dcb97e5486b075b0d7c4c16cc10e0f7db689f80f81100cec",
		SetTest:   "a1bd9eddaa86aae2d1bea0d42c08bc47dff2f4fb860ef7e3c62a66b43002c74f",
		SetOOD:    "1d2feb7df2fa0b9c84f31182d266f87d0b30f2e550976e236a1d7e4faf5eb2a4",
		SetSample: "bdf308eb029c6a01a205c4ad7a7034e1a393c40974054363aafe4cb70243e595",
	}
	a, _ := smallGenerate(t, tasks.DD)
	env := runGenerate(t, a)
	if want := []string{SetProbe, SetTest, SetOOD, SetSample}; !slices.Equal(env.order, want) {
		t.Fatalf("outputs written %v, want %v", env.order, want)
	}
	for _, set := range env.order {
		if got := tableDigest(env.written[set]); got != want[set] {
			t.Errorf("%s digest = %s, want %s", set, got, want[set])
		}
	}
}

// TestGenerateSetsMatchTasks: each output decodes to exactly the batch the
// tasks package draws from the set's documented seed.
func TestGenerateSetsMatchTasks(t *testing.T) {
	for _, name := range tasks.Names() {
		t.Run(name, func(t *testing.T) {
			a, p := smallGenerate(t, name)
			env := runGenerate(t, a)
			key, _ := json.Marshal(p.Task)
			for _, s := range p.sets() {
				got, err := TableToBatch(env.written[s.name])
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				want := tasks.NewBatch(p.Task, s.trials, s.ood)
				tasks.Generate(p.Task, want, seed.New("generate", s.name, string(key)), s.ood)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: table decodes to %d×%d (%d→%d), differs from the seeded batch %d×%d (%d→%d)",
						s.name, got.B, got.T, got.In, got.Out, want.B, want.T, want.In, want.Out)
				}
				if wantT := p.Task.Steps(s.ood); got.T != wantT {
					t.Errorf("%s: T = %d, want %d", s.name, got.T, wantT)
				}
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, p := smallGenerate(t, tasks.PI)
	first := runGenerate(t, a)
	second := runGenerate(t, &Action{Stage: Generate{}, Params: &p}) // a pointer works too
	for _, set := range first.order {
		if g, w := tableDigest(second.written[set]), tableDigest(first.written[set]); g != w {
			t.Errorf("%s: second run digest %s, first %s", set, g, w)
		}
	}
}

// TestGenerateSeedsFollowTaskKeys: knobs of another task leave the data
// alone, the task's own knobs change it, and a larger set extends a smaller.
func TestGenerateSeedsFollowTaskKeys(t *testing.T) {
	a, p := smallGenerate(t, tasks.DD)
	base := runGenerate(t, a)

	foreign := p
	foreign.Task.PPulse, foreign.Task.NFreq = 0.9, 3
	same := runGenerate(t, &Action{Stage: Generate{}, Params: foreign})
	own := p
	own.Task.DelayMin = 6
	changed := runGenerate(t, &Action{Stage: Generate{}, Params: own})
	for _, set := range base.order {
		if tableDigest(same.written[set]) != tableDigest(base.written[set]) {
			t.Errorf("%s: p_pulse/n_freq changed a dd table", set)
		}
		if tableDigest(changed.written[set]) == tableDigest(base.written[set]) {
			t.Errorf("%s: delay_min did not change the dd table", set)
		}
	}

	bigger := p
	bigger.Probe = 2 * p.Probe
	big := runGenerate(t, &Action{Stage: Generate{}, Params: bigger})
	small, _ := TableToBatch(base.written[SetProbe])
	large, _ := TableToBatch(big.written[SetProbe])
	for tt := range small.T {
		for trial := range small.B {
			row, lrow := tt*small.B+trial, tt*large.B+trial
			if !slices.Equal(small.X[row*small.In:(row+1)*small.In], large.X[lrow*large.In:(lrow+1)*large.In]) ||
				!slices.Equal(small.Y[row*small.Out:(row+1)*small.Out], large.Y[lrow*large.Out:(lrow+1)*large.Out]) {
				t.Fatalf("trial %d t=%d of the %d-trial probe set differs in the %d-trial one", trial, tt, small.B, large.B)
			}
		}
	}
}

func TestGenerateParamsJSON(t *testing.T) {
	got, err := json.Marshal(DefaultGenerateParams(taskDefaults(t, tasks.FlipFlop)))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"task":{"task":"flipflop","channels":3,"t":100,"p_pulse":0.3},"probe":32,"test":256,"ood":256,"sample":64}`
	if string(got) != want {
		t.Errorf("json = %s\nwant   %s", got, want)
	}
}

func TestGenerateRejects(t *testing.T) {
	good := DefaultGenerateParams(taskDefaults(t, tasks.Sine))
	noProbe, badTask := good, good
	noProbe.Probe = 0
	badTask.Task.Dt = -1
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name   string
		ctx    context.Context
		params any
		want   string
	}{
		{"wrong type", context.Background(), good.Task, "generate: params are tasks.Params, want stages.GenerateParams"},
		{"nil pointer", context.Background(), (*GenerateParams)(nil), "generate: params are *stages.GenerateParams, want stages.GenerateParams"},
		{"empty probe", context.Background(), noProbe, "generate: probe = 0: must be ≥ 1 trial"},
		{"bad task", context.Background(), badTask, "generate: dt = -1: must be a finite number > 0"},
		{"cancelled", cancelled, good, "context canceled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newMemEnv()
			err := (Generate{}).Run(c.ctx, &Action{Stage: Generate{}, Params: c.params}, env)
			if err == nil || err.Error() != c.want {
				t.Fatalf("Run error = %v, want %q", err, c.want)
			}
			if len(env.order) != 0 {
				t.Errorf("wrote %v before failing", env.order)
			}
		})
	}
}

// The trainer converts a task batch with rnn.Batch(*b): this only compiles
// while the two structs have the same fields.
var _ = rnn.Batch(tasks.Batch{})

func TestBatchTableRoundTrip(t *testing.T) {
	p := taskDefaults(t, tasks.DD)
	p.Aux, p.Channels = true, 2
	plain := tasks.NewBatch(p, 3, false)
	tasks.Generate(p, plain, seed.New("roundtrip"), false)
	masked := *plain
	masked.Mask = make([]float32, len(plain.Y))
	for i := range masked.Mask {
		masked.Mask[i] = float32(i%3) / 2
	}
	for _, c := range []struct {
		name string
		b    *tasks.Batch
	}{{"no mask", plain}, {"mask", &masked}} {
		t.Run(c.name, func(t *testing.T) {
			tab := BatchToTable(c.b, "test")
			if err := tab.Validate(); err != nil {
				t.Fatal(err)
			}
			per := c.b.In + c.b.Out
			if c.b.Mask != nil {
				per += c.b.Out
			}
			if got, want := tab.Rows(), c.b.B*c.b.T*per; got != want {
				t.Fatalf("rows = %d, want %d", got, want)
			}
			checkSorted(t, tab)
			if s := tab.Col("set").Strs; s[0] != "test" || s[len(s)-1] != "test" {
				t.Errorf("set column = %q…%q, want test", s[0], s[len(s)-1])
			}
			got, err := TableToBatch(tab)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.b) {
				t.Fatalf("round trip differs: got %d×%d (%d→%d) mask %v", got.B, got.T, got.In, got.Out, got.Mask != nil)
			}
			// Row order is not part of the contract for readers.
			rev := reverseRows(tab)
			if got, err := TableToBatch(rev); err != nil || !reflect.DeepEqual(got, c.b) {
				t.Fatalf("reversed rows: err %v, equal %v", err, err == nil && reflect.DeepEqual(got, c.b))
			}
		})
	}
}

// checkSorted checks rows are ordered by trial, t, kind, channel.
func checkSorted(t *testing.T, tab *artifacts.Table) {
	t.Helper()
	tr, tt, k, ch := tab.Col("trial").Ints, tab.Col("t").Ints, tab.Col("kind").Strs, tab.Col("channel").Ints
	for i := 1; i < tab.Rows(); i++ {
		if c := cmpRow(tr[i-1], tt[i-1], k[i-1], ch[i-1], tr[i], tt[i], k[i], ch[i]); c >= 0 {
			t.Fatalf("row %d (%d,%d,%s,%d) does not sort after row %d (%d,%d,%s,%d)",
				i, tr[i], tt[i], k[i], ch[i], i-1, tr[i-1], tt[i-1], k[i-1], ch[i-1])
		}
	}
}

func cmpRow(a1, a2 int64, a3 string, a4 int64, b1, b2 int64, b3 string, b4 int64) int {
	switch {
	case a1 != b1:
		return int(a1 - b1)
	case a2 != b2:
		return int(a2 - b2)
	case a3 != b3:
		return strings.Compare(a3, b3)
	}
	return int(a4 - b4)
}

func reverseRows(tab *artifacts.Table) *artifacts.Table {
	out := &artifacts.Table{}
	for _, c := range tab.Columns {
		c.Ints, c.F32, c.Strs = slices.Clone(c.Ints), slices.Clone(c.F32), slices.Clone(c.Strs)
		slices.Reverse(c.Ints)
		slices.Reverse(c.F32)
		slices.Reverse(c.Strs)
		out.Columns = append(out.Columns, c)
	}
	return out
}

func TestTableToBatchErrors(t *testing.T) {
	p := taskDefaults(t, tasks.FlipFlop)
	p.Channels, p.T = 1, 2
	b := tasks.NewBatch(p, 2, false)
	tasks.Generate(p, b, seed.New("errors"), false)
	// Rows: trial 0: (t0 input, t0 target, t1 input, t1 target), trial 1: …
	edit := func(f func(*artifacts.Table)) *artifacts.Table {
		tab := reverseRows(reverseRows(BatchToTable(b, "probe"))) // a deep copy
		f(tab)
		return tab
	}
	col := func(tab *artifacts.Table, name string) *artifacts.Column { return tab.Col(name) }
	for _, c := range []struct {
		name string
		tab  *artifacts.Table
		want string
	}{
		{"empty", &artifacts.Table{Columns: []artifacts.Column{
			artifacts.Int64Col("trial", nil), artifacts.Int64Col("t", nil), artifacts.DictCol("kind", nil),
			artifacts.Int64Col("channel", nil), artifacts.Float32Col("value", nil)}}, "task table: no rows"},
		{"no value column", edit(func(tab *artifacts.Table) { tab.Columns = tab.Columns[:5] }), `task table: no column "value"`},
		{"value as float64", edit(func(tab *artifacts.Table) {
			tab.Columns[5] = artifacts.Float64Col("value", make([]float64, tab.Rows()))
		}), `task table: column "value" is float64, want float32`},
		{"ragged", edit(func(tab *artifacts.Table) { col(tab, "t").Ints = col(tab, "t").Ints[1:] }), `task table: table: column "t" has 7 rows, want 8`},
		{"unknown kind", edit(func(tab *artifacts.Table) { col(tab, "kind").Strs[3] = "output" }), `task table: row 3: kind "output", want input, mask or target`},
		{"negative t", edit(func(tab *artifacts.Table) { col(tab, "t").Ints[2] = -1 }), "task table: row 2: trial 0, t -1, channel 0: want each in [0, 8)"},
		{"repeated cell", edit(func(tab *artifacts.Table) { col(tab, "t").Ints[2] = 0 }), "task table: row 2 repeats trial 0, t 0, input channel 0"},
		{"missing cell", edit(func(tab *artifacts.Table) {
			for i := range tab.Columns {
				c := &tab.Columns[i]
				c.Ints, c.F32, c.Strs = c.Ints[:min(len(c.Ints), 7)], c.F32[:min(len(c.F32), 7)], c.Strs[:min(len(c.Strs), 7)]
			}
		}), "task table: 7 rows, not a dense 2×2 batch of 1→1 (mask 0)"},
		{"stray channel", edit(func(tab *artifacts.Table) { col(tab, "channel").Ints[7] = 1 }), "task table: 8 rows, not a dense 2×2 batch of 1→2 (mask 0)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := TableToBatch(c.tab)
			if err == nil || err.Error() != c.want {
				t.Fatalf("TableToBatch error = %v, want %q", err, c.want)
			}
		})
	}
}
