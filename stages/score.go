package stages

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"degen/artifacts"
	"degen/metrics/stats"
)

// Score is the score stage: a condition's degeneracy at each level (SPEC
// §4), from its networks' record summaries and all its align batches.
//
// Deps: record:<s> (summary: converged, ood_mse) for every seed s, and
// align:<s> (pairs) for every seed but the first (which has no earlier
// network). Output (docs/schema.md, "score"): degeneracy, one row per level
// × metric, sorted by level then metric:
//
//	behavior        ood_mse_mean, ood_mse_sd (σ_OOD, population SD)
//	dynamics        dsa_angular, dsa_euclidean, dsa_wasserstein
//	representation  cka, procrustes
//	weights         pif, pif_identity, pif_norm
//
// Networks that did not converge are left out unless
// ScoreParams.IncludeUnconverged; NaN values (failed comparisons, diverged
// networks) are always left out.
type Score struct{}

func (Score) Name() string { return "score" }
func (Score) Version() int { return 1 }

// ScoreStageParams are the score stage's parameters.
type ScoreStageParams struct {
	Seeds []int64     `json:"seeds"` // the condition's networks, in seed order
	Stats ScoreParams `json:"stats"`
}

// OutDegeneracy is the score stage's output.
const OutDegeneracy = "degeneracy"

// Degeneracy levels.
const (
	LevelBehavior       = "behavior"
	LevelDynamics       = "dynamics"
	LevelRepresentation = "representation"
	LevelWeights        = "weights"
)

// Behavioral metrics.
const (
	MetricOODMean = "ood_mse_mean"
	MetricOODSD   = "ood_mse_sd"
)

// DefaultScoreParams: stats.DefaultB bootstrap resamples, converged
// networks only (SPEC §3).
func DefaultScoreParams() ScoreParams { return ScoreParams{Bootstrap: stats.DefaultB} }

// pairLevels assigns each pair metric its level.
var pairLevels = map[string]string{
	MetricCKA: LevelRepresentation, MetricProcrustes: LevelRepresentation,
	MetricDSAAngular: LevelDynamics, MetricDSAEuclidean: LevelDynamics, MetricDSAWasserstein: LevelDynamics,
	MetricPIF: LevelWeights, MetricPIFIdentity: LevelWeights, MetricPIFNorm: LevelWeights,
}

// NewScoreAction builds a condition's score action from its record actions
// and align actions (align[k] for seeds[k]; align[0] is unused).
func NewScoreAction(seeds []int64, record, align []*Action, sp ScoreParams, label string, attrs []Attr) *Action {
	var deps []Dep
	for k, s := range seeds {
		deps = append(deps, Dep{DepName(Record{}.Name(), s), record[k]})
		if k > 0 {
			deps = append(deps, Dep{DepName(Align{}.Name(), s), align[k]})
		}
	}
	return &Action{Stage: Score{}, Params: ScoreStageParams{Seeds: slices.Clone(seeds), Stats: sp},
		Deps: deps, Label: label, Attrs: attrs}
}

// A scoreRow is one line of the degeneracy table.
type scoreRow struct {
	level, metric         string
	value, se, lo, hi     float64
	nNetworks, nConverged int
}

// Run reads the summaries and pairs and writes the degeneracy table.
func (Score) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[ScoreStageParams](a)
	if err != nil {
		return err
	}
	nets, err := readNetworkSummaries(env, p.Seeds)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	dist, err := readPairs(env, p.Seeds)
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	keep, nConv := keptNetworks(nets, p.Stats.IncludeUnconverged)
	key := seedsKey(p.Seeds)
	rows := behaviorRows(nets, keep, p.Stats.Bootstrap, key)
	for _, m := range PairMetrics {
		rows = append(rows, pairRow(m, dist[m], keep, p.Stats.Bootstrap, key))
	}
	for i := range rows {
		rows[i].nNetworks, rows[i].nConverged = len(keep), nConv
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].level != rows[j].level {
			return rows[i].level < rows[j].level
		}
		return rows[i].metric < rows[j].metric
	})
	return env.Write(OutDegeneracy, degeneracyTable(rows))
}

// seedsKey names the set of networks for the bootstrap's seed: the same
// networks draw the same resamples, in any condition.
func seedsKey(seeds []int64) string {
	b := []byte("seeds")
	for _, s := range seeds {
		b = strconv.AppendInt(append(b, ','), s, 10)
	}
	return string(b)
}

// keptNetworks are the indices of the networks scored (the converged ones,
// or all with includeUnconverged), and how many converged.
func keptNetworks(nets []netSummary, includeUnconverged bool) (keep []int, nConv int) {
	keep = make([]int, 0, len(nets))
	for k, n := range nets {
		if n.converged {
			nConv++
		}
		if n.converged || includeUnconverged {
			keep = append(keep, k)
		}
	}
	return keep, nConv
}

// oodValues are the kept networks' finite OOD losses: σ_OOD's sample.
func oodValues(nets []netSummary, keep []int) []float64 {
	var ood []float64
	for _, k := range keep {
		if v := nets[k].ood; !math.IsNaN(v) && !math.IsInf(v, 0) {
			ood = append(ood, v)
		}
	}
	return ood
}

// pairStat is a pair metric's mean over the pairs of resampled kept
// networks (idx indexes keep): the statistic the bootstrap resamples.
func pairStat(d [][]float64, keep []int) func(idx []int) float64 {
	return stats.PairMean(func(i, j int) float64 { return d[keep[i]][keep[j]] })
}

// behaviorRows are the mean and σ_OOD of the kept networks' OOD losses.
func behaviorRows(nets []netSummary, keep []int, b int, key string) []scoreRow {
	ood := oodValues(nets, keep)
	mean, se := stats.MeanSE(ood)
	mlo, mhi := stats.BootstrapCI(len(ood), b, stats.ValueStat(ood, stats.Mean), "score", MetricOODMean, key)
	slo, shi := stats.BootstrapCI(len(ood), b, stats.ValueStat(ood, stats.PopSD), "score", MetricOODSD, key)
	return []scoreRow{
		{level: LevelBehavior, metric: MetricOODMean, value: mean, se: se, lo: mlo, hi: mhi},
		// An SE of an SD has no standard closed form here: the CI carries it.
		{level: LevelBehavior, metric: MetricOODSD, value: stats.PopSD(ood), se: math.NaN(), lo: slo, hi: shi},
	}
}

// pairRow is the mean of a pair metric over pairs of kept networks, its SE
// over those pairs, and the bootstrap CI over kept networks.
func pairRow(metric string, d [][]float64, keep []int, b int, key string) scoreRow {
	var vals []float64
	for x := range keep {
		for y := x + 1; y < len(keep); y++ {
			if v := d[keep[x]][keep[y]]; !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
	}
	mean, se := stats.MeanSE(vals)
	lo, hi := stats.BootstrapCI(len(keep), b, pairStat(d, keep), "score", metric, key)
	return scoreRow{level: pairLevels[metric], metric: metric, value: mean, se: se, lo: lo, hi: hi}
}

func degeneracyTable(rows []scoreRow) *artifacts.Table {
	n := len(rows)
	level, metric := make([]string, n), make([]string, n)
	value, se, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	nn, nc := make([]int64, n), make([]int64, n)
	for i, r := range rows {
		level[i], metric[i] = r.level, r.metric
		value[i], se[i], lo[i], hi[i] = r.value, r.se, r.lo, r.hi
		nn[i], nc[i] = int64(r.nNetworks), int64(r.nConverged)
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.DictCol("level", level),
		artifacts.DictCol("metric", metric),
		artifacts.Float64Col("value", value),
		artifacts.Float64Col("se", se),
		artifacts.Float64Col("ci_lo", lo),
		artifacts.Float64Col("ci_hi", hi),
		artifacts.Int64Col("n_networks", nn),
		artifacts.Int64Col("n_converged", nc),
	}}
}
