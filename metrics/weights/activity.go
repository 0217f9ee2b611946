package weights

import (
	"fmt"

	"degen/metrics/lap"
	"degen/metrics/rep"

	"gonum.org/v1/gonum/mat"
)

// ActivityMatch matches hidden units by activity: the permutation that
// maximizes the summed Pearson correlation between unit i of network 1 and
// unit perm[i] of network 2, over the probe states h1, h2 (samples × units,
// time and trials pooled in rows, same rows for both). It is netrep's
// PermutationMetric alignment and FAQ's second start.
func ActivityMatch(h1, h2 mat.Matrix) ([]int, error) {
	a, err := rep.NewProbe(h1)
	if err != nil {
		return nil, err
	}
	b, err := rep.NewProbe(h2)
	if err != nil {
		return nil, err
	}
	cross, err := rep.Cross(a, b)
	if err != nil {
		return nil, err
	}
	return MatchCorrelation(rep.Correlation(a, b, cross))
}

// MatchCorrelation is ActivityMatch from a precomputed square unit
// correlation matrix (rep.Correlation), for callers that reuse the
// cross-covariance for other metrics.
func MatchCorrelation(corr mat.Matrix) ([]int, error) {
	r, c := corr.Dims()
	if r != c {
		return nil, fmt.Errorf("pif: correlation is %d×%d, want square (equal unit counts)", r, c)
	}
	perm, _, err := lap.SolveDense(corr, true)
	return perm, err
}
