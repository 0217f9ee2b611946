package rnn

import (
	"fmt"
	"math"
)

// A Trainer owns one network's workspace and optimizer state. Step allocates
// nothing once the workspace has seen the batch shape (the nuclear-norm
// penalty included: its polar-decomposition workspace is kept in nuc).
type Trainer struct {
	net *Net
	p   TrainParams
	w   *work[float32]
	opt *adam
	nuc nuclearWork
	lr  float64
	// divergeAt is the batch MSE above which Train calls the run diverged.
	divergeAt float64
}

// StepStats describe one optimizer step. Loss is MSE plus the penalties;
// GradNorm is the global gradient norm before clipping.
type StepStats struct {
	MSE, Loss, GradNorm float64
}

// NewTrainer prepares nt for training with p. The initial learning rate is
// p.LR, times γ for µP (SPEC §3: lr = γ·η₀).
func NewTrainer(nt *Net, p TrainParams) (*Trainer, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	lr := p.LR
	if nt.m.mup {
		lr *= nt.Model.Gamma
	}
	return &Trainer{net: nt, p: p, w: newWork(nt.m, ops32), opt: newAdam(len(nt.m.theta), p.Beta1, p.Beta2, p.Eps), lr: lr}, nil
}

// LR is the current learning rate.
func (tr *Trainer) LR() float64 { return tr.lr }

// Step does forward, backward, penalties, clipping and one Adam update.
// A non-finite loss or gradient leaves the parameters untouched; the caller
// sees it in the returned stats.
func (tr *Trainer) Step(b *Batch) (StepStats, error) {
	m := tr.net.m
	if err := b.check(m.in, m.out); err != nil {
		return StepStats{}, err
	}
	w := tr.w
	w.load(m, b)
	w.forward(m)
	var s StepStats
	s.MSE = w.loss()
	w.backward(m)
	s.Loss = s.MSE + penalize(m.wrec, w.grad[:len(m.wrec)], m.n, tr.p.L1, tr.p.Nuclear, &tr.nuc)
	s.GradNorm = clipNorm(w.grad, tr.p.Clip)
	if !finite(s.Loss) || !finite(s.GradNorm) {
		return s, nil
	}
	tr.opt.step(m.theta, w.grad, tr.lr)
	return s, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate reports training parameters that cannot run.
func (p TrainParams) Validate() error {
	switch {
	case !(p.LR > 0):
		return fmt.Errorf("rnn: lr = %g, want > 0", p.LR)
	case !(p.Beta1 >= 0 && p.Beta1 < 1) || !(p.Beta2 >= 0 && p.Beta2 < 1) || !(p.Eps > 0):
		return fmt.Errorf("rnn: adam beta1=%g beta2=%g eps=%g, want betas in [0,1) and eps > 0", p.Beta1, p.Beta2, p.Eps)
	case p.Batch < 1 || p.StepsPerEpoch < 1 || p.MaxEpochs < 1 || p.Patience < 0:
		return fmt.Errorf("rnn: batch=%d steps_per_epoch=%d max_epochs=%d patience=%d, want ≥ 1 (patience ≥ 0)",
			p.Batch, p.StepsPerEpoch, p.MaxEpochs, p.Patience)
	case !(p.PlateauFactor > 0 && p.PlateauFactor < 1) || p.PlateauPatience < 0:
		return fmt.Errorf("rnn: plateau_factor=%g plateau_patience=%d, want factor in (0,1), patience ≥ 0", p.PlateauFactor, p.PlateauPatience)
	case p.Clip < 0 || p.L1 < 0 || p.Nuclear < 0 || !(p.Threshold >= 0):
		return fmt.Errorf("rnn: clip=%g l1=%g nuclear=%g threshold=%g, want ≥ 0", p.Clip, p.L1, p.Nuclear, p.Threshold)
	}
	return nil
}

// DefaultTrainParams are SPEC §3's defaults; Threshold is per task and left 0.
func DefaultTrainParams() TrainParams {
	return TrainParams{
		LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Batch: 64, StepsPerEpoch: 128, MaxEpochs: 1000,
		Patience: 3, Clip: 1, PlateauFactor: 0.5, PlateauPatience: 40,
	}
}

// workspaceBytes is the memory a Trainer holds: parameters, gradients, Adam
// moments and every batch buffer.
func (tr *Trainer) workspaceBytes() int {
	w := tr.w
	floats := len(tr.net.m.theta) + len(tr.opt.m) + len(tr.opt.v)
	for _, s := range [][]float32{w.x, w.y, w.mask, w.recT, w.inT, w.outT, w.pre, w.ones, w.h, w.r, w.q, w.yhat, w.dy, w.dh, w.e, w.grad} {
		floats += cap(s)
	}
	return 4 * floats
}
