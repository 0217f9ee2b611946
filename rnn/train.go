package rnn

import (
	"context"
	"fmt"
)

// A BatchSource returns the training batch for a global step index (0-based,
// counting from the first step of the first epoch). It must be a pure
// function of the step, so a run is reproducible; the train stage derives
// each batch's generator from seed.New(netKey, "batch", step).
type BatchSource func(step int) (*Batch, error)

// Epoch is one row of the training curve. Loss is the mean over the epoch's
// steps of the batch MSE (penalties excluded); LR is the rate used during the
// epoch; GradNorm is the mean pre-clipping gradient norm.
type Epoch struct {
	Epoch              int // 1-based
	Loss, LR, GradNorm float64
}

// Summary is how training ended.
type Summary struct {
	Converged bool // the epoch-mean MSE fell below the threshold
	Diverged  bool // a step's loss or gradient was NaN or ±Inf, or its MSE passed the divergence bound
	Epochs    int  // epochs run, counting the one that diverged
	Steps     int  // optimizer steps attempted
	FinalLoss float64
}

// DivergeFactor ends a run as diverged even while its loss is finite: a step
// whose batch MSE exceeds DivergeFactor·max(MSE of step 0, 1). Adam's step is
// bounded by the learning rate, so a run with an absurd rate (1e6) grows its
// weights only linearly and would take ages to overflow to Inf; a millionfold
// rise over the untrained loss is already blown up. Relative to step 0, so a
// µP network with a tiny γ (large initial outputs) is not flagged at once.
const DivergeFactor = 1e6

// Result is a finished training run.
type Result struct {
	Init, Final *Net
	Curve       []Epoch
	Summary     Summary
}

// Train trains a copy of nt (nt itself is Result.Init, untouched) with p on
// batches from src, SPEC §3's loop: epochs of p.StepsPerEpoch steps; after
// each, ReduceLROnPlateau sees the epoch-mean objective (MSE + penalties);
// once the epoch-mean MSE is below p.Threshold, p.Patience more epochs run,
// then training stops with Converged. It also stops at p.MaxEpochs, or at
// the first non-finite step (Diverged; FinalLoss is that step's MSE).
// progress, if not nil, sees every epoch.
func Train(ctx context.Context, nt *Net, p TrainParams, src BatchSource, progress func(Epoch)) (*Result, error) {
	final := nt.Clone()
	tr, err := NewTrainer(final, p)
	if err != nil {
		return nil, err
	}
	res := &Result{Init: nt, Final: final}
	sched := newPlateau(p.PlateauFactor, p.PlateauPatience)
	sum := &res.Summary
	below := -1
	for epoch := 0; epoch < p.MaxEpochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, obj, err := tr.epoch(src, epoch, sum)
		sum.Epochs = epoch + 1
		if err != nil || sum.Diverged {
			return res, err
		}
		res.Curve = append(res.Curve, e)
		sum.FinalLoss = e.Loss
		if progress != nil {
			progress(e)
		}
		tr.lr = sched.step(obj, tr.lr)
		if below < 0 && e.Loss < p.Threshold {
			below = epoch
			sum.Converged = true
		}
		if below >= 0 && epoch-below >= p.Patience {
			break
		}
	}
	return res, nil
}

// epoch runs one epoch's steps and returns its curve row and mean objective.
func (tr *Trainer) epoch(src BatchSource, epoch int, sum *Summary) (Epoch, float64, error) {
	e := Epoch{Epoch: epoch + 1, LR: tr.lr}
	var obj float64
	k := tr.p.StepsPerEpoch
	for i := 0; i < k; i++ {
		step := epoch*k + i
		b, err := src(step)
		if err != nil {
			return e, 0, fmt.Errorf("rnn: batch for step %d: %w", step, err)
		}
		s, err := tr.Step(b)
		if err != nil {
			return e, 0, fmt.Errorf("rnn: step %d: %w", step, err)
		}
		sum.Steps = step + 1
		if step == 0 {
			tr.divergeAt = DivergeFactor * max(s.MSE, 1)
		}
		if !finite(s.Loss) || !finite(s.GradNorm) || s.MSE > tr.divergeAt {
			sum.Diverged, sum.FinalLoss = true, s.MSE
			return e, 0, nil
		}
		e.Loss += s.MSE
		e.GradNorm += s.GradNorm
		obj += s.Loss
	}
	e.Loss /= float64(k)
	e.GradNorm /= float64(k)
	return e, obj / float64(k), nil
}
