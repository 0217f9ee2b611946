package dsa

// Params are DSA's fit and comparison settings (SPEC §4), all pipeline.toml
// keys under [metrics.dsa]. At most one of Rank, RankThresh and
// RankExplainedVariance selects the rank; Rank = 0 with the others unset means
// full rank.
type Params struct {
	NDelays               int     `toml:"n_delays" json:"n_delays"`
	DelayInterval         int     `toml:"delay_interval" json:"delay_interval"`
	Rank                  int     `toml:"rank" json:"rank"`
	RankThresh            float64 `toml:"rank_thresh" json:"rank_thresh"`
	RankExplainedVariance float64 `toml:"rank_explained_variance" json:"rank_explained_variance"`
	Lambda                float64 `toml:"lambda" json:"lambda"`
	Score                 string  `toml:"score" json:"score"`                 // angular | euclidean | wasserstein
	RandomStarts          int     `toml:"random_starts" json:"random_starts"` // besides the spectral, identity and reflection starts
	MaxIter               int     `toml:"max_iter" json:"max_iter"`           // trust-region steps per start
	Tol                   float64 `toml:"tol" json:"tol"`                     // stop when ‖W‖_F < tol (unit-norm operators)
}
