package weights

import "fmt"

// Params set the d_PIF solver (SPEC §4), pipeline.toml keys under [metrics.pif].
type Params struct {
	MaxIter int     `toml:"max_iter" json:"max_iter"` // FAQ iterations (30)
	Tol     float64 `toml:"tol" json:"tol"`           // FAQ step tolerance (0.03)
	TwoOpt  bool    `toml:"two_opt" json:"two_opt"`   // 2-opt refinement (true)
	// Restarts adds FAQ runs from seeded random doubly stochastic starts
	// (0; ours): more chances to find the optimum, at one FAQ run each.
	Restarts int `toml:"restarts" json:"restarts"`
}

// DefaultParams are SPEC §4's values: scipy's FAQ defaults, then 2-opt.
func DefaultParams() Params { return Params{MaxIter: 30, Tol: 0.03, TwoOpt: true} }

// Validate reports a parameter outside its domain.
func (p Params) Validate() error {
	if p.MaxIter < 1 {
		return fmt.Errorf("metrics.pif.max_iter = %d, want ≥ 1", p.MaxIter)
	}
	if !(p.Tol >= 0) {
		return fmt.Errorf("metrics.pif.tol = %v, want ≥ 0", p.Tol)
	}
	if p.Restarts < 0 {
		return fmt.Errorf("metrics.pif.restarts = %d, want ≥ 0", p.Restarts)
	}
	return nil
}
