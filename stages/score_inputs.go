package stages

import (
	"fmt"
	"math"
)

// netSummary is what score needs of one network's record summary.
type netSummary struct {
	converged bool
	ood       float64
}

func readNetworkSummaries(env Env, seeds []int64) ([]netSummary, error) {
	out := make([]netSummary, len(seeds))
	for k, s := range seeds {
		dep := DepName(Record{}.Name(), s)
		tab, err := env.Input(dep, OutSummary)
		if err != nil {
			return nil, err
		}
		c, o := tab.Col("converged"), tab.Col("ood_mse")
		if tab.Rows() != 1 || c == nil || o == nil || len(c.Bools) != 1 || len(o.F64) != 1 {
			return nil, fmt.Errorf("%s summary: want one row with converged (bool) and ood_mse (float64)", dep)
		}
		out[k] = netSummary{converged: c.Bools[0], ood: o.F64[0]}
	}
	return out, nil
}

// readPairs reads every align batch into one symmetric matrix per metric,
// indexed like seeds; pairs never computed stay NaN.
func readPairs(env Env, seeds []int64) (map[string][][]float64, error) {
	index := make(map[int64]int, len(seeds))
	for k, s := range seeds {
		index[s] = k
	}
	dist := make(map[string][][]float64, len(PairMetrics))
	for _, m := range PairMetrics {
		d := make([][]float64, len(seeds))
		for i := range d {
			d[i] = make([]float64, len(seeds))
			for j := range d[i] {
				d[i][j] = math.NaN()
			}
		}
		dist[m] = d
	}
	for _, s := range seeds[min(1, len(seeds)):] {
		dep := DepName(Align{}.Name(), s)
		tab, err := env.Input(dep, OutPairs)
		if err != nil {
			return nil, err
		}
		sa, sb, mc, vc := tab.Col("seed_a"), tab.Col("seed_b"), tab.Col("metric"), tab.Col("value")
		if sa == nil || sb == nil || mc == nil || vc == nil || len(sa.Ints) != tab.Rows() || len(sb.Ints) != tab.Rows() ||
			len(mc.Strs) != tab.Rows() || len(vc.F64) != tab.Rows() {
			return nil, fmt.Errorf("%s pairs: want columns seed_a, seed_b (int64), metric, value (float64)", dep)
		}
		for r := range tab.Rows() {
			i, okA := index[sa.Ints[r]]
			j, okB := index[sb.Ints[r]]
			d, okM := dist[mc.Strs[r]]
			if !okA || !okB || !okM {
				return nil, fmt.Errorf("%s pairs row %d: seeds %d, %d or metric %q not in this condition",
					dep, r, sa.Ints[r], sb.Ints[r], mc.Strs[r])
			}
			d[i][j], d[j][i] = vc.F64[r], vc.F64[r]
		}
	}
	return dist, nil
}
