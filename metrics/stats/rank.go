package stats

import (
	"math"
	"sort"

	"degen/internal/seed"
)

// Ranks are the 1-based ranks of x, ties given their average rank.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// Spearman is the rank correlation of x and y: Pearson's r of their ranks
// (ties averaged). Pairs with a NaN are dropped; NaN when fewer than two
// pairs remain or either side is constant.
func Spearman(x, y []float64) float64 {
	var fx, fy []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			fx, fy = append(fx, x[i]), append(fy, y[i])
		}
	}
	if len(fx) < 2 {
		return math.NaN()
	}
	return pearson(Ranks(fx), Ranks(fy))
}

func pearson(x, y []float64) float64 {
	mx, my := Mean(x), Mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += float64(dx * dy) // rounded: no FMA, same bits everywhere
		sxx += float64(dx * dx)
		syy += float64(dy * dy)
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(float64(sxx*syy))
}

// Subsamples are b values of stat on k of n networks drawn without
// replacement (the seeds-sufficiency curve: how an estimate from k networks
// scatters), NaN where stat has none. key seeds the draws.
func Subsamples(n, k, b int, stat func(idx []int) float64, key ...string) []float64 {
	if k < 1 || k > n || b < 1 {
		return nil
	}
	rng := seed.New(append([]string{"metrics/stats/subsample"}, key...)...)
	vals := make([]float64, b)
	for r := range vals {
		vals[r] = stat(rng.Perm(n)[:k])
	}
	return vals
}
