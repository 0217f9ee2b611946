package stats

import (
	"math"
	"slices"

	"degen/internal/seed"
)

// DefaultB is the number of bootstrap resamples: enough that the 2.5% and
// 97.5% percentiles move by well under the CI's width between keys.
const DefaultB = 1000

// BootstrapCI is the percentile 95% interval of stat over b resamples of
// n networks. stat gets the resampled network indices (length n, with
// repeats) and returns the statistic, or NaN when it has no value for that
// resample (dropped). key seeds the draws; the same key and inputs give the
// same interval. With n = 0 or no valid resample both bounds are NaN.
func BootstrapCI(n, b int, stat func(idx []int) float64, key ...string) (lo, hi float64) {
	return Interval95(Replicates(n, b, stat, key...))
}

// Interval95 is the 2.5 % and 97.5 % quantiles of vals' non-NaN values
// (vals is left as it was): NaN, NaN when there are none.
func Interval95(vals []float64) (lo, hi float64) {
	vals = slices.DeleteFunc(slices.Clone(vals), math.IsNaN)
	slices.Sort(vals)
	return Quantile(vals, 0.025), Quantile(vals, 0.975)
}

// Replicates are the b bootstrap values of stat behind BootstrapCI, in draw
// order, NaN where stat has none: replicate r of two conditions drawn with
// their own keys can be combined into a statistic across conditions (Table
// 1's Spearman ρ). Nil for n = 0 or b < 1.
func Replicates(n, b int, stat func(idx []int) float64, key ...string) []float64 {
	if n == 0 || b < 1 {
		return nil
	}
	rng := seed.New(append([]string{"metrics/stats/bootstrap"}, key...)...)
	idx := make([]int, n)
	vals := make([]float64, b)
	for r := range vals {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		vals[r] = stat(idx)
	}
	return vals
}

// Quantile of sorted values by linear interpolation between the order
// statistics at (len−1)·q (numpy's default "linear" method).
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := float64(len(sorted)-1) * q
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := h - float64(i)
	return sorted[i] + float64(f*(sorted[i+1]-sorted[i])) // rounded: no FMA, same bits everywhere
}

// PairMean returns a BootstrapCI statistic for a pairwise metric: the mean
// of d(idx[a], idx[b]) over draws a < b whose networks differ. d must be
// symmetric; NaN entries (a failed comparison) are skipped.
func PairMean(d func(i, j int) float64) func(idx []int) float64 {
	return func(idx []int) float64 {
		var s float64
		var m int
		for a := range idx {
			for b := a + 1; b < len(idx); b++ {
				if idx[a] == idx[b] {
					continue
				}
				if v := d(idx[a], idx[b]); !math.IsNaN(v) {
					s += v
					m++
				}
			}
		}
		if m == 0 {
			return math.NaN()
		}
		return s / float64(m)
	}
}

// ValueStat returns a BootstrapCI statistic f(x[idx...]) for per-network
// values, e.g. PopSD for σ_OOD.
func ValueStat(x []float64, f func([]float64) float64) func(idx []int) float64 {
	buf := make([]float64, 0, len(x))
	return func(idx []int) float64 {
		buf = buf[:0]
		for _, i := range idx {
			buf = append(buf, x[i])
		}
		return f(buf)
	}
}
