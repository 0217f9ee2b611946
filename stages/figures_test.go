package stages

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"testing"

	"degen/artifacts"
	"degen/rnn"
)

// figureWorld is a two-condition study (flipflop, task.channels = 1, 2; 3
// seeds each, seed 0 with a null) whose inputs come from real score runs on
// synthetic summaries and pairs. The pair value of (a, b) in condition i is
// (i+1)·(a+b+1)/10 for every metric, so degeneracy rises with the level.
func figureWorld(t testing.TB) (*memEnv, FiguresParams) {
	t.Helper()
	env := newMemEnv()
	seeds := []int64{0, 1, 2}
	p := FiguresParams{Study: "complexity", Factor: "task.channels", Stats: ScoreParams{Bootstrap: 20}}
	for i, level := range []string{"1", "2"} {
		c := FigureCondition{Task: "flipflop", Level: level, Seeds: seeds, Null: []int64{0}}
		p.Conditions = append(p.Conditions, c)
		ce := newMemEnv()
		for k, s := range seeds {
			// the whole record summary (score reads converged, ood_mse) and
			// the train curve
			ce.inputs[DepName("record", s)+"/"+OutSummary] = recordSummaryTable(nil,
				trainSummaryFixture(), 0, float64(i+1)*float64(k+1), float64(10*(i+1)+k), 0.9-0.1*float64(i))
			ce.inputs[DepName("train", s)+"/"+OutCurve] = &artifacts.Table{Columns: []artifacts.Column{
				artifacts.Int64Col("epoch", []int64{0, 1, 2}),
				artifacts.Float64Col("loss", []float64{1, 0.1, 0.01 * float64(k+1)}),
				artifacts.Float64Col("lr", []float64{1, 1, 1}), artifacts.Float64Col("grad_norm", []float64{1, 1, 1}),
			}}
			if k > 0 {
				installPairs(ce, s, seeds[:k], func(a, b int64, m int) float64 { return float64(i+1) * float64(a+b+1) / 10 })
			}
		}
		ce.inputs[DepName("dsanull", 0)+"/"+OutPairs] = (&nullRows{
			a: []int64{0, 0, 0}, b: []int64{1, 1, 1}, metric: nullMetrics, value: []float64{0.05, 0.5, 0.7},
		}).table()
		ce.inputs["score/"+OutDegeneracy] = runScore(t, ce, ScoreStageParams{Seeds: seeds, Stats: p.Stats})
		for k, v := range ce.inputs {
			env.inputs[condDep(i, k)] = v
		}
	}
	return env, p
}

func trainSummaryFixture() rnn.Summary {
	return rnn.Summary{Converged: true, Epochs: 3, Steps: 48, FinalLoss: 0.01}
}

func runFigures(t *testing.T, env *memEnv, p FiguresParams) {
	t.Helper()
	env.written, env.order = map[string]*artifacts.Table{}, nil
	if err := (Figures{}).Run(context.Background(), &Action{Stage: Figures{}, Params: p}, env); err != nil {
		t.Fatal(err)
	}
}

func colNames(t *artifacts.Table) string {
	var n []string
	for _, c := range t.Columns {
		n = append(n, c.Name)
	}
	return strings.Join(n, ",")
}

// TestFiguresTables checks every data table's columns and row count, and
// values against what their inputs say.
func TestFiguresTables(t *testing.T) {
	env, p := figureWorld(t)
	runFigures(t, env, p)
	if got := strings.Join(env.order, ","); got != "degeneracy,boot,seeds,mds,feature_learning,curves,files" {
		t.Fatalf("outputs %s", got)
	}
	cond := "study,task,factor,factor_level,x,"
	for _, tc := range []struct {
		name, cols string
		rows       int
	}{
		{OutFigDegeneracy, cond + "level,metric,value,se,band_lo,band_hi,ci_lo,ci_hi,null_mean,null_se,n_null_pairs,n_networks", 2 * 3},
		{OutFigBoot, cond + "level,replicate,value", 2 * 3 * 20},
		{OutFigSeeds, cond + "level,k,mean,lo,hi", 2 * 3 * 2}, // k = 2, 3
		{OutFigMDS, cond + "seed,mds1,mds2", 2 * 3},
		{OutFigFeature, cond + "measure,mean,se,n", 2 * 2},
		{OutFigCurves, cond + "seed,epoch,loss,converged", 2 * 3 * 3},
		{OutFiles, "path,format,encoding,content", len(studyFigures)},
	} {
		tab := env.written[tc.name]
		if got := colNames(tab); got != tc.cols {
			t.Errorf("%s columns %s, want %s", tc.name, got, tc.cols)
		}
		if tab.Rows() != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.name, tab.Rows(), tc.rows)
		}
	}
	for r, f := range env.written[OutFiles].Col("format").Strs {
		if path := env.written[OutFiles].Col("path").Strs[r]; f != "svg" || !strings.HasPrefix(path, "figures/complexity/") {
			t.Errorf("files row %d: %s %s, want an SVG under figures/complexity/", r, f, path)
		}
	}
	deg := env.written[OutFigDegeneracy]
	// condition 2 (x = 2), dynamics: pairs (0,1), (0,2), (1,2) → 2·(2, 3, 4)/10, mean 0.6
	for r := range deg.Rows() {
		x, lvl, v := deg.Col("x").F64[r], deg.Col("level").Strs[r], deg.Col("value").F64[r]
		if x == 2 && lvl == LevelDynamics {
			if math.Abs(v-0.6) > 1e-12 {
				t.Errorf("dynamics at x=2: %v, want 0.6", v)
			}
			if nm := deg.Col("null_mean").F64[r]; nm != 0.05 {
				t.Errorf("null mean %v, want 0.05 (the dsa_angular null pair)", nm)
			}
			if se := deg.Col("se").F64[r]; deg.Col("band_lo").F64[r] != v-se {
				t.Errorf("band is not value − SE")
			}
		}
		if lvl == LevelBehavior && !(deg.Col("band_lo").F64[r] == deg.Col("ci_lo").F64[r]) {
			t.Errorf("behavior band is not the CI (σ_OOD has no SE)")
		}
	}
	// Condition 2's pairs are exactly twice condition 1's: with the same
	// draws every replicate would be twice condition 1's, but each condition
	// resamples its own networks (Table 1's interval assumes it).
	bt, same := env.written[OutFigBoot], 0
	reps := map[float64][]float64{}
	for r := range bt.Rows() {
		if bt.Col("level").Strs[r] == LevelDynamics {
			reps[bt.Col("x").F64[r]] = append(reps[bt.Col("x").F64[r]], bt.Col("value").F64[r])
		}
	}
	for i, v := range reps[1] {
		if v == reps[2][i]/2 || math.IsNaN(v) && math.IsNaN(reps[2][i]) {
			same++
		}
	}
	if len(reps[1]) != 20 || same > 10 {
		t.Errorf("%d of %d dynamics replicates at x=2 are twice those at x=1: the conditions share their resamples", same, len(reps[1]))
	}
	// The seeds curve at k = n is the full-sample estimate, without spread.
	sd := env.written[OutFigSeeds]
	for r := range sd.Rows() {
		if sd.Col("k").Ints[r] == 3 && sd.Col("level").Strs[r] == LevelDynamics && sd.Col("x").F64[r] == 2 {
			if m, lo, hi := sd.Col("mean").F64[r], sd.Col("lo").F64[r], sd.Col("hi").F64[r]; math.Abs(m-0.6) > 1e-12 || math.Abs(hi-lo) > 1e-12 {
				t.Errorf("k = n: mean %v [%v, %v], want 0.6 with no spread", m, lo, hi)
			}
		}
	}
	// Feature learning: weight change 20, 21, 22 at x = 2 → mean 21, SE 1/√3.
	ft := env.written[OutFigFeature]
	for r := range ft.Rows() {
		if ft.Col("x").F64[r] == 2 && ft.Col("measure").Strs[r] == MeasureWeightChange {
			if m, se := ft.Col("mean").F64[r], ft.Col("se").F64[r]; m != 21 || math.Abs(se-1/math.Sqrt(3)) > 1e-12 {
				t.Errorf("weight change %v ± %v, want 21 ± %v", m, se, 1/math.Sqrt(3))
			}
		}
	}
	// MDS keeps the distances: in 2-D, three points are embedded exactly.
	md := env.written[OutFigMDS]
	d := func(i, j int) float64 {
		return math.Hypot(md.Col("mds1").F64[i]-md.Col("mds1").F64[j], md.Col("mds2").F64[i]-md.Col("mds2").F64[j])
	}
	if got := d(3, 4); math.Abs(got-0.4) > 1e-9 { // condition 2, seeds 0 and 1: 2·(0+1+1)/10
		t.Errorf("MDS distance of seeds 0, 1 at x=2: %v, want 0.4", got)
	}
}

// TestFiguresGolden pins the figures stage's data tables and SVG bytes for
// a fixed input: a change without a Version bump fails here. PNGs are left
// out: their bytes are pinned on one architecture only (docs/figures.md).
func TestFiguresGolden(t *testing.T) {
	env, p := figureWorld(t)
	runFigures(t, env, p)
	if v := (Figures{}).Version(); v != 2 {
		t.Fatalf("figures version %d: update this golden deliberately", v)
	}
	h := sha256.New()
	for _, name := range env.order[:len(env.order)-1] {
		h.Write([]byte(name + "=" + tableDigest(env.written[name]) + "\n"))
	}
	files := env.written[OutFiles]
	for r := range files.Rows() {
		if files.Col("format").Strs[r] == "svg" {
			h.Write([]byte(files.Col("path").Strs[r] + "\n" + files.Col("content").Strs[r]))
		}
	}
	const want = "b4497c303057e7d990c3a778e4571326e22e4f1809a0da2b4fd6a87ba7aab10c"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("figures golden %s, want %s", got, want)
	}
}

// TestFiguresRaster: the raster action writes only png, one PNG per figure.
func TestFiguresRaster(t *testing.T) {
	env, p := figureWorld(t)
	p.Raster = true
	runFigures(t, env, p)
	if got := strings.Join(env.order, ","); got != OutPNG {
		t.Fatalf("raster outputs %s, want png", got)
	}
	png := env.written[OutPNG]
	if png.Rows() != len(studyFigures) {
		t.Fatalf("%d PNGs, want %d", png.Rows(), len(studyFigures))
	}
	for r := range png.Rows() {
		if png.Col("format").Strs[r] != "png" || png.Col("encoding").Strs[r] != EncodingBase64 || !strings.HasSuffix(png.Col("path").Strs[r], ".png") {
			t.Errorf("row %d: %s %s %s", r, png.Col("path").Strs[r], png.Col("format").Strs[r], png.Col("encoding").Strs[r])
		}
	}
}

// TestFiguresDeterministic: the same inputs give the same bytes, PNG
// included, on one machine.
func TestFiguresDeterministic(t *testing.T) {
	env, p := figureWorld(t)
	runFigures(t, env, p)
	first := map[string]string{}
	for _, n := range env.order {
		first[n] = tableDigest(env.written[n])
	}
	runFigures(t, env, p)
	for _, n := range env.order {
		if tableDigest(env.written[n]) != first[n] {
			t.Errorf("%s differs between two runs", n)
		}
	}
}

func TestSeedSizes(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{1, ""}, {3, "2,3"}, {10, "2,3,4,5,6,7,8,9,10"}, {11, "2,5,10,11"}, {50, "2,5,10,20,50"}, {120, "2,5,10,20,50,100,120"}} {
		var s []string
		for _, k := range seedSizes(tc.n) {
			s = append(s, strconv.Itoa(k))
		}
		if got := strings.Join(s, ","); got != tc.want {
			t.Errorf("seedSizes(%d) = %s, want %s", tc.n, got, tc.want)
		}
	}
}

func TestAxisPositions(t *testing.T) {
	for _, tc := range []struct {
		factor string
		levels []string
		want   []float64
	}{
		{"model.n", []string{"32", "16", "64"}, []float64{32, 16, 64}},
		{"task.aux", []string{"false", "true"}, []float64{0, 1}},
		{"x.y", []string{"b", "a", "b"}, []float64{0, 1, 0}},
	} {
		p := FiguresParams{Factor: tc.factor}
		for _, l := range tc.levels {
			p.Conditions = append(p.Conditions, FigureCondition{Task: "dd", Level: l})
		}
		xs, _ := axisPositions(p)
		for i := range xs {
			if xs[i] != tc.want[i] {
				t.Errorf("%s %v: x = %v, want %v", tc.factor, tc.levels, xs, tc.want)
				break
			}
		}
	}
}

// BenchmarkFigures: one small study's figures action (2 conditions × 3
// networks): data tables, 5 figures, SVG and PNG each.
func BenchmarkFigures(b *testing.B) {
	env, p := figureWorld(b)
	for b.Loop() {
		env.written, env.order = map[string]*artifacts.Table{}, nil
		if err := (Figures{}).Run(context.Background(), &Action{Stage: Figures{}, Params: p}, env); err != nil {
			b.Fatal(err)
		}
	}
}
