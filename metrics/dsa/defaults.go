package dsa

import (
	"fmt"
	"math"
)

// Score methods (Params.Score).
const (
	Angular     = "angular"
	Euclidean   = "euclidean"
	Wasserstein = "wasserstein"
)

// DefaultParams are SPEC §4's settings. RandomStarts is 16 because the
// problem is genuinely multimodal: on random and on fitted 20×20 operator
// pairs, one random start reaches the best of 64 starts' maxima only about
// one time in twenty, and the distinct maxima differ by ~1e-2 in angle; with
// 4 starts DSA lost to a 20-start fixed-step baseline on 4 of 10 random
// pairs, with 16 on none (docs/perf.md has the cost). Tol bounds ‖W‖_F, the norm of the
// Riemannian gradient of g(C) on unit-norm operators: the objective's error
// is quadratic in it, and a residual that is exactly 0 (conjugate operators)
// comes out near Tol/curvature, so 1e-10 gives distances ≲1e-9 for copies at
// the cost of a few extra trust-region steps near a maximum.
func DefaultParams() Params {
	return Params{
		NDelays:       5,
		DelayInterval: 1,
		Rank:          20,
		Lambda:        0,
		Score:         Angular,
		RandomStarts:  16,
		MaxIter:       1000,
		Tol:           1e-10,
	}
}

// FitParams are the fields that determine a fitted Model; a change to any
// other field (the comparison's) must not refit.
type FitParams struct {
	NDelays               int     `json:"n_delays"`
	DelayInterval         int     `json:"delay_interval"`
	Rank                  int     `json:"rank"`
	RankThresh            float64 `json:"rank_thresh"`
	RankExplainedVariance float64 `json:"rank_explained_variance"`
	Lambda                float64 `json:"lambda"`
}

// Fit returns p's fit-relevant fields.
func (p Params) Fit() FitParams {
	return FitParams{p.NDelays, p.DelayInterval, p.Rank, p.RankThresh, p.RankExplainedVariance, p.Lambda}
}

// Validate reports the first invalid key. Each message starts with the
// pipeline.toml key (under [metrics.dsa]) and says what would be valid.
func (p Params) Validate() error {
	if err := p.validateFit(); err != nil {
		return err
	}
	return p.validateCompare()
}

func (p Params) validateFit() error {
	switch {
	case p.NDelays < 1:
		return fmt.Errorf("n_delays = %d, want an integer ≥ 1", p.NDelays)
	case p.DelayInterval < 1:
		return fmt.Errorf("delay_interval = %d, want an integer ≥ 1", p.DelayInterval)
	case p.Rank < 0:
		return fmt.Errorf("rank = %d, want ≥ 1, or 0 for full rank", p.Rank)
	case !(p.RankThresh >= 0) || math.IsInf(p.RankThresh, 0):
		return fmt.Errorf("rank_thresh = %v, want a finite value ≥ 0 (0 = unset)", p.RankThresh)
	case !(p.RankExplainedVariance >= 0 && p.RankExplainedVariance <= 1):
		return fmt.Errorf("rank_explained_variance = %v, want a value in (0, 1] (0 = unset)", p.RankExplainedVariance)
	case !(p.Lambda >= 0) || math.IsInf(p.Lambda, 0):
		return fmt.Errorf("lambda = %v, want a finite value ≥ 0", p.Lambda)
	}
	set := 0
	for _, on := range []bool{p.Rank > 0, p.RankThresh > 0, p.RankExplainedVariance > 0} {
		if on {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("rank = %d, rank_thresh = %v, rank_explained_variance = %v: set at most one rank selector",
			p.Rank, p.RankThresh, p.RankExplainedVariance)
	}
	return nil
}

func (p Params) validateCompare() error {
	switch {
	case p.Score != Angular && p.Score != Euclidean && p.Score != Wasserstein:
		return fmt.Errorf("score = %q, want %q, %q or %q", p.Score, Angular, Euclidean, Wasserstein)
	case p.RandomStarts < 0:
		return fmt.Errorf("random_starts = %d, want an integer ≥ 0", p.RandomStarts)
	case p.MaxIter < 1:
		return fmt.Errorf("max_iter = %d, want an integer ≥ 1", p.MaxIter)
	case !(p.Tol > 0) || math.IsInf(p.Tol, 0):
		return fmt.Errorf("tol = %v, want a finite value > 0", p.Tol)
	}
	return nil
}
