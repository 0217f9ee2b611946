package stages

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"degen/artifacts"
	"degen/metrics/dsa"

	"gonum.org/v1/gonum/mat"
)

// DSAFit is the dsafit stage: one network's DSA operator, fitted once from
// its probe-set states and compared many times by align (SPEC §4). Dep
// "record" (a record action, output trajectories). Outputs
// (docs/schema.md, "dsafit"):
//
//	operator  the r×r operator A: row, col, value
//	eig       its eigenvalues: index, re, im
//	singular  the kept Hankel singular values: index, value
//
// A network whose states are not finite (or all zero) has no operator: the
// three tables are written empty, and align reports its DSA metrics as NaN.
type DSAFit struct{}

func (DSAFit) Name() string { return "dsafit" }
func (DSAFit) Version() int { return 2 } // 2: own tridiagonal/bisection fit, explicit rounding everywhere

// Dependency and output names of the dsafit stage (OutOperator is in
// align.go, which reads it).
const (
	DepRecord   = "record"
	OutEig      = "eig"
	OutSingular = "singular"
)

// DSAFitParams carry the condition's DSA settings. Only the fit fields reach
// the action's key (MarshalJSON), so changing the score, the starts or the
// optimiser's tolerance re-runs align but never refits.
type DSAFitParams struct {
	DSA dsa.Params `json:"dsa"`
}

// MarshalJSON encodes the fit-relevant fields only: this encoding is what
// the engine hashes into the ActionID.
func (p DSAFitParams) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		DSA dsa.FitParams `json:"dsa"`
	}{p.DSA.Fit()})
}

// NewDSAFitAction is the dsafit action for the network recorded by record.
func NewDSAFitAction(record *Action, p dsa.Params, label string, attrs []Attr) *Action {
	return &Action{Stage: DSAFit{}, Params: DSAFitParams{DSA: p}, Deps: []Dep{{DepRecord, record}},
		Label: label, Attrs: attrs}
}

// fitOperator fits the DSA operator of one network's trajectories: nil (and
// no error) when they are unusable (not finite, or all zero), so every pair
// with that network is NaN. dsafit and the null floor both fit through it.
func fitOperator(tr dsa.Trials, p dsa.Params) (*dsa.Model, error) {
	if !usable(tr) {
		return nil, nil
	}
	return dsa.Fit(tr, p)
}

// Run fits the operator and writes operator, eig and singular.
func (DSAFit) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[DSAFitParams](a)
	if err != nil {
		return err
	}
	tab, err := env.Input(DepRecord, OutTrajectories)
	if err != nil {
		return err
	}
	tr, err := trialsFromTable(tab)
	if err != nil {
		return fmt.Errorf("dsafit: %s: %w", OutTrajectories, err)
	}
	m, err := fitOperator(tr, p.DSA)
	if err != nil {
		return fmt.Errorf("dsafit: %w", err)
	}
	if m == nil {
		env.Logf("dsafit: states are not finite or all zero; writing no operator")
	}
	for _, out := range []struct {
		name string
		t    *artifacts.Table
	}{{OutOperator, operatorTable(m)}, {OutEig, eigTable(m)}, {OutSingular, singularTable(m)}} {
		if err := env.Write(out.name, out.t); err != nil {
			return err
		}
	}
	return nil
}

// trialsFromTable reads record's trajectories (trial, t, unit, value
// float32; any row order, every (trial, t, unit) exactly once) as one T×N
// block per trial.
func trialsFromTable(tab *artifacts.Table) (dsa.Trials, error) {
	tc, sc, uc, vc := tab.Col("trial"), tab.Col("t"), tab.Col("unit"), tab.Col("value")
	if tc == nil || sc == nil || uc == nil || vc == nil || tc.Kind != artifacts.Int64 || sc.Kind != artifacts.Int64 ||
		uc.Kind != artifacts.Int64 || vc.Kind != artifacts.Float32 {
		return dsa.Trials{}, errors.New("want columns trial, t, unit (int64), value (float32)")
	}
	var b, t, n int64
	for i := range tc.Ints {
		if tc.Ints[i] < 0 || sc.Ints[i] < 0 || uc.Ints[i] < 0 {
			return dsa.Trials{}, fmt.Errorf("row %d: negative index", i)
		}
		b, t, n = max(b, tc.Ints[i]+1), max(t, sc.Ints[i]+1), max(n, uc.Ints[i]+1)
	}
	if tab.Rows() == 0 || b*t*n != int64(tab.Rows()) {
		return dsa.Trials{}, fmt.Errorf("%d rows, want a dense %d trials × %d steps × %d units", tab.Rows(), b, t, n)
	}
	tr := dsa.Trials{N: int(n), Data: make([][]float64, b)}
	seen := make([]bool, b*t*n)
	for k := range tr.Data {
		tr.Data[k] = make([]float64, t*n)
	}
	for i := range tc.Ints {
		at := (tc.Ints[i]*t+sc.Ints[i])*n + uc.Ints[i]
		if seen[at] {
			return dsa.Trials{}, fmt.Errorf("row %d repeats trial %d, t %d, unit %d", i, tc.Ints[i], sc.Ints[i], uc.Ints[i])
		}
		seen[at] = true
		tr.Data[tc.Ints[i]][sc.Ints[i]*n+uc.Ints[i]] = float64(vc.F32[i])
	}
	return tr, nil
}

// usable reports states a fit can use: all finite, not all zero.
func usable(tr dsa.Trials) bool {
	nonzero := false
	for _, x := range tr.Data {
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
			nonzero = nonzero || v != 0
		}
	}
	return nonzero
}

func operatorTable(m *dsa.Model) *artifacts.Table {
	var rows, cols []int64
	var vals []float64
	if m != nil {
		r := m.Rank
		for i := 0; i < r; i++ {
			for j := 0; j < r; j++ {
				rows, cols, vals = append(rows, int64(i)), append(cols, int64(j)), append(vals, m.A.At(i, j))
			}
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("row", nonNil(rows)),
		artifacts.Int64Col("col", nonNil(cols)),
		artifacts.Float64Col("value", nonNil(vals)),
	}}
}

func eigTable(m *dsa.Model) *artifacts.Table {
	var idx []int64
	var re, im []float64
	if m != nil {
		for i, e := range m.Eig {
			idx, re, im = append(idx, int64(i)), append(re, real(e)), append(im, imag(e))
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("index", nonNil(idx)),
		artifacts.Float64Col("re", nonNil(re)),
		artifacts.Float64Col("im", nonNil(im)),
	}}
}

func singularTable(m *dsa.Model) *artifacts.Table {
	var idx []int64
	var vals []float64
	if m != nil {
		for i, s := range m.S {
			idx, vals = append(idx, int64(i)), append(vals, s)
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("index", nonNil(idx)),
		artifacts.Float64Col("value", nonNil(vals)),
	}}
}

// nonNil keeps empty columns typed but non-nil, so an empty output has the
// same schema as a full one whatever the writer does with nil slices.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// OperatorFromTable reads a dsafit operator table back as a Model (A, Rank
// and Eig; S is not in this table). An empty table is a network without an
// operator: it returns nil and no error.
func OperatorFromTable(tab *artifacts.Table) (*dsa.Model, error) {
	if tab.Rows() == 0 {
		return nil, nil
	}
	rc, cc, vc := tab.Col("row"), tab.Col("col"), tab.Col("value")
	if rc == nil || cc == nil || vc == nil || rc.Kind != artifacts.Int64 || cc.Kind != artifacts.Int64 || vc.Kind != artifacts.Float64 {
		return nil, errors.New("operator: want columns row, col (int64), value (float64)")
	}
	var r int64
	for i := range rc.Ints {
		if rc.Ints[i] < 0 || cc.Ints[i] < 0 {
			return nil, fmt.Errorf("operator: row %d: negative index", i)
		}
		r = max(r, rc.Ints[i]+1, cc.Ints[i]+1)
	}
	if r*r != int64(tab.Rows()) {
		return nil, fmt.Errorf("operator: %d rows, want a dense %d×%d matrix", tab.Rows(), r, r)
	}
	a := mat.NewDense(int(r), int(r), nil)
	seen := make([]bool, r*r)
	for i := range rc.Ints {
		at := rc.Ints[i]*r + cc.Ints[i]
		if seen[at] {
			return nil, fmt.Errorf("operator: row %d repeats entry (%d, %d)", i, rc.Ints[i], cc.Ints[i])
		}
		seen[at] = true
		a.Set(int(rc.Ints[i]), int(cc.Ints[i]), vc.F64[i])
	}
	return dsa.NewModel(a)
}
