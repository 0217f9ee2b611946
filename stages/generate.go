package stages

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"degen/artifacts"
	"degen/internal/seed"
	"degen/tasks"
)

// Generate is the generate stage: the fixed data sets of one task
// configuration, shared by every network of every condition with that task
// configuration. Outputs (docs/schema.md, "generate"):
//
//	probe   GenerateParams.Probe trials: DSA, representations, NTK (SPEC §4)
//	test    GenerateParams.Test in-distribution trials
//	ood     GenerateParams.OOD trials of the OOD variant: behavioral degeneracy
//	sample  GenerateParams.Sample trials: one training batch, for analysts
//
// Each set draws from seed.New("generate", set, <canonical task JSON>), so it
// depends on the task's own keys and nothing else, and because the tasks
// package draws trial by trial, a larger set extends a smaller one.
type Generate struct{}

// Output names of the generate stage, in the order Run writes them.
const (
	SetProbe  = "probe"
	SetTest   = "test"
	SetOOD    = "ood"
	SetSample = "sample"
)

func (Generate) Name() string { return "generate" }
func (Generate) Version() int { return 1 }

// GenerateParams are the generate stage's parameters: the task and the size
// (in trials) of each set.
type GenerateParams struct {
	Task   tasks.Params `json:"task"`
	Probe  int          `json:"probe"`
	Test   int          `json:"test"`
	OOD    int          `json:"ood"`
	Sample int          `json:"sample"`
}

// DefaultGenerateParams are SPEC §4's set sizes (32 probe, 256 OOD trials;
// ours: 256 test, and a 64-trial sample, the training batch size).
func DefaultGenerateParams(task tasks.Params) GenerateParams {
	return GenerateParams{Task: task, Probe: 32, Test: 256, OOD: 256, Sample: 64}
}

// Validate reports an invalid task or an empty set.
func (p GenerateParams) Validate() error {
	errs := []error{p.Task.Validate()}
	for _, s := range p.sets() {
		if s.trials < 1 {
			errs = append(errs, &tasks.ParamError{Key: s.name, Value: s.trials, Want: "must be ≥ 1 trial"})
		}
	}
	return errors.Join(errs...)
}

type dataSet struct {
	name   string
	trials int
	ood    bool
}

func (p GenerateParams) sets() []dataSet {
	return []dataSet{
		{SetProbe, p.Probe, false},
		{SetTest, p.Test, false},
		{SetOOD, p.OOD, true},
		{SetSample, p.Sample, false},
	}
}

// Run writes the four sets.
func (g Generate) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[GenerateParams](a)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	for _, s := range p.sets() {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := generateSet(p.Task, s.name, s.trials, s.ood)
		if err != nil {
			return err
		}
		env.Logf("generate %s: %d trials × %d steps, %d→%d", s.name, b.B, b.T, b.In, b.Out)
		if err := env.Write(s.name, BatchToTable(b, s.name)); err != nil {
			return fmt.Errorf("generate %s: %w", s.name, err)
		}
	}
	return nil
}

// generateSet draws one set from its own seed.
func generateSet(task tasks.Params, set string, trials int, ood bool) (*tasks.Batch, error) {
	key, err := json.Marshal(task)
	if err != nil {
		return nil, fmt.Errorf("generate %s: %w", set, err)
	}
	b := tasks.NewBatch(task, trials, ood)
	tasks.Generate(task, b, seed.New("generate", set, string(key)), ood)
	return b, nil
}

// Row kinds of a task table, in their sort order.
const (
	kindInput  = "input"
	kindMask   = "mask"
	kindTarget = "target"
)

// BatchToTable lays b out as a tidy long table, one row per value:
// set, trial, t, kind (input | mask | target), channel (the index into the
// input or output vector), value; rows sorted by trial, t, kind, channel.
// Mask rows appear only when b.Mask is set. docs/schema.md has the columns.
func BatchToTable(b *tasks.Batch, set string) *artifacts.Table {
	per := b.In + b.Out
	if b.Mask != nil {
		per += b.Out
	}
	n := b.B * b.T * per
	var (
		sets    = make([]string, n)
		trials  = make([]int64, 0, n)
		steps   = make([]int64, 0, n)
		kinds   = make([]string, 0, n)
		channel = make([]int64, 0, n)
		values  = make([]float32, 0, n)
	)
	emit := func(trial, t int, kind string, v []float32) {
		for c, x := range v {
			trials, steps, kinds = append(trials, int64(trial)), append(steps, int64(t)), append(kinds, kind)
			channel, values = append(channel, int64(c)), append(values, x)
		}
	}
	for trial := range b.B {
		for t := range b.T {
			row := t*b.B + trial
			emit(trial, t, kindInput, b.X[row*b.In:(row+1)*b.In])
			if b.Mask != nil {
				emit(trial, t, kindMask, b.Mask[row*b.Out:(row+1)*b.Out])
			}
			emit(trial, t, kindTarget, b.Y[row*b.Out:(row+1)*b.Out])
		}
	}
	for i := range sets {
		sets[i] = set
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.DictCol("set", sets),
		artifacts.Int64Col("trial", trials),
		artifacts.Int64Col("t", steps),
		artifacts.DictCol("kind", kinds),
		artifacts.Int64Col("channel", channel),
		artifacts.Float32Col("value", values),
	}}
}

// TableToBatch rebuilds the batch BatchToTable wrote. Row order does not
// matter, but the table must be dense: every (trial, t, channel) of every
// kind exactly once. The set column is not read.
func TableToBatch(tab *artifacts.Table) (*tasks.Batch, error) {
	cols, err := taskColumns(tab)
	if err != nil {
		return nil, err
	}
	b, err := cols.shape()
	if err != nil {
		return nil, err
	}
	if err := cols.fill(b); err != nil {
		return nil, err
	}
	return b, nil
}

// taskCols are the columns TableToBatch reads.
type taskCols struct {
	trial, t, channel []int64
	kind              []string
	value             []float32
}

func taskColumns(tab *artifacts.Table) (*taskCols, error) {
	if err := tab.Validate(); err != nil {
		return nil, fmt.Errorf("task table: %w", err)
	}
	var c taskCols
	for _, want := range []struct {
		name string
		kind artifacts.Kind
	}{{"trial", artifacts.Int64}, {"t", artifacts.Int64}, {"kind", artifacts.Dict}, {"channel", artifacts.Int64}, {"value", artifacts.Float32}} {
		col := tab.Col(want.name)
		if col == nil {
			return nil, fmt.Errorf("task table: no column %q", want.name)
		}
		if col.Kind != want.kind && !(want.kind == artifacts.Dict && col.Kind == artifacts.String) {
			return nil, fmt.Errorf("task table: column %q is %s, want %s", want.name, col.Kind, want.kind)
		}
	}
	c.trial, c.t, c.channel = tab.Col("trial").Ints, tab.Col("t").Ints, tab.Col("channel").Ints
	c.kind, c.value = tab.Col("kind").Strs, tab.Col("value").F32
	if len(c.value) == 0 {
		return nil, errors.New("task table: no rows")
	}
	return &c, nil
}

// shape reads B, T, In, Out off the largest indices, and checks the row
// count is that of a dense batch.
func (c *taskCols) shape() (*tasks.Batch, error) {
	var b tasks.Batch
	n := len(c.value)
	width := map[string]*int{kindInput: &b.In, kindTarget: &b.Out, kindMask: new(int)}
	for i := range c.value {
		w, ok := width[c.kind[i]]
		if !ok {
			return nil, fmt.Errorf("task table: row %d: kind %q, want input, mask or target", i, c.kind[i])
		}
		if !inRange(c.trial[i], n) || !inRange(c.t[i], n) || !inRange(c.channel[i], n) {
			// A dense table has more rows than any index: this bound also
			// keeps B·T·(In+Out) from overflowing below.
			return nil, fmt.Errorf("task table: row %d: trial %d, t %d, channel %d: want each in [0, %d)", i, c.trial[i], c.t[i], c.channel[i], n)
		}
		b.B, b.T = max(b.B, int(c.trial[i])+1), max(b.T, int(c.t[i])+1)
		*w = max(*w, int(c.channel[i])+1)
	}
	mask := *width[kindMask]
	if mask != 0 && mask != b.Out {
		return nil, fmt.Errorf("task table: mask has %d channels, targets %d", mask, b.Out)
	}
	if b.In == 0 || b.Out == 0 {
		return nil, fmt.Errorf("task table: %d input and %d target channels, want ≥ 1 of each", b.In, b.Out)
	}
	if b.B*b.T > n || b.B*b.T*(b.In+b.Out+mask) != n {
		return nil, fmt.Errorf("task table: %d rows, not a dense %d×%d batch of %d→%d (mask %d)", n, b.B, b.T, b.In, b.Out, mask)
	}
	b.X = make([]float32, b.B*b.T*b.In)
	b.Y = make([]float32, b.B*b.T*b.Out)
	if mask != 0 {
		b.Mask = make([]float32, b.B*b.T*b.Out)
	}
	return &b, nil
}

// fill places each value, rejecting a cell written twice (which, with the
// row count checked, also rules out a cell left empty).
func (c *taskCols) fill(b *tasks.Batch) error {
	seen := make([]bool, len(c.value))
	for i, v := range c.value {
		dst, width, off := b.Y, b.Out, 0
		switch c.kind[i] {
		case kindInput:
			dst, width = b.X, b.In
		case kindMask:
			dst, off = b.Mask, len(b.X)+len(b.Y)
		default:
			off = len(b.X)
		}
		j := (int(c.t[i])*b.B+int(c.trial[i]))*width + int(c.channel[i])
		if seen[off+j] {
			return fmt.Errorf("task table: row %d repeats trial %d, t %d, %s channel %d", i, c.trial[i], c.t[i], c.kind[i], c.channel[i])
		}
		seen[off+j] = true
		dst[j] = v
	}
	return nil
}

func inRange(v int64, n int) bool { return v >= 0 && v < int64(n) }
