package stages

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"degen/artifacts"
	"degen/internal/seed"
	"degen/rnn"
	"degen/tasks"
)

// Train is the train stage: one network of one condition, trained from its
// replicate seed (SPEC §3). Outputs (docs/schema.md, "train"):
//
//	weights_init   the initial parameters, one row per value
//	weights_final  the trained parameters
//	curve          one row per epoch: loss, lr, grad_norm
//	summary        one row: the network id and its model/training parameters,
//	               then converged, diverged, epochs, steps, final_loss
//
// Randomness: the network's key is netKey(Seed) = "net/<seed>". The initial
// weights draw from seed.New(key, "init"); step s of training (0-based, over
// all epochs) draws its fresh batch from seed.New(key, "batch", s). The key
// holds only the seed, so the same seed gives the same initial weights and
// batch stream in every condition whose shapes agree (common random numbers
// across a sweep's levels); the pipeline chooses seeds.
//
// No checkpoints: an action is one network, at most max_epochs·steps_per_epoch
// steps (128k; about 15 min at n = 128 and 7 ms/step), and an interrupted
// action simply reruns. Checkpoints would add store state that is not a
// result for a saving smaller than one Slurm task's restart.
type Train struct{}

func (Train) Name() string { return "train" }
func (Train) Version() int { return 3 } // 2: nuclear-norm gradient by a deterministic polar factor (internal/linalg); 3: summary gains the network id and parameters

// TrainParams are the train stage's parameters: everything a network's
// weights depend on.
type TrainParams struct {
	Task  tasks.Params    `json:"task"`
	Model rnn.ModelParams `json:"model"`
	Train rnn.TrainParams `json:"train"`
	Seed  int64           `json:"seed"`
}

// Output names of the train stage.
const (
	OutWeightsInit  = "weights_init"
	OutWeightsFinal = "weights_final"
	OutCurve        = "curve"
	OutSummary      = "summary"
)

func netKey(s int64) string { return "net/" + strconv.FormatInt(s, 10) }

// Run trains the network and writes its four tables.
func (Train) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[TrainParams](a)
	if err != nil {
		return err
	}
	if err := errors.Join(p.Task.Validate(), p.Train.Validate()); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	in, out := p.Task.Widths()
	nt, err := rnn.New(p.Model, in, out)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	key := netKey(p.Seed)
	nt.Init(seed.New(key, "init"))
	progress := func(e rnn.Epoch) {
		env.Logf("train %s epoch %d: loss %.4g lr %.3g grad %.3g", key, e.Epoch, e.Loss, e.LR, e.GradNorm)
	}
	res, err := rnn.Train(ctx, nt, p.Train, batchSource(p.Task, p.Train.Batch, key), progress)
	if err != nil {
		return fmt.Errorf("train %s: %w", key, err)
	}
	ident, err := networkColumns(p)
	if err != nil {
		return fmt.Errorf("train %s: %w", key, err)
	}
	for _, o := range []struct {
		name string
		t    *artifacts.Table
	}{
		{OutWeightsInit, WeightsTable(res.Init)},
		{OutWeightsFinal, WeightsTable(res.Final)},
		{OutCurve, curveTable(res.Curve)},
		{OutSummary, trainSummaryTable(ident, res.Summary)},
	} {
		if err := env.Write(o.name, o.t); err != nil {
			return fmt.Errorf("train %s: %w", o.name, err)
		}
	}
	return nil
}

// batchSource regenerates one reused batch per step from the step's own seed.
func batchSource(task tasks.Params, B int, key string) rnn.BatchSource {
	tb := tasks.NewBatch(task, B, false)
	var rb rnn.Batch
	return func(step int) (*rnn.Batch, error) {
		tasks.Generate(task, tb, seed.New(key, "batch", strconv.Itoa(step)), false)
		rb = rnn.Batch(*tb)
		return &rb, nil
	}
}

// WeightsTable lays the parameters out tidy: param (w_rec, w_in, b, w_out,
// b_out; µP: J, U, W), row, col (0 for biases), value; sorted by param name,
// then row, then col.
func WeightsTable(nt *rnn.Net) *artifacts.Table {
	ts := nt.Tensors()
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	k := len(nt.Params())
	names, rows, cols, vals := make([]string, 0, k), make([]int64, 0, k), make([]int64, 0, k), make([]float32, 0, k)
	for _, t := range ts {
		for i := 0; i < t.Rows; i++ {
			for j := 0; j < t.Cols; j++ {
				names, rows, cols = append(names, t.Name), append(rows, int64(i)), append(cols, int64(j))
				vals = append(vals, t.Data[i*t.Cols+j])
			}
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.DictCol("param", names),
		artifacts.Int64Col("row", rows),
		artifacts.Int64Col("col", cols),
		artifacts.Float32Col("value", vals),
	}}
}

// NetFromTable rebuilds a network written by WeightsTable. Every parameter
// must appear exactly once.
func NetFromTable(tab *artifacts.Table, mp rnn.ModelParams, in, out int) (*rnn.Net, error) {
	nt, err := rnn.New(mp, in, out)
	if err != nil {
		return nil, err
	}
	if err := tab.Validate(); err != nil {
		return nil, fmt.Errorf("weights table: %w", err)
	}
	pc, rc, cc, vc := tab.Col("param"), tab.Col("row"), tab.Col("col"), tab.Col("value")
	if pc == nil || rc == nil || cc == nil || vc == nil || rc.Kind != artifacts.Int64 || cc.Kind != artifacts.Int64 || vc.Kind != artifacts.Float32 {
		return nil, fmt.Errorf("weights table: want columns param, row, col (int64), value (float32)")
	}
	byName := map[string]rnn.Tensor{}
	for _, t := range nt.Tensors() {
		byName[t.Name] = t
	}
	if tab.Rows() != len(nt.Params()) {
		return nil, fmt.Errorf("weights table: %d rows, want %d for %s n=%d %d→%d", tab.Rows(), len(nt.Params()), mp.Param, mp.N, in, out)
	}
	seen := make(map[string][]bool, len(byName))
	for i := range tab.Rows() {
		t, ok := byName[pc.Strs[i]]
		r, c := rc.Ints[i], cc.Ints[i]
		if !ok || r < 0 || c < 0 || r >= int64(t.Rows) || c >= int64(t.Cols) {
			return nil, fmt.Errorf("weights table: row %d: %s[%d,%d] is not a parameter", i, pc.Strs[i], r, c)
		}
		s := seen[t.Name]
		if s == nil {
			s = make([]bool, len(t.Data))
			seen[t.Name] = s
		}
		j := int(r)*t.Cols + int(c)
		if s[j] {
			return nil, fmt.Errorf("weights table: row %d repeats %s[%d,%d]", i, t.Name, r, c)
		}
		s[j] = true
		t.Data[j] = vc.F32[i]
	}
	return nt, nil
}

func curveTable(c []rnn.Epoch) *artifacts.Table {
	ep, loss, lr, gn := make([]int64, len(c)), make([]float64, len(c)), make([]float64, len(c)), make([]float64, len(c))
	for i, e := range c {
		ep[i], loss[i], lr[i], gn[i] = int64(e.Epoch), e.Loss, e.LR, e.GradNorm
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("epoch", ep),
		artifacts.Float64Col("loss", loss),
		artifacts.Float64Col("lr", lr),
		artifacts.Float64Col("grad_norm", gn),
	}}
}

func trainSummaryTable(ident []artifacts.Column, s rnn.Summary) *artifacts.Table {
	return &artifacts.Table{Columns: append(ident, outcomeColumns(s)...)}
}

// outcomeColumns are how training ended, as both summaries report it.
func outcomeColumns(s rnn.Summary) []artifacts.Column {
	return []artifacts.Column{
		artifacts.BoolCol("converged", []bool{s.Converged}),
		artifacts.BoolCol("diverged", []bool{s.Diverged}),
		artifacts.Int64Col("epochs", []int64{int64(s.Epochs)}),
		artifacts.Int64Col("steps", []int64{int64(s.Steps)}),
		artifacts.Float64Col("final_loss", []float64{s.FinalLoss}),
	}
}

// readTrainSummary reads back trainSummaryTable's row.
func readTrainSummary(tab *artifacts.Table) (rnn.Summary, error) {
	var s rnn.Summary
	c, d, e, st, f := tab.Col("converged"), tab.Col("diverged"), tab.Col("epochs"), tab.Col("steps"), tab.Col("final_loss")
	if tab.Rows() != 1 || c == nil || d == nil || e == nil || st == nil || f == nil ||
		len(c.Bools) != 1 || len(d.Bools) != 1 || len(e.Ints) != 1 || len(st.Ints) != 1 || len(f.F64) != 1 {
		return s, fmt.Errorf("train summary: want one row of converged, diverged, epochs, steps, final_loss")
	}
	s.Converged, s.Diverged, s.Epochs, s.Steps, s.FinalLoss = c.Bools[0], d.Bools[0], int(e.Ints[0]), int(st.Ints[0]), f.F64[0]
	return s, nil
}
