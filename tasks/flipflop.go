package tasks

import "math/rand/v2"

// genFlipFlop: the N-bit flip-flop (SPEC §2). Each channel group is one bit:
// input a pulse in {−1, 0, +1}, target the last pulse (sample and hold). A
// pulse is forced at t = 0, so the target is defined from the first step.
//
// Draw order, per trial, per channel group, per step t = 0..T−1: one
// w := rng.Uint64(). Its low 53 bits make u ∈ [0, 1) exactly as
// rand.Float64 does; pulse iff t == 0 or u < p_pulse. Its top bit, disjoint
// from those, is the sign: 1 → +1, 0 → −1.
func genFlipFlop(p Params, b *Batch, rng *rand.Rand) {
	for trial := range b.B {
		for g := range p.Channels {
			var held float32
			for t := range b.T {
				w := rng.Uint64()
				if u := float64(w<<11>>11) / (1 << 53); t == 0 || u < p.PPulse {
					held = -1
					if w>>63 == 1 {
						held = 1
					}
					b.X[b.xAt(t, trial, g)] = held
				}
				b.Y[b.yAt(t, trial, g)] = held
			}
		}
	}
}
