package stages

import (
	"errors"
	"math"

	"degen/artifacts"
	"degen/metrics/dsa"
	"degen/metrics/rep"
	"degen/metrics/weights"
)

// pairValues holds one pair's metrics, indexed like PairMetrics; NaN until set.
type pairValues []float64

func (v pairValues) set(name string, x float64) { v[pairMetricIndex(name)] = x }

// newPairValues has every pair metric NaN: not computed (yet).
func newPairValues() pairValues {
	v := make(pairValues, len(PairMetrics))
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// comparePair computes every pair metric of (a, b), a the earlier network.
// The representational step comes first: its cross-covariance also gives
// the activity-matched start of d_PIF.
func comparePair(a, b *alignNet, p AlignParams) (pairValues, error) {
	v := newPairValues()
	if err := dsaMetrics(v, a, b, p.DSA); err != nil {
		return nil, err
	}
	start, err := repMetrics(v, a, b)
	if err != nil {
		return nil, err
	}
	return v, pifMetrics(v, a, b, start, p.PIF)
}

func dsaMetrics(v pairValues, a, b *alignNet, p dsa.Params) error {
	if a.op == nil || b.op == nil {
		return nil
	}
	r, err := dsa.Compare(a.op, b.op, p)
	if err != nil {
		return err
	}
	v.set(MetricDSAAngular, r.Angular)
	v.set(MetricDSAEuclidean, r.Euclidean)
	v.set(MetricDSAWasserstein, r.Wasserstein)
	return nil
}

// repMetrics sets Procrustes and CKA and returns the activity-matched
// permutation (nil when the networks differ in size or lack states).
func repMetrics(v pairValues, a, b *alignNet) ([]int, error) {
	if a.probe == nil || b.probe == nil {
		return nil, nil
	}
	cross, err := rep.Cross(a.probe, b.probe)
	if err != nil {
		return nil, err
	}
	r, err := rep.FromCross(a.probe, b.probe, cross)
	switch {
	case errors.Is(err, rep.ErrDegenerate): // no variance: NaN, and no match
		return nil, nil
	case err != nil:
		return nil, err
	}
	v.set(MetricProcrustes, r.Angular)
	v.set(MetricCKA, r.CKA)
	if a.probe.Units() != b.probe.Units() {
		return nil, nil
	}
	return weights.MatchCorrelation(rep.Correlation(a.probe, b.probe, cross))
}

func pifMetrics(v pairValues, a, b *alignNet, start []int, p weights.Params) error {
	if a.wrec == nil || b.wrec == nil {
		return nil
	}
	r, err := weights.PIF(a.wrec, b.wrec, start, p)
	if err != nil {
		return err
	}
	v.set(MetricPIF, r.D)
	v.set(MetricPIFNorm, r.DNorm)
	v.set(MetricPIFIdentity, r.Identity)
	return nil
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
func pairsTable(p AlignParams, vals []pairValues) *artifacts.Table {
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
