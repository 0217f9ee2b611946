package stages

import "degen/artifacts"

// Work is what an action's CPU time scales with, for `degen plan`'s
// estimate of a study's cost (package pipeline fits seconds per unit from
// the provenance records of actions it has run). It is never part of a key.
//
// The model is deliberately coarse: one term per stage, the term that
// dominates at the paper's sizes (n ≥ 64), except align, whose two
// comparisons scale differently (DSA by the fixed rank, d_PIF by n³).
type Work struct {
	// Units is the action's size in its stage's unit; for train it is
	// the size of one epoch, to be multiplied by the epochs it runs.
	Units float64
	// Cubic is align's second term: pairs·n³ (d_PIF's FAQ and LAP).
	Cubic float64
	// MaxEpochs bounds a train action's epochs (0 for other stages).
	MaxEpochs int
}

// WorkOf sizes action a. Stages it does not model (generate, score, and any
// later stage) count one unit per action.
func WorkOf(a *Action) Work {
	if p, ok := paramsAs[TrainParams](a); ok {
		in, out := p.Task.Widths()
		n := float64(p.Model.N)
		perStep := float64(p.Task.Steps(false)) * (n*n + n*float64(in+out))
		return Work{Units: float64(p.Train.StepsPerEpoch*p.Train.Batch) * perStep, MaxEpochs: p.Train.MaxEpochs}
	}
	if _, ok := paramsAs[RecordParams](a); ok {
		// The probe, test and OOD sets and the NTK probe: every pass is n²
		// per step, and the OOD trials are the longest.
		if tp, ok := trainOf(a); ok {
			n := float64(tp.Model.N)
			return Work{Units: n * n * float64(tp.Task.Steps(false)+tp.Task.Steps(true))}
		}
	}
	if p, ok := paramsAs[DSAFitParams](a); ok && len(a.Deps) > 0 {
		// The Hankel SVD of the probe trajectories: trials·T rows of
		// n_delays·n columns.
		if tp, ok := trainOf(a.Deps[0].Action); ok {
			return Work{Units: float64(tp.Task.Steps(false)*tp.Model.N*p.DSA.NDelays) + 1}
		}
	}
	if p, ok := paramsAs[AlignParams](a); ok {
		pairs := float64(len(p.Earlier))
		if tp, ok := trainOf(a); ok {
			n := float64(tp.Model.N)
			return Work{Units: pairs, Cubic: pairs * n * n * n}
		}
		return Work{Units: pairs}
	}
	return Work{Units: 1}
}

// trainOf finds the training parameters of the network an action reads:
// its first dependency that is a train action.
func trainOf(a *Action) (TrainParams, bool) {
	for _, d := range a.Deps {
		if tp, ok := paramsAs[TrainParams](d.Action); ok {
			return tp, true
		}
	}
	return TrainParams{}, false
}

// TrainEpochs reads how many epochs a train action ran from its summary
// output (the estimate's measured train cost is per epoch).
func TrainEpochs(summary *artifacts.Table) (int, error) {
	s, err := readTrainSummary(summary)
	return s.Epochs, err
}
