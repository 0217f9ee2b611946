package weights

// Params set the d_PIF solver (SPEC §4), pipeline.toml keys under [metrics.pif].
type Params struct {
	MaxIter int     `toml:"max_iter" json:"max_iter"` // FAQ iterations (30)
	Tol     float64 `toml:"tol" json:"tol"`           // FAQ step tolerance (0.03)
	TwoOpt  bool    `toml:"two_opt" json:"two_opt"`   // 2-opt refinement (true)
}
