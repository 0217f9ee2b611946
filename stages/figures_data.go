package stages

import (
	"math"
	"slices"
	"strconv"

	"degen/artifacts"
	"degen/metrics/stats"

	"gonum.org/v1/gonum/mat"
)

// figLevel is one degeneracy level as the figures and Table 1 show it: the
// score metric that stands for the level, and its axis label.
type figLevel struct{ level, metric, label string }

// FigLevels are the three levels of the paper's figures, in panel order.
// Weights use d_PIF/n², the paper's size normalisation, so the size study
// compares like with like.
var FigLevels = []figLevel{
	{LevelDynamics, MetricDSAAngular, "DSA angular distance"},
	{LevelWeights, MetricPIFNorm, "d_PIF / n²"},
	{LevelBehavior, MetricOODSD, "σ_OOD (SD of OOD MSE)"},
}

// figData are a study's figure tables.
type figData struct {
	conds      []*figCond
	x          []float64 // each condition's position on the factor axis
	ticks      []axisTick
	degeneracy degTable
	boot       bootTable
	seeds      seedsTable
	mds        mdsTable
	feature    featTable
	curves     figCurves
}

type axisTick struct {
	x     float64
	label string
}

func computeFigData(p FiguresParams, conds []*figCond) *figData {
	d := &figData{conds: conds}
	d.x, d.ticks = axisPositions(p)
	for i, fc := range conds {
		x := d.x[i]
		// Each condition draws its own resamples: its networks are not the
		// other conditions' networks, even where they share seeds, so Table
		// 1's interval resamples each condition independently.
		cond := fc.c.Task + "/" + fc.c.Level + "/" + seedsKey(fc.c.Seeds)
		for _, lv := range FigLevels {
			d.degeneracy.add(&p, fc, x, lv)
			stat, n := levelStat(fc, lv)
			d.boot.add(&p, fc, x, lv, stats.Replicates(n, p.Stats.Bootstrap, stat, "figures/boot", lv.metric, cond))
			for _, k := range seedSizes(n) {
				vals := stats.Subsamples(n, k, max(p.Stats.Bootstrap, 1), stat, "figures/seeds", lv.metric, cond, strconv.Itoa(k))
				d.seeds.add(&p, fc, x, lv, k, vals)
			}
		}
		d.mds.add(&p, fc, x)
		d.feature.add(&p, fc, x)
		d.curves.add(&p, fc, x)
	}
	return d
}

// axisPositions places each condition on the x axis: the factor's numeric
// value when every level is a number, 0/1 for booleans, otherwise the order
// of first appearance; a study that varies nothing puts each task at its
// own position.
func axisPositions(p FiguresParams) ([]float64, []axisTick) {
	labels := make([]string, len(p.Conditions))
	for i, c := range p.Conditions {
		labels[i] = c.Level
		if p.Factor == "" {
			labels[i] = c.Task
		}
	}
	levels := distinct(labels)
	pos := func(l string) float64 { return float64(slices.Index(levels, l)) }
	if numeric(levels) {
		pos = func(l string) float64 { v, _ := strconv.ParseFloat(l, 64); return v }
	} else if boolean(levels) {
		pos = func(l string) float64 { return map[bool]float64{true: 1}[l == "true"] }
	}
	xs := make([]float64, len(labels))
	for i, l := range labels {
		xs[i] = pos(l)
	}
	ticks := make([]axisTick, len(levels))
	for i, l := range levels {
		ticks[i] = axisTick{pos(l), l}
	}
	slices.SortFunc(ticks, func(a, b axisTick) int { return compareFloat(a.x, b.x) })
	return xs, ticks
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func numeric(ls []string) bool {
	for _, l := range ls {
		if _, err := strconv.ParseFloat(l, 64); err != nil {
			return false
		}
	}
	return len(ls) > 0
}

func boolean(ls []string) bool {
	for _, l := range ls {
		if l != "true" && l != "false" {
			return false
		}
	}
	return len(ls) > 0
}

// levelStat is the score stage's statistic for a level over the kept
// networks, as a function of resampled indices into them, and how many
// networks it resamples: the mean pair distance for dynamics and weights,
// σ_OOD (population SD over finite OOD losses) for behavior.
func levelStat(fc *figCond, lv figLevel) (func(idx []int) float64, int) {
	if lv.level == LevelBehavior {
		ood := oodValues(fc.nets, fc.keep)
		return stats.ValueStat(ood, stats.PopSD), len(ood)
	}
	return pairStat(fc.dist[lv.metric], fc.keep), len(fc.keep)
}

// seedSizes are the network counts of the seeds-sufficiency curve: every
// count from 2 when there are at most 10 networks, otherwise 2, 5, 10, 20,
// 50, … and n itself.
func seedSizes(n int) []int {
	if n < 2 {
		return nil
	}
	if n <= 10 {
		out := make([]int, 0, n-1)
		for k := 2; k <= n; k++ {
			out = append(out, k)
		}
		return out
	}
	var out []int
	for scale := 1; 2*scale < n; scale *= 10 { // 2, 5, 10, 20, 50, 100, …
		for _, k := range []int{2 * scale, 5 * scale, 10 * scale} {
			if k < n && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return append(out, n)
}

// condCols are the columns every figure table starts with.
type condCols struct {
	study, task, factor, level []string
	x                          []float64
}

// levelLabel is a condition's factor_level: its level, "none" in a study
// that varies nothing.
func levelLabel(level string) string {
	if level == "" {
		return "none"
	}
	return level
}

func (c *condCols) add(p *FiguresParams, fc *figCond, x float64) {
	f := p.Factor
	if f == "" {
		f = "none"
	}
	lvl := levelLabel(fc.c.Level)
	c.study, c.task, c.factor = append(c.study, p.Study), append(c.task, fc.c.Task), append(c.factor, f)
	c.level, c.x = append(c.level, lvl), append(c.x, x)
}

func (c *condCols) columns() []artifacts.Column {
	return []artifacts.Column{
		artifacts.DictCol("study", nonNil(c.study)),
		artifacts.DictCol("task", nonNil(c.task)),
		artifacts.DictCol("factor", nonNil(c.factor)),
		artifacts.DictCol("factor_level", nonNil(c.level)),
		artifacts.Float64Col("x", nonNil(c.x)),
	}
}

// degTable: one row per condition × level; the band is ±1 SE where the
// score has an SE, otherwise its bootstrap 95% CI (σ_OOD has no SE); the
// null columns are the DSA null floor (dynamics rows only).
type degTable struct {
	condCols
	lvl, metric                                          []string
	value, se, bandLo, bandHi, ciLo, ciHi, nullM, nullSE []float64
	nNull, nNet                                          []int64
}

func (t *degTable) add(p *FiguresParams, fc *figCond, x float64, lv figLevel) {
	t.condCols.add(p, fc, x)
	v, ok := fc.deg[lv.metric]
	if !ok {
		v = degValue{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	}
	lo, hi := v.lo, v.hi
	if !math.IsNaN(v.se) {
		lo, hi = v.value-v.se, v.value+v.se
	}
	nm, ns, nn := math.NaN(), math.NaN(), 0
	if lv.level == LevelDynamics {
		nm, ns = stats.MeanSE(fc.null)
		nn = len(fc.null)
	}
	t.lvl, t.metric = append(t.lvl, lv.level), append(t.metric, lv.metric)
	t.value, t.se, t.bandLo, t.bandHi = append(t.value, v.value), append(t.se, v.se), append(t.bandLo, lo), append(t.bandHi, hi)
	t.ciLo, t.ciHi, t.nullM, t.nullSE = append(t.ciLo, v.lo), append(t.ciHi, v.hi), append(t.nullM, nm), append(t.nullSE, ns)
	t.nNull, t.nNet = append(t.nNull, int64(nn)), append(t.nNet, int64(len(fc.keep)))
}

func (t *degTable) table() *artifacts.Table {
	return &artifacts.Table{Columns: append(t.columns(),
		artifacts.DictCol("level", nonNil(t.lvl)), artifacts.DictCol("metric", nonNil(t.metric)),
		artifacts.Float64Col("value", nonNil(t.value)), artifacts.Float64Col("se", nonNil(t.se)),
		artifacts.Float64Col("band_lo", nonNil(t.bandLo)), artifacts.Float64Col("band_hi", nonNil(t.bandHi)),
		artifacts.Float64Col("ci_lo", nonNil(t.ciLo)), artifacts.Float64Col("ci_hi", nonNil(t.ciHi)),
		artifacts.Float64Col("null_mean", nonNil(t.nullM)), artifacts.Float64Col("null_se", nonNil(t.nullSE)),
		artifacts.Int64Col("n_null_pairs", nonNil(t.nNull)), artifacts.Int64Col("n_networks", nonNil(t.nNet)))}
}

// bootTable: the bootstrap replicates of each condition × level, what
// Table 1's confidence intervals are computed from.
type bootTable struct {
	condCols
	lvl   []string
	rep   []int64
	value []float64
}

func (t *bootTable) add(p *FiguresParams, fc *figCond, x float64, lv figLevel, vals []float64) {
	for r, v := range vals {
		t.condCols.add(p, fc, x)
		t.lvl, t.rep, t.value = append(t.lvl, lv.level), append(t.rep, int64(r)), append(t.value, v)
	}
}

func (t *bootTable) table() *artifacts.Table {
	return &artifacts.Table{Columns: append(t.columns(), artifacts.DictCol("level", nonNil(t.lvl)),
		artifacts.Int64Col("replicate", nonNil(t.rep)), artifacts.Float64Col("value", nonNil(t.value)))}
}

// seedsTable: the seeds-sufficiency curve, the estimate from k networks
// drawn without replacement: mean and 95% interval over draws.
type seedsTable struct {
	condCols
	lvl          []string
	k            []int64
	mean, lo, hi []float64
}

func (t *seedsTable) add(p *FiguresParams, fc *figCond, x float64, lv figLevel, k int, vals []float64) {
	lo, hi := stats.Interval95(vals)
	t.condCols.add(p, fc, x)
	t.lvl, t.k = append(t.lvl, lv.level), append(t.k, int64(k))
	t.mean = append(t.mean, stats.Mean(slices.DeleteFunc(slices.Clone(vals), math.IsNaN)))
	t.lo, t.hi = append(t.lo, lo), append(t.hi, hi)
}

func (t *seedsTable) table() *artifacts.Table {
	return &artifacts.Table{Columns: append(t.columns(), artifacts.DictCol("level", nonNil(t.lvl)),
		artifacts.Int64Col("k", nonNil(t.k)), artifacts.Float64Col("mean", nonNil(t.mean)),
		artifacts.Float64Col("lo", nonNil(t.lo)), artifacts.Float64Col("hi", nonNil(t.hi)))}
}

// mdsTable: each condition's kept networks embedded in 2-D by classical
// MDS of their DSA angular distances. Distances exist only within a
// condition, so each condition is embedded on its own, centred at 0: the
// spread, not the position, is what compares across levels. A condition
// with a missing distance or fewer than 3 networks has no rows.
type mdsTable struct {
	condCols
	seed   []int64
	d1, d2 []float64
}

func (t *mdsTable) add(p *FiguresParams, fc *figCond, x float64) {
	n := len(fc.keep)
	if n < 3 {
		return
	}
	d := mat.NewSymDense(n, nil)
	full := fc.dist[MetricDSAAngular]
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := full[fc.keep[i]][fc.keep[j]]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return
			}
			d.SetSym(i, j, v)
		}
	}
	xy, _, err := stats.MDS(d, 2)
	if err != nil {
		return
	}
	for i, k := range fc.keep {
		t.condCols.add(p, fc, x)
		t.seed = append(t.seed, fc.c.Seeds[k])
		t.d1, t.d2 = append(t.d1, xy.At(i, 0)), append(t.d2, xy.At(i, 1))
	}
}

func (t *mdsTable) table() *artifacts.Table {
	return &artifacts.Table{Columns: append(t.columns(), artifacts.Int64Col("seed", nonNil(t.seed)),
		artifacts.Float64Col("mds1", nonNil(t.d1)), artifacts.Float64Col("mds2", nonNil(t.d2)))}
}

// featTable: weight-change norm and kernel alignment (the paper's Fig 5),
// mean ± SE over the kept networks.
type featTable struct {
	condCols
	measure  []string
	mean, se []float64
	n        []int64
}

// Feature-learning measures, as named in the record summary.
const (
	MeasureWeightChange    = "weight_change"
	MeasureKernelAlignment = "kernel_alignment"
)

func (t *featTable) add(p *FiguresParams, fc *figCond, x float64) {
	for _, m := range []struct {
		name string
		v    []float64
	}{{MeasureKernelAlignment, fc.kalign}, {MeasureWeightChange, fc.change}} {
		var vals []float64
		for _, k := range fc.keep {
			if !math.IsNaN(m.v[k]) {
				vals = append(vals, m.v[k])
			}
		}
		mean, se := stats.MeanSE(vals)
		t.condCols.add(p, fc, x)
		t.measure, t.mean, t.se, t.n = append(t.measure, m.name), append(t.mean, mean), append(t.se, se), append(t.n, int64(len(vals)))
	}
}

func (t *featTable) table() *artifacts.Table {
	return &artifacts.Table{Columns: append(t.columns(), artifacts.DictCol("measure", nonNil(t.measure)),
		artifacts.Float64Col("mean", nonNil(t.mean)), artifacts.Float64Col("se", nonNil(t.se)),
		artifacts.Int64Col("n", nonNil(t.n)))}
}

// figCurves: every network's training curve (all networks, converged or
// not: a curve is how one sees why a network did not converge).
type figCurves struct {
	condCols
	seed, epoch []int64
	loss        []float64
	converged   []bool
}

func (t *figCurves) add(p *FiguresParams, fc *figCond, x float64) {
	for k, c := range fc.curves {
		for i := range c.epoch {
			t.condCols.add(p, fc, x)
			t.seed, t.epoch = append(t.seed, fc.c.Seeds[k]), append(t.epoch, c.epoch[i])
			t.loss, t.converged = append(t.loss, c.loss[i]), append(t.converged, fc.nets[k].converged)
		}
	}
}

func (t *figCurves) table() *artifacts.Table {
	return &artifacts.Table{Columns: append(t.columns(), artifacts.Int64Col("seed", nonNil(t.seed)),
		artifacts.Int64Col("epoch", nonNil(t.epoch)), artifacts.Float64Col("loss", nonNil(t.loss)),
		artifacts.BoolCol("converged", nonNil(t.converged)))}
}
