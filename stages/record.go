package stages

import (
	"context"
	"fmt"

	"degen/artifacts"
	"degen/rnn"
	"degen/tasks"
)

// Record is the record stage: the trained network of one train action, run
// on its condition's fixed data sets (SPEC §4). Deps: "train" (a train
// action) and "data" (the generate action of the same task). Outputs
// (docs/schema.md, "record"):
//
//	trajectories  probe-set states hₜ: trial, t, unit, value
//	outputs       probe-set outputs: trial, t, channel, value
//	summary       one row: the network id and parameters (from the train summary),
//	              test and OOD MSE, weight change, kernel alignment, and how
//	              training ended, so one table describes the network
//
// Evaluation runs in float32 exactly as training did; the NTK is float64.
type Record struct{}

func (Record) Name() string { return "record" }
func (Record) Version() int { return 2 } // 2: summary gains the network id and parameters (copied from train's)

// RecordParams are what the record stage needs beyond its inputs: the model
// (to rebuild it from its weights table) and the NTK probe size.
type RecordParams struct {
	Model rnn.ModelParams `json:"model"`
	NTK   NTKParams       `json:"ntk"`
}

// Dependency and output names of the record stage.
const (
	DepTrain        = "train"
	DepData         = "data"
	OutTrajectories = "trajectories"
	OutOutputs      = "outputs"
)

// DefaultNTKParams are SPEC §4's: 8 probe trials, 10 steps.
func DefaultNTKParams() NTKParams { return NTKParams{Trials: rnn.NTKTrials, Steps: rnn.NTKSteps} }

// recordInputs are the tables a record action reads, decoded.
type recordInputs struct {
	init, final      *rnn.Net
	train            rnn.Summary
	network          []artifacts.Column // the train summary's id and parameters
	probe, test, ood *rnn.Batch
}

// Run evaluates the network and writes trajectories, outputs and summary.
func (Record) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[RecordParams](a)
	if err != nil {
		return err
	}
	in, err := readRecordInputs(env, p)
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	h, y, _, err := in.final.Run(in.probe)
	if err != nil {
		return fmt.Errorf("record probe: %w", err)
	}
	_, _, testMSE, err := in.final.Run(in.test)
	if err != nil {
		return fmt.Errorf("record test: %w", err)
	}
	_, _, oodMSE, err := in.final.Run(in.ood)
	if err != nil {
		return fmt.Errorf("record ood: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	align, err := kernelAlignment(in, p.NTK)
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	sum := recordSummaryTable(in.network, in.train, testMSE, oodMSE, rnn.WeightChange(in.init, in.final), align)
	for _, o := range []struct {
		name string
		t    *artifacts.Table
	}{
		{OutTrajectories, trialTable("unit", h, in.probe.B, in.probe.T, p.Model.N)},
		{OutOutputs, trialTable("channel", y, in.probe.B, in.probe.T, in.probe.Out)},
		{OutSummary, sum},
	} {
		if err := env.Write(o.name, o.t); err != nil {
			return fmt.Errorf("record %s: %w", o.name, err)
		}
	}
	return nil
}

func readRecordInputs(env Env, p RecordParams) (*recordInputs, error) {
	var in recordInputs
	sets := []struct {
		name string
		dst  **rnn.Batch
	}{{SetProbe, &in.probe}, {SetTest, &in.test}, {SetOOD, &in.ood}}
	for _, s := range sets {
		tab, err := env.Input(DepData, s.name)
		if err != nil {
			return nil, err
		}
		tb, err := TableToBatch(tab)
		if err != nil {
			return nil, fmt.Errorf("%s set: %w", s.name, err)
		}
		*s.dst = taskBatch(tb)
	}
	for _, w := range []struct {
		name string
		dst  **rnn.Net
	}{{OutWeightsInit, &in.init}, {OutWeightsFinal, &in.final}} {
		tab, err := env.Input(DepTrain, w.name)
		if err != nil {
			return nil, err
		}
		if *w.dst, err = NetFromTable(tab, p.Model, in.probe.In, in.probe.Out); err != nil {
			return nil, fmt.Errorf("%s: %w", w.name, err)
		}
	}
	tab, err := env.Input(DepTrain, OutSummary)
	if err != nil {
		return nil, err
	}
	if in.train, err = readTrainSummary(tab); err != nil {
		return nil, err
	}
	in.network, err = copyNetworkColumns(tab)
	return &in, err
}

func taskBatch(tb *tasks.Batch) *rnn.Batch { b := rnn.Batch(*tb); return &b }

// kernelAlignment compares the NTK of the final network with the initial one
// on the same probe trials.
func kernelAlignment(in *recordInputs, p NTKParams) (float64, error) {
	k0, _, err := rnn.NTK(in.init, in.probe, p.Trials, p.Steps)
	if err != nil {
		return 0, err
	}
	kT, _, err := rnn.NTK(in.final, in.probe, p.Trials, p.Steps)
	if err != nil {
		return 0, err
	}
	return rnn.KernelAlignment(kT, k0), nil
}

// trialTable lays a time-major T·B·width block out tidy, sorted by trial,
// t, then the index column.
func trialTable(index string, v []float32, B, T, width int) *artifacts.Table {
	k := B * T * width
	trial, ts, idx, vals := make([]int64, 0, k), make([]int64, 0, k), make([]int64, 0, k), make([]float32, 0, k)
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			row := v[(t*B+b)*width : (t*B+b+1)*width]
			for i, x := range row {
				trial, ts, idx, vals = append(trial, int64(b)), append(ts, int64(t)), append(idx, int64(i)), append(vals, x)
			}
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("trial", trial),
		artifacts.Int64Col("t", ts),
		artifacts.Int64Col(index, idx),
		artifacts.Float32Col("value", vals),
	}}
}

func recordSummaryTable(network []artifacts.Column, s rnn.Summary, testMSE, oodMSE, change, align float64) *artifacts.Table {
	cols := append(append([]artifacts.Column(nil), network...),
		artifacts.Float64Col("test_mse", []float64{testMSE}),
		artifacts.Float64Col("ood_mse", []float64{oodMSE}),
		artifacts.Float64Col("weight_change", []float64{change}),
		artifacts.Float64Col("kernel_alignment", []float64{align}))
	return &artifacts.Table{Columns: append(cols, outcomeColumns(s)...)}
}
