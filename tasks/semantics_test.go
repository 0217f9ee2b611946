package tasks

import (
	"math"
	"testing"
)

// Each test here checks a task's meaning on a large seeded batch, both the
// training and the OOD variant: what SPEC §2 says the trial is.

func TestFlipFlopSemantics(t *testing.T) {
	for _, ood := range []bool{false, true} {
		p := mustDefaults(t, "flipflop")
		b := gen(p, 64, ood, "semantics", "flipflop")
		var steps, pulses, plus int
		for trial := range b.B {
			for g := range p.Channels {
				var last float32
				for tt := range b.T {
					x := b.X[b.xAt(tt, trial, g)]
					switch {
					case x == 1 || x == -1:
						last = x
						if tt > 0 {
							pulses++
						}
						if x == 1 {
							plus++
						}
					case x != 0:
						t.Fatalf("input %v at t=%d, want −1, 0 or +1", x, tt)
					case tt == 0:
						t.Fatalf("trial %d group %d: no pulse at t=0", trial, g)
					}
					if tt > 0 {
						steps++
					}
					if got := b.Y[b.yAt(tt, trial, g)]; got != last {
						t.Fatalf("trial %d group %d t=%d: target %v, want last pulse %v", trial, g, tt, got, last)
					}
				}
			}
		}
		// 19 200 (38 400 OOD) steps: the pulse rate's SE is ≈ 0.0033.
		if rate := float64(pulses) / float64(steps); math.Abs(rate-p.PPulse) > 0.015 {
			t.Errorf("ood=%v: pulse rate %.4f, want %.2f", ood, rate, p.PPulse)
		}
		if frac := float64(plus) / float64(pulses+b.B*p.Channels); math.Abs(frac-0.5) > 0.02 {
			t.Errorf("ood=%v: fraction of +1 pulses %.4f, want 0.5", ood, frac)
		}
	}
}

// ddTrial is what a dd trial's input shows.
type ddTrial struct {
	f1, f2   float64
	delay    int
	f2Ends   int
	nonzeros int
}

func readDD(p Params, b *Batch, trial, g int) ddTrial {
	var d ddTrial
	t2 := -1
	for tt := range b.T {
		x := float64(b.X[b.xAt(tt, trial, g)])
		if x == 0 {
			continue
		}
		d.nonzeros++
		if tt < p.TF1+p.PulseLen {
			d.f1 = 10 * x
		} else {
			if t2 < 0 {
				t2 = tt
			}
			d.f2 = 10 * x
		}
	}
	d.delay = t2 - (p.TF1 + p.PulseLen)
	d.f2Ends = t2 + p.PulseLen
	return d
}

func TestDDSemantics(t *testing.T) {
	for _, ood := range []bool{false, true} {
		p := withEdit(t, "dd", func(p *Params) { p.Aux, p.Channels, p.PulseLen = true, 2, 2 })
		b := gen(p, 256, ood, "semantics", "dd")
		k := 1
		if ood {
			k = 2
		}
		minD, maxD := math.MaxInt, 0
		for trial := range b.B {
			for g := range p.Channels {
				d := readDD(p, b, trial, g)
				if d.nonzeros != 2*p.PulseLen {
					t.Fatalf("trial %d group %d: %d nonzero inputs, want two pulses of %d", trial, g, d.nonzeros, p.PulseLen)
				}
				for _, f := range []float64{d.f1, d.f2} {
					if f < 2-1e-5 || f > 10+1e-5 {
						t.Fatalf("frequency %v outside [2, 10]", f)
					}
				}
				if math.Abs(d.f1-d.f2) < 1-1e-5 {
					t.Fatalf("|f1−f2| = %v, want ≥ 1", math.Abs(d.f1-d.f2))
				}
				minD, maxD = min(minD, d.delay), max(maxD, d.delay)
				checkDDTargets(t, b, trial, g, d)
			}
		}
		// 512 draws over at most 31 delays: both ends turn up.
		if minD != k*p.DelayMin || maxD != k*p.DelayMax {
			t.Errorf("ood=%v: delays span [%d, %d], want [%d, %d]", ood, minD, maxD, k*p.DelayMin, k*p.DelayMax)
		}
		if last := p.TF1 + 2*p.PulseLen + maxD; b.T-last != 10 {
			t.Errorf("ood=%v: response window after the longest delay is %d steps, want 10", ood, b.T-last)
		}
	}
}

func checkDDTargets(t *testing.T, b *Batch, trial, g int, d ddTrial) {
	t.Helper()
	sign := float32(math.Copysign(1, d.f2-d.f1))
	for tt := range b.T {
		y, aux := b.Y[b.yAt(tt, trial, 2*g)], b.Y[b.yAt(tt, trial, 2*g+1)]
		if tt < d.f2Ends {
			if y != 0 || aux != 0 {
				t.Fatalf("t=%d before f2 ends (%d): target %v, aux %v, want 0", tt, d.f2Ends, y, aux)
			}
			continue
		}
		if y != sign {
			t.Fatalf("t=%d: target %v, want sign(f2−f1) = %v (f1 %v, f2 %v)", tt, y, sign, d.f1, d.f2)
		}
		if want := math.Abs(d.f2-d.f1) / 8; math.Abs(float64(aux)-want) > 1e-5 {
			t.Fatalf("t=%d: aux %v, want |f2−f1|/8 = %v", tt, aux, want)
		}
	}
}

func TestSineSemantics(t *testing.T) {
	for _, ood := range []bool{false, true} {
		p := withEdit(t, "sine", func(p *Params) { p.Channels = 2 })
		b := gen(p, 64, ood, "semantics", "sine")
		seen := make([]bool, p.NFreq)
		for trial := range b.B {
			for g := range p.Channels {
				level := b.X[b.xAt(0, trial, g)]
				k := int(math.Round((float64(level) - 0.25) * 29 / (29.0 / 7)))
				if k < 0 || k >= p.NFreq {
					t.Fatalf("input level %v is none of the %d frequencies", level, p.NFreq)
				}
				seen[k] = true
				f := 1 + 29*float64(k)/7
				for tt := range b.T {
					if x := b.X[b.xAt(tt, trial, g)]; x != level {
						t.Fatalf("input changes from %v to %v at t=%d", level, x, tt)
					}
					want := math.Sin(2 * math.Pi * f * float64(tt) * p.Dt)
					if got := float64(b.Y[b.yAt(tt, trial, g)]); math.Abs(got-want) > 1e-6 {
						t.Fatalf("f=%v t=%d: target %v, want sin(2π f t dt) = %v", f, tt, got, want)
					}
				}
			}
		}
		for k, ok := range seen {
			if !ok {
				t.Errorf("frequency index %d never drawn in 128 draws", k)
			}
		}
	}
}

func TestSineFrequencies(t *testing.T) {
	for _, c := range []struct {
		n    int
		want []float64
	}{
		{1, []float64{1}}, {2, []float64{1, 30}}, {3, []float64{1, 15.5, 30}},
	} {
		for k, want := range c.want {
			if got := sineFreq(k, c.n); got != want {
				t.Errorf("sineFreq(%d, %d) = %v, want %v", k, c.n, got, want)
			}
		}
	}
}
