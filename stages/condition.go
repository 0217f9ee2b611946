package stages

import (
	"degen/metrics/dsa"
	"degen/metrics/weights"
	"degen/rnn"
	"degen/tasks"
)

// A Condition is one cell of a study: a task configuration × model
// configuration × training configuration, trained from each of Seeds
// (replicates). Every comparison happens within a condition.
type Condition struct {
	Study  string // study name in pipeline.toml
	Name   string // stable label, e.g. "flipflop/channels=3"
	Factor string // the varied key ("" when the study varies nothing)
	Level  string // its value, as written in pipeline.toml

	Task  tasks.Params
	Model rnn.ModelParams
	Train rnn.TrainParams
	NTK   NTKParams
	DSA   dsa.Params
	PIF   weights.Params
	Score ScoreParams
	Null  NullParams // the DSA null floor (null.go)
	Seeds []int
}

// NTKParams set the kernel-alignment probe of the record stage (SPEC §4):
// the Jacobian of outputs at Steps evenly spaced steps of Trials probe trials.
type NTKParams struct {
	Trials int `toml:"ntk_trials" json:"ntk_trials"`
	Steps  int `toml:"ntk_steps" json:"ntk_steps"`
}

// ScoreParams set the statistics of the score stage.
type ScoreParams struct {
	Bootstrap          int  `toml:"bootstrap" json:"bootstrap"`                     // resamples for 95% CIs
	IncludeUnconverged bool `toml:"include_unconverged" json:"include_unconverged"` // SPEC §3: excluded by default
}
