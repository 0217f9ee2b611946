package stages

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"degen/artifacts"
	"degen/metrics/stats"
)

// Report is the report stage: Table 1 regenerated from data, its figure,
// and results/index.html, from every study's figures action (SPEC §5;
// docs/figures.md). Deps: figures:<study> (degeneracy, boot, files) for each
// study. Outputs: table1 (Parquet, 12 rows: 4 factors × 3 levels) and files
// (table1.md, table1.svg, index.html); with Raster, only png (table1.png),
// as the figures stage splits its PNGs off.
type Report struct{}

func (Report) Name() string { return "report" }
func (Report) Version() int { return 1 }

// ReportParams list the studies as pipeline.toml defines them.
type ReportParams struct {
	Studies []ReportStudy `json:"studies"`
	Raster  bool          `json:"raster"` // write table1.png (output png) only
}

// A ReportStudy is one line of index.html.
type ReportStudy struct {
	Name       string   `json:"name"`
	Factor     string   `json:"factor"` // varied key, "" for none
	Tasks      []string `json:"tasks"`
	Levels     []string `json:"levels"`
	Seeds      int      `json:"seeds"` // networks per condition (the largest)
	Conditions int      `json:"conditions"`
}

// OutTable1 is the report's Table 1 output.
const OutTable1 = "table1"

// A table1Factor is one row group of the paper's Table 1: the study keys
// that vary it and the paper's direction at each level of FigLevels
// (research/paper.md §5: "↓" means degeneracy decreases as the factor rises).
type table1Factor struct {
	name  string
	keys  []string
	paper [3]string
}

var table1Factors = []table1Factor{
	{"complexity", []string{"task.channels", "task.delay_max", "task.aux", "task.dims"}, [3]string{"↓", "↑", "↓"}},
	{"feature learning γ", []string{"model.gamma"}, [3]string{"↓", "↑", "↑"}},
	{"size", []string{"model.n"}, [3]string{"↓", "↓", "↓"}},
	{"regularisation", []string{"train.l1", "train.nuclear"}, [3]string{"↓", "↓", "↓"}},
}

// FactorOf names the Table 1 factor a varied key belongs to ("" if none).
func FactorOf(key string) string {
	for _, f := range table1Factors {
		if slices.Contains(f.keys, key) {
			return f.name
		}
	}
	return ""
}

// NewReportAction is the one report action over every study's figures.
func NewReportAction(p ReportParams, figs []*Action) *Action {
	deps := make([]Dep, len(figs))
	for i, f := range figs {
		deps[i] = Dep{reportDep(p.Studies[i].Name), f}
	}
	label := "report"
	if p.Raster {
		label += " png"
	}
	return &Action{Stage: Report{}, Params: p, Deps: deps, Label: label}
}

func reportDep(study string) string { return Figures{}.Name() + ":" + study }

// Run computes Table 1 and writes it with the index page.
func (Report) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[ReportParams](a)
	if err != nil {
		return err
	}
	var deg, boot []*artifacts.Table
	var files [][]string
	for _, s := range p.Studies {
		dep := reportDep(s.Name)
		d, err1 := env.Input(dep, OutFigDegeneracy)
		b, err2 := env.Input(dep, OutFigBoot)
		f, err3 := env.Input(dep, OutFiles)
		if err := firstErr(err1, err2, err3); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		pc := f.Col("path")
		if pc == nil || len(pc.Strs) != f.Rows() {
			return fmt.Errorf("report: %s files: want a path column", dep)
		}
		deg, boot, files = append(deg, d), append(boot, b), append(files, pc.Strs)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rows, err := table1(p, deg, boot)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fs, err := reportFiles(p, rows, files)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if p.Raster {
		return env.Write(OutPNG, fs.table())
	}
	if err := env.Write(OutTable1, table1Table(rows)); err != nil {
		return err
	}
	return env.Write(OutFiles, fs.table())
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// A table1Row is one factor × level of Table 1.
type table1Row struct {
	factor, level, metric, paper string
	studies                      []string
	nSeries                      int
	rho, lo, hi                  float64
}

func (r *table1Row) measured() bool { return r.nSeries > 0 && !math.IsNaN(r.rho) }

// direction is the sign of ρ as Table 1 writes it.
func (r *table1Row) direction() string {
	switch {
	case !r.measured():
		return "not measured"
	case r.rho < 0:
		return "↓"
	case r.rho > 0:
		return "↑"
	}
	return "0"
}

// significant: the bootstrap 95% CI excludes 0.
func (r *table1Row) significant() bool { return r.lo > 0 || r.hi < 0 }

func (r *table1Row) agrees() bool { return r.measured() && r.direction() == r.paper }

// series is one study × task: the factor's positions and the level's
// degeneracy there, plus its bootstrap replicates.
type series struct {
	x, y []float64
	reps [][]float64 // reps[c][r]: replicate r of condition c
}

// table1 computes the 12 rows. For each factor × level, ρ is the mean over
// series (study × task with at least two levels) of Spearman's ρ between
// the factor's value and the degeneracy estimate; the CI is the 2.5–97.5%
// percentiles of the same mean over the bootstrap replicates (replicate r
// of every condition: networks resampled independently per condition).
func table1(p ReportParams, deg, boot []*artifacts.Table) ([]table1Row, error) {
	var out []table1Row
	for _, f := range table1Factors {
		for li, lv := range FigLevels {
			row := table1Row{factor: f.name, level: lv.level, metric: lv.metric, paper: f.paper[li], rho: math.NaN(), lo: math.NaN(), hi: math.NaN()}
			var ss []series
			for i, s := range p.Studies {
				if !slices.Contains(f.keys, s.Factor) {
					continue
				}
				got, err := studySeries(deg[i], boot[i], lv.level)
				if err != nil {
					return nil, fmt.Errorf("study %s: %w", s.Name, err)
				}
				row.studies = append(row.studies, s.Name)
				ss = append(ss, got...)
			}
			row.nSeries = len(ss)
			row.rho, row.lo, row.hi = meanRho(ss)
			out = append(out, row)
		}
	}
	return out, nil
}

// meanRho is the mean Spearman ρ over series and its bootstrap interval.
func meanRho(ss []series) (rho, lo, hi float64) {
	rho = meanSpearman(ss, func(s series) []float64 { return s.y })
	nrep := math.MaxInt
	for _, s := range ss {
		for _, r := range s.reps {
			nrep = min(nrep, len(r))
		}
	}
	if len(ss) == 0 || nrep == math.MaxInt || nrep == 0 {
		return rho, math.NaN(), math.NaN()
	}
	vals := make([]float64, nrep)
	for r := range vals {
		vals[r] = meanSpearman(ss, func(s series) []float64 {
			y := make([]float64, len(s.reps))
			for c := range y {
				y[c] = s.reps[c][r]
			}
			return y
		})
	}
	lo, hi = stats.Interval95(vals)
	return rho, lo, hi
}

func meanSpearman(ss []series, y func(series) []float64) float64 {
	var rs []float64
	for _, s := range ss {
		if r := stats.Spearman(s.x, y(s)); !math.IsNaN(r) {
			rs = append(rs, r)
		}
	}
	return stats.Mean(rs)
}

// studySeries splits one study's degeneracy rows of a level into a series
// per task, with the replicates of each condition from boot.
func studySeries(deg, boot *artifacts.Table, level string) ([]series, error) {
	dt, dl, dx, dv, dfl := deg.Col("task"), deg.Col("level"), deg.Col("x"), deg.Col("value"), deg.Col("factor_level")
	bt, bl, bfl, bv := boot.Col("task"), boot.Col("level"), boot.Col("factor_level"), boot.Col("value")
	if dt == nil || dl == nil || dx == nil || dv == nil || dfl == nil || bt == nil || bl == nil || bfl == nil || bv == nil {
		return nil, fmt.Errorf("figures tables lack task, level, factor_level, x or value")
	}
	reps := map[string][]float64{} // boot rows are in replicate order per condition
	for i := range bv.F64 {
		if bl.Strs[i] == level {
			k := bt.Strs[i] + "\x00" + bfl.Strs[i]
			reps[k] = append(reps[k], bv.F64[i])
		}
	}
	var out []series
	for _, task := range distinct(dt.Strs) {
		idx := rows(dx.F64, func(i int) bool { return dt.Strs[i] == task && dl.Strs[i] == level })
		if len(idx) < 2 {
			continue
		}
		s := series{x: pick(dx.F64, idx), y: pick(dv.F64, idx)}
		for _, i := range idx {
			s.reps = append(s.reps, reps[task+"\x00"+dfl.Strs[i]])
		}
		out = append(out, s)
	}
	return out, nil
}

func table1Table(rows []table1Row) *artifacts.Table {
	n := len(rows)
	factor, level, metric, studies, dir, paper := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ns := make([]int64, n)
	rho, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n)
	sig, agree, meas := make([]bool, n), make([]bool, n), make([]bool, n)
	for i := range rows {
		r := &rows[i]
		factor[i], level[i], metric[i], studies[i] = r.factor, r.level, r.metric, strings.Join(r.studies, ",")
		dir[i], paper[i], ns[i] = r.direction(), r.paper, int64(r.nSeries)
		rho[i], lo[i], hi[i] = r.rho, r.lo, r.hi
		sig[i], agree[i], meas[i] = r.significant(), r.agrees(), r.measured()
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.DictCol("factor", factor), artifacts.DictCol("level", level), artifacts.DictCol("metric", metric),
		artifacts.StringCol("studies", studies), artifacts.Int64Col("n_series", ns),
		artifacts.Float64Col("rho", rho), artifacts.Float64Col("ci_lo", lo), artifacts.Float64Col("ci_hi", hi),
		artifacts.DictCol("direction", dir), artifacts.BoolCol("significant", sig),
		artifacts.DictCol("paper", paper), artifacts.BoolCol("agrees", agree), artifacts.BoolCol("measured", meas),
	}}
}
