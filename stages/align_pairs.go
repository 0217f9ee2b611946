package stages

import (
	"errors"
	"math"

	"degen/artifacts"
	"degen/metrics/dsa"
	"degen/metrics/rep"
	"degen/metrics/weights"
)

// comparePair computes every pair metric of (a, b), a the earlier network,
// as values indexed like PairMetrics.
func comparePair(a, b *alignNet, p AlignParams) ([]float64, error) {
	v := make([]float64, len(PairMetrics))
	for i := range v {
		v[i] = math.NaN()
	}
	set := func(name string, x float64) { v[pairMetricIndex(name)] = x }
	if a.op != nil && b.op != nil {
		r, err := dsa.Compare(a.op, b.op, p.DSA)
		if err != nil {
			return nil, err
		}
		set(MetricDSAAngular, r.Angular)
		set(MetricDSAEuclidean, r.Euclidean)
		set(MetricDSAWasserstein, r.Wasserstein)
	}
	var start []int
	if a.probe != nil && b.probe != nil {
		cross, err := rep.Cross(a.probe, b.probe)
		if err != nil {
			return nil, err
		}
		r, err := rep.FromCross(a.probe, b.probe, cross)
		switch {
		case errors.Is(err, rep.ErrDegenerate):
		case err != nil:
			return nil, err
		default:
			set(MetricProcrustes, r.Angular)
			set(MetricCKA, r.CKA)
		}
		if a.probe.Units() == b.probe.Units() {
			if start, err = weights.MatchCorrelation(rep.Correlation(a.probe, b.probe, cross)); err != nil {
				return nil, err
			}
		}
	}
	if a.wrec != nil && b.wrec != nil {
		r, err := weights.PIF(a.wrec, b.wrec, start, p.PIF)
		if err != nil {
			return nil, err
		}
		set(MetricPIF, r.D)
		set(MetricPIFNorm, r.DNorm)
		set(MetricPIFIdentity, r.Identity)
	}
	return v, nil
}

func pairMetricIndex(name string) int {
	for i, m := range PairMetrics {
		if m == name {
			return i
		}
	}
	panic("align: unknown metric " + name)
}

// pairsTable lays the values out tidy, sorted by seed_a (Earlier is in
// seed order), then metric.
func pairsTable(p AlignParams, vals [][]float64) *artifacts.Table {
	k := len(vals) * len(PairMetrics)
	sa, sb := make([]int64, 0, k), make([]int64, 0, k)
	metric, value := make([]string, 0, k), make([]float64, 0, k)
	for i, row := range vals {
		for m, x := range row {
			sa, sb = append(sa, p.Earlier[i]), append(sb, p.Seed)
			metric, value = append(metric, PairMetrics[m]), append(value, x)
		}
	}
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.Int64Col("seed_a", sa),
		artifacts.Int64Col("seed_b", sb),
		artifacts.DictCol("metric", metric),
		artifacts.Float64Col("value", value),
	}}
}
