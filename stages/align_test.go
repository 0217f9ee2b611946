package stages

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"degen/artifacts"
	"degen/internal/seed"
	"degen/metrics/dsa"
	"degen/metrics/rep"
	"degen/metrics/weights"

	"gonum.org/v1/gonum/mat"
)

// alignFixture is one fake network's align inputs: recurrent weights,
// probe states (B trials × T steps × N units, time-major like rnn.Run) and
// a DSA operator.
type alignFixture struct {
	w      *mat.Dense
	states []float32 // time-major: (t*trials + trial)*n + unit
	trials int
	steps  int
	op     *mat.Dense
}

const fixB, fixT = 4, 30

func randomFixture(rng *rand.Rand, n, r int) alignFixture {
	f := alignFixture{w: mat.NewDense(n, n, nil), states: make([]float32, fixB*fixT*n), trials: fixB, steps: fixT,
		op: mat.NewDense(r, r, nil)}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			f.w.Set(i, j, float64(float32(rng.NormFloat64()/math.Sqrt(float64(n)))))
		}
	}
	for k := range f.states {
		f.states[k] = float32(rng.NormFloat64())
	}
	for i := 0; i < r; i++ {
		for j := 0; j < r; j++ {
			f.op.Set(i, j, rng.NormFloat64()/float64(r))
		}
	}
	return f
}

// relabelled is f with its units permuted (unit i becomes unit perm[i]) and
// its operator conjugated by an orthogonal q: the same network to every
// metric.
func (f alignFixture) relabelled(perm []int, q *mat.Dense) alignFixture {
	n, _ := f.w.Dims()
	g := alignFixture{w: mat.NewDense(n, n, nil), states: make([]float32, len(f.states)), trials: f.trials,
		steps: f.steps, op: &mat.Dense{}}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.w.Set(perm[i], perm[j], f.w.At(i, j))
		}
	}
	for row := 0; row < f.trials*f.steps; row++ {
		for i := 0; i < n; i++ {
			g.states[row*n+perm[i]] = f.states[row*n+i]
		}
	}
	g.op.Mul(q, f.op)
	g.op.Mul(g.op, q.T())
	return g
}

func (f alignFixture) install(env *memEnv, s int64) {
	n, _ := f.w.Dims()
	var names []string
	var rows, cols []int64
	var vals []float32
	for _, p := range []string{"b", "w_rec"} { // a bias first: the reader must pick w_rec
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if p == "b" && j > 0 {
					continue
				}
				names, rows, cols = append(names, p), append(rows, int64(i)), append(cols, int64(j))
				vals = append(vals, float32(f.w.At(i, j)))
			}
		}
	}
	env.inputs[DepName("train", s)+"/"+OutWeightsFinal] = &artifacts.Table{Columns: []artifacts.Column{
		artifacts.DictCol("param", names), artifacts.Int64Col("row", rows),
		artifacts.Int64Col("col", cols), artifacts.Float32Col("value", vals)}}
	env.inputs[DepName("record", s)+"/"+OutTrajectories] = trialTable("unit", f.states, f.trials, f.steps, n)
	r, _ := f.op.Dims()
	var or, oc []int64
	var ov []float64
	for i := 0; i < r; i++ {
		for j := 0; j < r; j++ {
			or, oc, ov = append(or, int64(i)), append(oc, int64(j)), append(ov, f.op.At(i, j))
		}
	}
	env.inputs[DepName("dsafit", s)+"/"+OutOperator] = &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("row", or), artifacts.Int64Col("col", oc), artifacts.Float64Col("value", ov)}}
}

// statesMatrix is the states as align pools them: row trial·steps + t.
func (f alignFixture) statesMatrix(n int) *mat.Dense {
	m := mat.NewDense(f.trials*f.steps, n, nil)
	for t := 0; t < f.steps; t++ {
		for b := 0; b < f.trials; b++ {
			for i := 0; i < n; i++ {
				m.Set(b*f.steps+t, i, float64(f.states[(t*f.trials+b)*n+i]))
			}
		}
	}
	return m
}

func testAlignParams(s int64, earlier ...int64) AlignParams {
	return AlignParams{Seed: s, Earlier: earlier, DSA: dsa.DefaultParams(), PIF: weights.DefaultParams()}
}

// alignWorld is three networks: 10 random, 20 a relabelled copy of 10, 30
// random.
func alignWorld(t *testing.T, n int) (*memEnv, map[int64]alignFixture) {
	t.Helper()
	rng := seed.New("align", "world", fmt.Sprint(n))
	f10 := randomFixture(rng, n, 3)
	var qr mat.QR
	qr.Factorize(mat.NewDense(3, 3, []float64{1, 2, 0, -1, 1, 3, 2, 0, 1}))
	var q mat.Dense
	qr.QTo(&q)
	nets := map[int64]alignFixture{10: f10, 20: f10.relabelled(rng.Perm(n), &q), 30: randomFixture(rng, n, 3)}
	env := newMemEnv()
	for s, f := range nets {
		f.install(env, s)
	}
	return env, nets
}

func runAlign(t *testing.T, env *memEnv, p AlignParams) *artifacts.Table {
	t.Helper()
	env.written = map[string]*artifacts.Table{}
	if err := (Align{}).Run(context.Background(), &Action{Stage: Align{}, Params: p}, env); err != nil {
		t.Fatal(err)
	}
	return env.written[OutPairs]
}

func pairValue(t *testing.T, tab *artifacts.Table, a, b int64, metric string) float64 {
	t.Helper()
	for r := range tab.Rows() {
		if tab.Col("seed_a").Ints[r] == a && tab.Col("seed_b").Ints[r] == b && tab.Col("metric").Strs[r] == metric {
			return tab.Col("value").F64[r]
		}
	}
	t.Fatalf("no row %d, %d, %s", a, b, metric)
	return 0
}

func TestAlignRelabelledCopy(t *testing.T) {
	env, _ := alignWorld(t, 8)
	tab := runAlign(t, env, testAlignParams(20, 10))
	if got, want := tab.Rows(), len(PairMetrics); got != want {
		t.Fatalf("rows = %d, want %d", got, want)
	}
	tests := []struct {
		metric    string
		want, tol float64
	}{
		{MetricPIF, 0, 0},
		{MetricPIFNorm, 0, 0},
		{MetricProcrustes, 0, 1e-6},
		{MetricCKA, 1, 1e-12},
		{MetricDSAAngular, 0, 1e-6},
		{MetricDSAEuclidean, 0, 1e-6},
		{MetricDSAWasserstein, 0, 1e-12},
	}
	for _, tc := range tests {
		t.Run(tc.metric, func(t *testing.T) {
			if got := pairValue(t, tab, 10, 20, tc.metric); math.Abs(got-tc.want) > tc.tol {
				t.Errorf("%s = %v, want %v", tc.metric, got, tc.want)
			}
		})
	}
	if got := pairValue(t, tab, 10, 20, MetricPIFIdentity); !(got > 0) {
		t.Errorf("pif_identity = %v, want > 0 (the copy is relabelled)", got)
	}
}

// TestAlignMatchesMetrics: the stage reports what the metric packages
// compute directly, rows sorted by seed_a then metric.
func TestAlignMatchesMetrics(t *testing.T) {
	const n = 8
	env, nets := alignWorld(t, n)
	tab := runAlign(t, env, testAlignParams(30, 10, 20))
	if got, want := tab.Rows(), 2*len(PairMetrics); got != want {
		t.Fatalf("rows = %d, want %d", got, want)
	}
	for r := range tab.Rows() {
		wantA := []int64{10, 20}[r/len(PairMetrics)]
		if tab.Col("seed_a").Ints[r] != wantA || tab.Col("seed_b").Ints[r] != 30 || tab.Col("metric").Strs[r] != PairMetrics[r%len(PairMetrics)] {
			t.Fatalf("row %d = (%d, %d, %s), out of order", r, tab.Col("seed_a").Ints[r], tab.Col("seed_b").Ints[r], tab.Col("metric").Strs[r])
		}
	}
	a, b := nets[10], nets[30]
	rr, err := rep.Compare(a.statesMatrix(n), b.statesMatrix(n))
	if err != nil {
		t.Fatal(err)
	}
	start, err := weights.ActivityMatch(a.statesMatrix(n), b.statesMatrix(n))
	if err != nil {
		t.Fatal(err)
	}
	pr, err := weights.PIF(a.w, b.w, start, weights.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	dr, err := dsa.CompareOperators(a.op, b.op, dsa.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		metric string
		want   float64
	}{
		{MetricCKA, rr.CKA}, {MetricProcrustes, rr.Angular}, {MetricPIF, pr.D}, {MetricPIFNorm, pr.DNorm},
		{MetricPIFIdentity, pr.Identity}, {MetricDSAAngular, dr.Angular}, {MetricDSAEuclidean, dr.Euclidean},
		{MetricDSAWasserstein, dr.Wasserstein},
	} {
		if got := pairValue(t, tab, 10, 30, c.metric); got != c.want {
			t.Errorf("%s = %v, want %v", c.metric, got, c.want)
		}
	}
}

func TestAlignDeterministicAcrossWorkers(t *testing.T) {
	env, _ := alignWorld(t, 12)
	p := testAlignParams(30, 10, 20)
	first := tableDigest(runAlign(t, env, p))
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	if got := tableDigest(runAlign(t, env, p)); got != first {
		t.Errorf("GOMAXPROCS=1 digest %s, want %s", got, first)
	}
}

func TestAlignNonFiniteIsNaN(t *testing.T) {
	env, nets := alignWorld(t, 6)
	bad := nets[30]
	bad.w = mat.DenseCopyOf(bad.w)
	bad.w.Set(0, 0, math.NaN())
	bad.install(env, 30)
	tab := runAlign(t, env, testAlignParams(30, 10))
	for _, m := range []string{MetricPIF, MetricPIFNorm, MetricPIFIdentity} {
		if v := pairValue(t, tab, 10, 30, m); !math.IsNaN(v) {
			t.Errorf("%s = %v, want NaN", m, v)
		}
	}
	if v := pairValue(t, tab, 10, 30, MetricCKA); math.IsNaN(v) {
		t.Error("cka is NaN, want a value: only the weights are bad")
	}
}

func TestAlignMissingInput(t *testing.T) {
	env, _ := alignWorld(t, 6)
	delete(env.inputs, DepName("dsafit", 10)+"/"+OutOperator)
	err := (Align{}).Run(context.Background(), &Action{Stage: Align{}, Params: testAlignParams(30, 10)}, env)
	if err == nil {
		t.Error("missing operator: got nil error")
	}
}
