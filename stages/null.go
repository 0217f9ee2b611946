package stages

import (
	"context"
	"fmt"
	"strconv"

	"degen/artifacts"
	"degen/metrics/dsa"
	"degen/rnn"
	"degen/tasks"
)

// DSANull is the dsanull stage: the DSA null distribution of one trained
// network, the distance between the network and itself on freshly seeded
// probe sets (beyond the paper; docs/figures.md). Two networks are only
// said to differ in their dynamics when they differ by more than this floor.
//
// Dep "train" (weights_final). For r = 0..Resamples−1 the network is run on
// probe set "null/r" (same size as the condition's probe set, drawn the way
// generate draws its sets, so every network of a condition sees the same
// resampled sets), its states are DSA-fitted exactly as dsafit does, and
// every pair of fits is compared exactly as align does. Output
// (docs/schema.md, "dsanull"): pairs, one row per resample pair × DSA
// metric, sorted by resample_a, resample_b, metric.
type DSANull struct{}

func (DSANull) Name() string { return "dsanull" }
func (DSANull) Version() int { return 1 }

// NullParams choose how much of the null distribution to compute, per
// condition: the first Networks seeds, each on Resamples probe sets.
// Networks = 0 turns the null distribution off.
type NullParams struct {
	Networks  int `toml:"networks" json:"networks"`
	Resamples int `toml:"resamples" json:"resamples"`
}

// DefaultNullParams: 2 networks × 4 resamples, 12 null pairs per condition
// at the cost of 8 fits and 12 comparisons.
func DefaultNullParams() NullParams { return NullParams{Networks: 2, Resamples: 4} }

// Validate reports settings that give no null pair.
func (p NullParams) Validate() error {
	if p.Networks < 0 {
		return fmt.Errorf("networks: %d, want ≥ 0 (0 turns the DSA null off)", p.Networks)
	}
	if p.Networks > 0 && p.Resamples < 2 {
		return fmt.Errorf("resamples: %d, want ≥ 2 (a null pair needs two probe sets)", p.Resamples)
	}
	return nil
}

// DSANullParams are one dsanull action's parameters.
type DSANullParams struct {
	Task      tasks.Params    `json:"task"`
	Model     rnn.ModelParams `json:"model"`
	DSA       dsa.Params      `json:"dsa"`
	Seed      int64           `json:"seed"`
	Trials    int             `json:"trials"` // per probe set
	Resamples int             `json:"resamples"`
}

// DSA metrics of the null pairs, in sorted order.
var nullMetrics = []string{MetricDSAAngular, MetricDSAEuclidean, MetricDSAWasserstein}

// NewDSANullAction is the dsanull action of one network of c.
func NewDSANullAction(c *Condition, seed int64, train *Action, label string, attrs []Attr) *Action {
	p := DSANullParams{Task: c.Task, Model: c.Model, DSA: c.DSA, Seed: seed,
		Trials: DefaultGenerateParams(c.Task).Probe, Resamples: c.Null.Resamples}
	return &Action{Stage: DSANull{}, Params: p, Deps: []Dep{{DepTrain, train}}, Label: label, Attrs: attrs}
}

// Run fits the network on each resampled probe set and compares the fits.
func (DSANull) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[DSANullParams](a)
	if err != nil {
		return err
	}
	if p.Resamples < 2 || p.Trials < 1 {
		return fmt.Errorf("dsanull: %d resamples of %d trials, want ≥ 2 of ≥ 1", p.Resamples, p.Trials)
	}
	tab, err := env.Input(DepTrain, OutWeightsFinal)
	if err != nil {
		return err
	}
	in, out := p.Task.Widths()
	net, err := NetFromTable(tab, p.Model, in, out)
	if err != nil {
		return fmt.Errorf("dsanull: %w", err)
	}
	fits := make([]*alignNet, p.Resamples)
	for r := range fits {
		if err := ctx.Err(); err != nil {
			return err
		}
		if fits[r], err = nullFit(net, p, r); err != nil {
			return fmt.Errorf("dsanull resample %d: %w", r, err)
		}
	}
	rows, err := nullPairs(ctx, fits, p.DSA)
	if err != nil {
		return fmt.Errorf("dsanull: %w", err)
	}
	env.Logf("dsanull seed %d: %d fits, %d pairs", p.Seed, len(fits), len(rows.a)/len(nullMetrics))
	return env.Write(OutPairs, rows.table())
}

// nullFit records the network on probe set "null/r" and fits its operator
// through the same tables record and dsafit use, so the null floor and the
// condition's distances come from one code path.
func nullFit(net *rnn.Net, p DSANullParams, r int) (*alignNet, error) {
	b, err := generateSet(p.Task, "null/"+strconv.Itoa(r), p.Trials, false)
	if err != nil {
		return nil, err
	}
	h, _, _, err := net.Run(taskBatch(b))
	if err != nil {
		return nil, err
	}
	tr, err := trialsFromTable(trialTable("unit", h, b.B, b.T, p.Model.N))
	if err != nil {
		return nil, err
	}
	m, err := fitOperator(tr, p.DSA) // nil if unusable: its pairs are NaN, as in align
	return &alignNet{op: m}, err
}

// nullRows are the dsanull pairs, column by column.
type nullRows struct {
	a, b   []int64
	metric []string
	value  []float64
}

func nullPairs(ctx context.Context, fits []*alignNet, dp dsa.Params) (*nullRows, error) {
	var rows nullRows
	for i := range fits {
		for j := i + 1; j < len(fits); j++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			v := newPairValues()
			if err := dsaMetrics(v, fits[i], fits[j], dp); err != nil {
				return nil, err
			}
			for _, m := range nullMetrics {
				rows.a, rows.b = append(rows.a, int64(i)), append(rows.b, int64(j))
				rows.metric, rows.value = append(rows.metric, m), append(rows.value, v[pairMetricIndex(m)])
			}
		}
	}
	return &rows, nil
}

func (r *nullRows) table() *artifacts.Table {
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("resample_a", nonNil(r.a)),
		artifacts.Int64Col("resample_b", nonNil(r.b)),
		artifacts.DictCol("metric", nonNil(r.metric)),
		artifacts.Float64Col("value", nonNil(r.value)),
	}}
}
