package pipeline

import (
	"degen/metrics/dsa"
	"degen/metrics/weights"
	"degen/rnn"
	"degen/stages"
	"degen/tasks"
)

// Defaults returns the configuration every layer starts from: SPEC §2–§4,
// including the values marked *ours* there.
func Defaults() *Config {
	c := &Config{Store: StoreConfig{Dir: ".degen"}}
	for _, n := range TaskNames {
		p, err := tasks.Defaults(n)
		if err != nil {
			panic("pipeline: no defaults for task " + n) // TaskNames and tasks disagree: a programming error
		}
		*c.Task.get(n) = p
	}
	c.Model = rnn.ModelParams{Param: "sp", N: 128, Gamma: 1, Tau: 0.1}
	c.Train.TrainParams = rnn.TrainParams{
		Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		Batch: 64, StepsPerEpoch: 128, MaxEpochs: 1000, Patience: 3,
		Clip: 1, PlateauFactor: 0.5, PlateauPatience: 40,
	}
	// Thresholds from the paper (research/paper.md §2); lr 1e-3 as in its
	// one recovered table (B.4).
	c.Train.Flipflop = TaskTrain{LR: 1e-3, Threshold: 0.001}
	c.Train.DD = TaskTrain{LR: 1e-3, Threshold: 0.01}
	c.Train.Sine = TaskTrain{LR: 1e-3, Threshold: 0.05}
	c.Train.PI = TaskTrain{LR: 1e-3, Threshold: 0.05}
	c.Record = stages.NTKParams{Trials: 8, Steps: 10}
	c.Metrics.DSA = dsa.DefaultParams()
	c.Metrics.PIF = weights.DefaultParams()
	c.Metrics.Score = stages.ScoreParams{Bootstrap: 1000}
	c.Metrics.Null = stages.DefaultNullParams()
	return c
}
