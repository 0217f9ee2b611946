package stages

import (
	"context"
	"math"
	"strings"
	"testing"

	"degen/artifacts"
)

// sizeStudyTables are a size study's figures tables (flipflop at n = 16, 32,
// 64) with hand-picked values: dynamics 3, 2, 1 (ρ = −1); weights 1, 3, 2
// (ranks 1, 3, 2: ρ = 1 − 6·(0+1+1)/(3·8) = 0.5); behavior constant (no
// ρ). Two bootstrap replicates of dynamics: 1, 2, 3 (ρ = +1) and 3, 2, 1
// (ρ = −1), so its CI is the 2.5–97.5% quantiles of {−1, 1}: ±0.95.
func sizeStudyTables() (deg, boot *artifacts.Table) {
	var d degTable
	var b bootTable
	p := FiguresParams{Study: "size", Factor: "model.n"}
	values := map[string][]float64{LevelDynamics: {3, 2, 1}, LevelWeights: {1, 3, 2}, LevelBehavior: {5, 5, 5}}
	reps := map[string][][]float64{LevelDynamics: {{1, 3}, {2, 2}, {3, 1}}, LevelWeights: {{1, 1}, {3, 3}, {2, 2}}, LevelBehavior: {{5, 5}, {5, 5}, {5, 5}}}
	for i, n := range []string{"16", "32", "64"} {
		fc := &figCond{c: FigureCondition{Task: "flipflop", Level: n}, deg: map[string]degValue{}}
		x := float64(int(16) << i)
		for _, lv := range FigLevels {
			fc.deg[lv.metric] = degValue{values[lv.level][i], 0.1, 0, 0}
			d.add(&p, fc, x, lv)
			b.add(&p, fc, x, lv, reps[lv.level][i])
		}
	}
	return d.table(), b.table()
}

func TestTable1ByHand(t *testing.T) {
	deg, boot := sizeStudyTables()
	p := ReportParams{Studies: []ReportStudy{{Name: "size", Factor: "model.n"}}}
	rows, err := table1(p, []*artifacts.Table{deg}, []*artifacts.Table{boot})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 12 {
		t.Fatalf("%d rows, want 12", len(rows))
	}
	for _, r := range rows {
		if r.factor != "size" {
			if r.measured() || r.direction() != "not measured" || r.agrees() {
				t.Errorf("%s %s: measured without a study", r.factor, r.level)
			}
			continue
		}
		switch r.level {
		case LevelDynamics:
			if r.rho != -1 || math.Abs(r.lo+0.95) > 1e-12 || math.Abs(r.hi-0.95) > 1e-12 || r.significant() || !r.agrees() {
				t.Errorf("dynamics: ρ %v [%v, %v], want −1 [−0.95, 0.95], not significant, agreeing", r.rho, r.lo, r.hi)
			}
		case LevelWeights:
			if math.Abs(r.rho-0.5) > 1e-12 || r.lo != 0.5 || r.hi != 0.5 || !r.significant() || r.agrees() || r.direction() != "↑" {
				t.Errorf("weights: ρ %v [%v, %v] %s, want 0.5 [0.5, 0.5] ↑, significant, disagreeing with ↓", r.rho, r.lo, r.hi, r.direction())
			}
		case LevelBehavior:
			if r.measured() || r.nSeries != 1 {
				t.Errorf("behavior: constant degeneracy measured (ρ %v, %d series)", r.rho, r.nSeries)
			}
		}
	}
}

// TestReportRun: the report writes Table 1 (12 rows), its Markdown (a
// header, a rule and 12 rows), its figure and index.html with relative
// links to every figure of every study.
func TestReportRun(t *testing.T) {
	env, fp := figureWorld(t)
	runFigures(t, env, fp)
	rep := newMemEnv()
	for _, o := range []string{OutFigDegeneracy, OutFigBoot, OutFiles} {
		rep.inputs[reportDep("complexity")+"/"+o] = env.written[o]
	}
	p := ReportParams{Studies: []ReportStudy{{Name: "complexity", Factor: "task.channels", Tasks: []string{"flipflop"}, Levels: []string{"1", "2"}, Seeds: 3, Conditions: 2}}}
	if err := (Report{}).Run(context.Background(), &Action{Stage: Report{}, Params: p}, rep); err != nil {
		t.Fatal(err)
	}
	tab := rep.written[OutTable1]
	if n := tab.Rows(); n != 12 {
		t.Fatalf("table1: %d rows, want 12", n)
	}
	files := map[string]string{}
	f := rep.written[OutFiles]
	for r := range f.Rows() {
		files[f.Col("path").Strs[r]] = f.Col("content").Strs[r]
	}
	md := files[Table1MD]
	if n := strings.Count(md, "\n| "); n != 13 { // header + 12 rows
		t.Errorf("table1.md has %d table lines, want 13:\n%s", n, md)
	}
	html := files[IndexHTML]
	for _, want := range []string{`src="figures/complexity/degeneracy.svg"`, `href="figures/complexity/seeds.parquet"`,
		`src="figures/table1.svg"`, "varies task.channels over 1, 2 (Table 1: complexity)"} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if strings.Contains(html, `src="/`) || strings.Contains(html, "http://") {
		t.Error("index.html has an absolute link; it must open from disk")
	}
	if _, ok := files[Table1Fig+".svg"]; !ok {
		t.Error("report files lack table1.svg")
	}
	p.Raster = true
	rep.written, rep.order = map[string]*artifacts.Table{}, nil
	if err := (Report{}).Run(context.Background(), &Action{Stage: Report{}, Params: p}, rep); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rep.order, ","); got != OutPNG || rep.written[OutPNG].Col("path").Strs[0] != Table1Fig+".png" {
		t.Errorf("raster report wrote %s, want png with table1.png", got)
	}
	// complexity rises 1 → 2 and every synthetic level rises with it.
	for r := range tab.Rows() {
		if tab.Col("factor").Strs[r] == "complexity" && (tab.Col("rho").F64[r] != 1 || !tab.Col("measured").Bools[r]) {
			t.Errorf("complexity %s: ρ %v, want 1", tab.Col("level").Strs[r], tab.Col("rho").F64[r])
		}
	}
}

func TestFactorOf(t *testing.T) {
	for key, want := range map[string]string{"task.channels": "complexity", "task.aux": "complexity", "model.gamma": "feature learning γ",
		"model.n": "size", "train.nuclear": "regularisation", "task.t": ""} {
		if got := FactorOf(key); got != want {
			t.Errorf("FactorOf(%s) = %q, want %q", key, got, want)
		}
	}
}
