package stages

import (
	"errors"
	"fmt"
	"math"

	"degen/artifacts"
	"degen/metrics/dsa"
	"degen/metrics/rep"

	"gonum.org/v1/gonum/mat"
)

// alignNet is one network's inputs to the pair metrics, decoded once per
// align action. A nil field has no value (not finite, no variance, no
// operator): its metrics are NaN.
type alignNet struct {
	wrec  *mat.Dense // recurrent weights, n×n
	probe *rep.Probe // centred probe states, (trial, t) × unit
	op    *dsa.Model // DSA operator (dsafit)
}

// Recurrent weight parameter names: SP and µP (rnn.Net.Tensors).
var recurrentParams = []string{"w_rec", "J"}

func readAlignNet(env Env, seed int64) (*alignNet, error) {
	var n alignNet
	tab, err := env.Input(DepName(Train{}.Name(), seed), OutWeightsFinal)
	if err != nil {
		return nil, err
	}
	if n.wrec, err = recurrentMatrix(tab); err != nil {
		return nil, fmt.Errorf("%s: %w", OutWeightsFinal, err)
	}
	if tab, err = env.Input(DepName(Record{}.Name(), seed), OutTrajectories); err != nil {
		return nil, err
	}
	states, err := trajectoryMatrix(tab)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", OutTrajectories, err)
	}
	if tab, err = env.Input(DepName(DSAFit{}.Name(), seed), OutOperator); err != nil {
		return nil, err
	}
	if n.op, err = OperatorFromTable(tab); err != nil {
		return nil, fmt.Errorf("%s: %w", OutOperator, err)
	}
	if !finite(n.wrec) {
		env.Logf("align seed %d: recurrent weights not finite; its d_PIF is NaN", seed)
		n.wrec = nil
	}
	if !finite(states) {
		env.Logf("align seed %d: probe states not finite; its Procrustes, CKA are NaN", seed)
	} else if n.probe, err = rep.NewProbe(states); err != nil {
		return nil, fmt.Errorf("%s: %w", OutTrajectories, err)
	}
	if n.op != nil && !finite(n.op.A) {
		n.op = nil
	}
	return &n, nil
}

// recurrentMatrix reads the recurrent matrix out of a weights table
// (param, row, col, value; see WeightsTable).
func recurrentMatrix(tab *artifacts.Table) (*mat.Dense, error) {
	pc, rc, cc, vc := tab.Col("param"), tab.Col("row"), tab.Col("col"), tab.Col("value")
	if pc == nil || rc == nil || cc == nil || vc == nil || rc.Kind != artifacts.Int64 || cc.Kind != artifacts.Int64 || vc.Kind != artifacts.Float32 {
		return nil, errors.New("want columns param, row, col (int64), value (float32)")
	}
	for _, name := range recurrentParams {
		var idx []int
		n := int64(0)
		for i, p := range pc.Strs {
			if p == name {
				idx = append(idx, i)
				n = max(n, rc.Ints[i]+1, cc.Ints[i]+1)
			}
		}
		if len(idx) == 0 {
			continue
		}
		if int64(len(idx)) != n*n {
			return nil, fmt.Errorf("%s has %d entries, want %d×%d", name, len(idx), n, n)
		}
		m := mat.NewDense(int(n), int(n), nil)
		for _, i := range idx {
			m.Set(int(rc.Ints[i]), int(cc.Ints[i]), float64(vc.F32[i]))
		}
		return m, nil
	}
	return nil, fmt.Errorf("no recurrent matrix (param %v)", recurrentParams)
}

// trajectoryMatrix reads record's trajectories (trial, t, unit, value) as
// a (trial·T + t) × unit matrix: time and trials pooled in rows, in the
// same order for every network of a condition.
func trajectoryMatrix(tab *artifacts.Table) (*mat.Dense, error) {
	tc, sc, uc, vc := tab.Col("trial"), tab.Col("t"), tab.Col("unit"), tab.Col("value")
	if tc == nil || sc == nil || uc == nil || vc == nil || tc.Kind != artifacts.Int64 || sc.Kind != artifacts.Int64 ||
		uc.Kind != artifacts.Int64 || vc.Kind != artifacts.Float32 {
		return nil, errors.New("want columns trial, t, unit (int64), value (float32)")
	}
	var B, T, N int64
	for i := range tc.Ints {
		B, T, N = max(B, tc.Ints[i]+1), max(T, sc.Ints[i]+1), max(N, uc.Ints[i]+1)
	}
	if B*T*N != int64(tab.Rows()) || tab.Rows() == 0 {
		return nil, fmt.Errorf("%d rows, want a dense %d trials × %d steps × %d units", tab.Rows(), B, T, N)
	}
	m := mat.NewDense(int(B*T), int(N), nil)
	for i := range tc.Ints {
		if tc.Ints[i] < 0 || sc.Ints[i] < 0 || uc.Ints[i] < 0 {
			return nil, fmt.Errorf("row %d: negative index", i)
		}
		m.Set(int(tc.Ints[i]*T+sc.Ints[i]), int(uc.Ints[i]), float64(vc.F32[i]))
	}
	return m, nil
}

func finite(m *mat.Dense) bool {
	for _, v := range m.RawMatrix().Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
