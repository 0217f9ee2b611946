package rnn

// ModelParams select and size the network (SPEC §3).
type ModelParams struct {
	Param string  `toml:"param" json:"param"` // "sp" (default) or "mup"
	N     int     `toml:"n" json:"n"`         // hidden units
	Gamma float64 `toml:"gamma" json:"gamma"` // µP feature-learning strength
	Tau   float64 `toml:"tau" json:"tau"`     // µP time constant
}

// TrainParams are the optimiser, schedule and stopping rule (SPEC §3).
// Threshold and LR are per task in pipeline.toml and resolved before they get here.
type TrainParams struct {
	LR              float64 `toml:"lr" json:"lr"` // η₀; µP uses γ·η₀
	Beta1           float64 `toml:"beta1" json:"beta1"`
	Beta2           float64 `toml:"beta2" json:"beta2"`
	Eps             float64 `toml:"eps" json:"eps"`
	Batch           int     `toml:"batch" json:"batch"`
	StepsPerEpoch   int     `toml:"steps_per_epoch" json:"steps_per_epoch"`
	MaxEpochs       int     `toml:"max_epochs" json:"max_epochs"`
	Threshold       float64 `toml:"threshold" json:"threshold"`
	Patience        int     `toml:"patience" json:"patience"`
	Clip            float64 `toml:"clip" json:"clip"`
	PlateauFactor   float64 `toml:"plateau_factor" json:"plateau_factor"`
	PlateauPatience int     `toml:"plateau_patience" json:"plateau_patience"`
	L1              float64 `toml:"l1" json:"l1"`
	Nuclear         float64 `toml:"nuclear" json:"nuclear"`
}
