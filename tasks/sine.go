package tasks

import "math/rand/v2"

// Sine-task frequency range (SPEC §2; the paper's [1, 30]).
const (
	sineFMin = 1.0
	sineFMax = 30.0
)

// genSine: sine-wave generation (SPEC §2). Each channel group gets one of
// n_freq frequencies evenly spaced in [1, 30] (n_freq = 1: f = 1, as
// numpy.linspace), as a constant input level (f−1)/29 + 0.25 (ours: the
// offset keeps the lowest frequency's input away from zero, which would
// leave that trial without a drive), and must output sin(2π f t·dt),
// t = 0..T−1 (so every trial starts at phase 0).
//
// Draw order, per trial, per channel group: k := rng.IntN(n_freq). Nothing
// else is random.
func genSine(p Params, b *Batch, rng *rand.Rand) {
	for trial := range b.B {
		for g := range p.Channels {
			f := sineFreq(rng.IntN(p.NFreq), p.NFreq)
			level := float32((f-sineFMin)/(sineFMax-sineFMin) + 0.25)
			for t := range b.T {
				b.X[b.xAt(t, trial, g)] = level
				b.Y[b.yAt(t, trial, g)] = float32(sin2pi(f * (float64(t) * p.Dt)))
			}
		}
	}
}

// sineFreq is the k-th of n evenly spaced frequencies in [sineFMin, sineFMax].
func sineFreq(k, n int) float64 {
	if n == 1 {
		return sineFMin
	}
	return sineFMin + float64((sineFMax-sineFMin)*float64(k))/float64(n-1)
}
