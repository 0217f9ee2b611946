package stages

import (
	"context"
	"encoding/json"
	"math"
	"math/cmplx"
	"testing"

	"degen/artifacts"
	"degen/metrics/dsa"

	"gonum.org/v1/gonum/mat"
)

// rotatingTrajectories is T2's D1 system, x_{t+1} = [[0.9,−0.2],[0.2,0.9]] x_t,
// from three initial states, 50 steps, as record writes it (float32,
// sorted by trial, t, unit).
func rotatingTrajectories() *artifacts.Table {
	var trial, ts, unit []int64
	var vals []float32
	for k, x0 := range [][2]float64{{1, 0}, {0, 1}, {1, 1}} {
		x := x0
		for t := 0; t < 50; t++ {
			for u := 0; u < 2; u++ {
				trial, ts, unit, vals = append(trial, int64(k)), append(ts, int64(t)), append(unit, int64(u)), append(vals, float32(x[u]))
			}
			x = [2]float64{0.9*x[0] - 0.2*x[1], 0.2*x[0] + 0.9*x[1]}
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("trial", trial), artifacts.Int64Col("t", ts),
		artifacts.Int64Col("unit", unit), artifacts.Float32Col("value", vals),
	}}
}

func fitParams() DSAFitParams {
	p := dsa.DefaultParams()
	p.NDelays, p.Rank = 2, 2
	return DSAFitParams{DSA: p}
}

func runDSAFit(t *testing.T, traj *artifacts.Table, p DSAFitParams) *memEnv {
	t.Helper()
	env := newMemEnv()
	env.inputs[DepRecord+"/"+OutTrajectories] = traj
	a := &Action{Stage: DSAFit{}, Params: p}
	if err := (DSAFit{}).Run(context.Background(), a, env); err != nil {
		t.Fatal(err)
	}
	return env
}

// TestDSAFitRecoversSpectrum: the operator fitted from float32 states of a
// rotation-contraction has its eigenvalues 0.9 ± 0.2i, and every output
// reads back consistently.
func TestDSAFitRecoversSpectrum(t *testing.T) {
	env := runDSAFit(t, rotatingTrajectories(), fitParams())
	if got, want := env.order, []string{OutOperator, OutEig, OutSingular}; !equalStrings(got, want) {
		t.Fatalf("outputs %v, want %v", got, want)
	}
	m, err := OperatorFromTable(env.written[OutOperator])
	if err != nil {
		t.Fatal(err)
	}
	if m.Rank != 2 {
		t.Fatalf("rank %d, want 2", m.Rank)
	}
	eig := env.written[OutEig]
	for i, want := range []complex128{complex(0.9, 0.2), complex(0.9, -0.2)} {
		got := complex(eig.Col("re").F64[i], eig.Col("im").F64[i])
		if cmplx.Abs(got-want) > 1e-6 {
			t.Errorf("eig[%d] = %v, want %v (float32 states)", i, got, want)
		}
		if m.Eig[i] != got {
			t.Errorf("eig[%d]: table %v, recomputed from operator %v", i, got, m.Eig[i])
		}
	}
	if s := env.written[OutSingular].Col("value").F64; len(s) != 2 || !(s[0] >= s[1] && s[1] > 0) {
		t.Errorf("singular values %v, want 2 positive, descending", s)
	}
}

// TestDSAFitMatchesPackage: the stage's operator has the same bits as
// dsa.Fit on the same states widened to float64.
func TestDSAFitMatchesPackage(t *testing.T) {
	traj := rotatingTrajectories()
	env := runDSAFit(t, traj, fitParams())
	got, err := OperatorFromTable(env.written[OutOperator])
	if err != nil {
		t.Fatal(err)
	}
	tr, err := trialsFromTable(traj)
	if err != nil {
		t.Fatal(err)
	}
	want, err := dsa.Fit(tr, fitParams().DSA)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got.A, want.A) {
		t.Errorf("stage operator %v, dsa.Fit %v", mat.Formatted(got.A), mat.Formatted(want.A))
	}
}

// TestDSAFitGolden pins the outputs' bits; a change here needs a Version
// bump.
func TestDSAFitGolden(t *testing.T) {
	if (DSAFit{}).Version() != 2 {
		t.Fatalf("version bumped: update the digests below")
	}
	env := runDSAFit(t, rotatingTrajectories(), fitParams())
	want := map[string]string{
		OutOperator: "113ec30da10b0a1f85cdfaf104d7faa1f1d6cb391d98766b4ed592e34d77be65",
		OutEig:      "48012124ffd227fa7ad42cd734ccd58c2f50676c56e24c8e9ec1e1b99ead8daf",
		OutSingular: "7bd1d5da017c5ed8dfe3086e7917f938dc07bcf4a2b807f9bd2d120b5cf1519f",
	}
	for out, w := range want {
		if got := tableDigest(env.written[out]); got != w {
			t.Errorf("%s digest %s, want %s", out, got, w)
		}
	}
}

// TestDSAFitKey: comparison settings stay out of the action's key, fit
// settings are in it.
func TestDSAFitKey(t *testing.T) {
	key := func(mod func(*dsa.Params)) string {
		p := fitParams()
		mod(&p.DSA)
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	base := key(func(*dsa.Params) {})
	for name, mod := range map[string]func(*dsa.Params){
		"score":         func(p *dsa.Params) { p.Score = dsa.Wasserstein },
		"random_starts": func(p *dsa.Params) { p.RandomStarts = 3 },
		"max_iter":      func(p *dsa.Params) { p.MaxIter = 7 },
		"tol":           func(p *dsa.Params) { p.Tol = 1e-3 },
	} {
		if got := key(mod); got != base {
			t.Errorf("%s changes the key: %s vs %s", name, got, base)
		}
	}
	for name, mod := range map[string]func(*dsa.Params){
		"n_delays":                func(p *dsa.Params) { p.NDelays = 3 },
		"delay_interval":          func(p *dsa.Params) { p.DelayInterval = 2 },
		"rank":                    func(p *dsa.Params) { p.Rank = 1 },
		"rank_thresh":             func(p *dsa.Params) { p.Rank, p.RankThresh = 0, 0.1 },
		"rank_explained_variance": func(p *dsa.Params) { p.Rank, p.RankExplainedVariance = 0, 0.9 },
		"lambda":                  func(p *dsa.Params) { p.Lambda = 1e-8 },
	} {
		if got := key(mod); got == base {
			t.Errorf("%s does not change the key %s", name, got)
		}
	}
	var back DSAFitParams
	if err := json.Unmarshal([]byte(base), &back); err != nil || back.DSA.Fit() != fitParams().DSA.Fit() {
		t.Errorf("key %s decodes to %+v (%v)", base, back.DSA.Fit(), err)
	}
}

// TestDSAFitNoOperator: non-finite or all-zero states give empty outputs
// that align reads as "no operator".
func TestDSAFitNoOperator(t *testing.T) {
	for name, v := range map[string]float32{"nan": float32(math.NaN()), "inf": float32(math.Inf(1))} {
		t.Run(name, func(t *testing.T) {
			traj := rotatingTrajectories()
			traj.Col("value").F32[17] = v
			env := runDSAFit(t, traj, fitParams())
			for _, out := range []string{OutOperator, OutEig, OutSingular} {
				if n := env.written[out].Rows(); n != 0 {
					t.Errorf("%s has %d rows, want 0", out, n)
				}
			}
			if m, err := OperatorFromTable(env.written[OutOperator]); m != nil || err != nil {
				t.Errorf("OperatorFromTable = %v, %v; want nil, nil", m, err)
			}
		})
	}
	t.Run("zero", func(t *testing.T) {
		traj := rotatingTrajectories()
		clear(traj.Col("value").F32)
		if n := runDSAFit(t, traj, fitParams()).written[OutOperator].Rows(); n != 0 {
			t.Errorf("operator has %d rows, want 0", n)
		}
	})
}

func TestDSAFitRejects(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*artifacts.Table, *DSAFitParams)
	}{
		{"missing unit column", func(tab *artifacts.Table, _ *DSAFitParams) { tab.Columns[2].Name = "channel" }},
		{"value float64", func(tab *artifacts.Table, _ *DSAFitParams) {
			tab.Columns[3] = artifacts.Float64Col("value", make([]float64, tab.Rows()))
		}},
		{"repeated entry", func(tab *artifacts.Table, _ *DSAFitParams) {
			tab.Col("unit").Ints[1] = 0
			tab.Col("unit").Ints[0] = 1
			tab.Col("t").Ints[2] = 0
		}},
		{"bad params", func(_ *artifacts.Table, p *DSAFitParams) { p.DSA.NDelays = 0 }},
		{"too many delays", func(_ *artifacts.Table, p *DSAFitParams) { p.DSA.NDelays = 51 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			traj, p := rotatingTrajectories(), fitParams()
			tc.mod(traj, &p)
			env := newMemEnv()
			env.inputs[DepRecord+"/"+OutTrajectories] = traj
			if err := (DSAFit{}).Run(context.Background(), &Action{Stage: DSAFit{}, Params: p}, env); err == nil {
				t.Error("Run succeeded, want an error")
			}
		})
	}
}

func TestOperatorFromTableRejects(t *testing.T) {
	good := operatorTable(&dsa.Model{A: mat.NewDense(2, 2, []float64{1, 2, 3, 4}), Rank: 2})
	m, err := OperatorFromTable(good)
	if err != nil || !mat.Equal(m.A, mat.NewDense(2, 2, []float64{1, 2, 3, 4})) {
		t.Fatalf("round trip: %v, %v", m, err)
	}
	short := operatorTable(&dsa.Model{A: mat.NewDense(2, 2, []float64{1, 2, 3, 4}), Rank: 2})
	for i := range short.Columns {
		c := &short.Columns[i]
		if c.Kind == artifacts.Int64 {
			c.Ints = c.Ints[:3]
		} else {
			c.F64 = c.F64[:3]
		}
	}
	if _, err := OperatorFromTable(short); err == nil {
		t.Error("3-entry operator accepted")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
