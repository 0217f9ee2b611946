package rnn

import "math"

// plateau is PyTorch's ReduceLROnPlateau with its defaults other than factor
// and patience: mode "min", threshold 1e-4 relative (an epoch improves only if
// loss < best·(1 − 1e-4)), cooldown 0, min_lr 0, eps 1e-8 (a reduction smaller
// than 1e-8 is skipped). After more than `patience` epochs without
// improvement the rate is multiplied by `factor` and the count restarts.
type plateau struct {
	factor   float64
	patience int
	best     float64
	bad      int
}

const (
	plateauThreshold = 1e-4
	plateauEps       = 1e-8
)

func newPlateau(factor float64, patience int) *plateau {
	return &plateau{factor: factor, patience: patience, best: math.Inf(1)}
}

// step takes the epoch's loss and the current rate and returns the next rate.
func (p *plateau) step(loss, lr float64) float64 {
	if loss < p.best*(1-plateauThreshold) {
		p.best, p.bad = loss, 0
	} else {
		p.bad++
	}
	if p.bad > p.patience {
		p.bad = 0
		if next := lr * p.factor; lr-next > plateauEps {
			return next
		}
	}
	return lr
}
