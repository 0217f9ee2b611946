package tasks

import "math/rand/v2"

// Delayed-discrimination constants (SPEC §2).
const (
	ddFMin    = 2.0  // f1, f2 ~ U[ddFMin, ddFMax]
	ddFMax    = 10.0 //
	ddMinDiff = 1.0  // redraw while |f1−f2| < ddMinDiff (ours: keeps every trial decidable)
	ddScale   = 10.0 // pulse value f/ddScale keeps inputs in [0.2, 1]
	ddAuxNorm = 8.0  // aux target |f2−f1|/ddAuxNorm lies in [1/8, 1]
)

// genDD: delayed discrimination (SPEC §2). Per channel group: a pulse of
// value f1/10 for pulse_len steps from t_f1, a delay of d steps, a pulse of
// f2/10 for pulse_len steps, then the response window to the end of the
// trial. The target is 0 until f2 ends, then sign(f2−f1); with aux a second
// output per group (group-major: sign, magnitude) holds |f2−f1|/8 in the same
// window. OOD doubles both ends of the delay range (ours: "the delay period
// is doubled"), and Steps grows T to fit the longest delay.
//
// Draw order, per trial, per channel group:
//
//	repeat: f1 := 2 + 8·rng.Float64(); f2 := 2 + 8·rng.Float64()
//	        until |f1−f2| ≥ 1 (both redrawn: uniform on the allowed region)
//	d := k·delay_min + rng.IntN(k·(delay_max−delay_min)+1), k = 2 if OOD else 1
func genDD(p Params, b *Batch, rng *rand.Rand, ood bool) {
	k := 1
	if ood {
		k = 2
	}
	_, outPer := p.perGroup()
	for trial := range b.B {
		for g := range p.Channels {
			f1, f2 := ddFreqs(rng)
			d := k*p.DelayMin + rng.IntN(k*(p.DelayMax-p.DelayMin)+1)
			t2 := p.TF1 + p.PulseLen + d
			for t := range p.PulseLen {
				b.X[b.xAt(p.TF1+t, trial, g)] = float32(f1 / ddScale)
				b.X[b.xAt(t2+t, trial, g)] = float32(f2 / ddScale)
			}
			sign, mag := float32(1), float32((f2-f1)/ddAuxNorm)
			if f2 < f1 {
				sign, mag = -1, float32((f1-f2)/ddAuxNorm)
			}
			for t := t2 + p.PulseLen; t < b.T; t++ {
				b.Y[b.yAt(t, trial, g*outPer)] = sign
				if p.Aux {
					b.Y[b.yAt(t, trial, g*outPer+1)] = mag
				}
			}
		}
	}
}

func ddFreqs(rng *rand.Rand) (f1, f2 float64) {
	for {
		f1 = float64((ddFMax-ddFMin)*rng.Float64()) + ddFMin
		f2 = float64((ddFMax-ddFMin)*rng.Float64()) + ddFMin
		if f1-f2 >= ddMinDiff || f2-f1 >= ddMinDiff {
			return f1, f2
		}
	}
}
