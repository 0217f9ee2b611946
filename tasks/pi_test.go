package tasks

import (
	"math"
	"sort"
	"testing"
)

func TestPISemantics(t *testing.T) {
	for _, dims := range []int{2, 3} {
		for _, ood := range []bool{false, true} {
			p := withEdit(t, "pi", func(p *Params) { p.Dims, p.Channels = dims, 2 })
			b := gen(p, 64, ood, "semantics", "pi")
			var turns []float64
			var nearWall int
			for trial := range b.B {
				for g := range p.Channels {
					turns = append(turns, checkPITrial(t, p, b, trial, g, &nearWall)...)
				}
			}
			// Reflections are rare, so the median |turn| is that of
			// |N(0, 0.3²)|: 0.3·0.6745. In 3-D the angle between successive
			// headings is not a single normal; only check 2-D.
			if dims == 2 {
				sort.Float64s(turns)
				if med := turns[len(turns)/2]; math.Abs(med-0.3*0.6745) > 0.01 {
					t.Errorf("median |Δθ| = %.4f, want %.4f", med, 0.3*0.6745)
				}
			}
			if nearWall == 0 {
				t.Errorf("dims=%d ood=%v: no agent came within 0.2 of a wall; reflection untested", dims, ood)
			}
		}
	}
}

// checkPITrial checks one agent: unit headings, speeds in range, the start
// position shown at t = 0 only, the target inside the arena and equal to the
// running sum of the inputs. It returns the 2-D heading turns.
func checkPITrial(t *testing.T, p Params, b *Batch, trial, g int, nearWall *int) []float64 {
	t.Helper()
	inPer, outPer := p.perGroup()
	x0, y0, d := g*inPer, g*outPer, p.Dims
	var pos [3]float64
	for i := range d {
		pos[i] = float64(b.X[b.xAt(0, trial, x0+d+1+i)])
		if pos[i] < -5 || pos[i] > 5 || pos[i] == 0 {
			t.Fatalf("start %v outside (−5, 5)", pos[i])
		}
	}
	var turns []float64
	prev := 0.0
	for tt := range b.T {
		v := float64(b.X[b.xAt(tt, trial, x0+d)])
		if v < 0 || v > 0.2 {
			t.Fatalf("speed %v outside [0, 0.2]", v)
		}
		var norm float64
		for i := range d {
			u := float64(b.X[b.xAt(tt, trial, x0+i)])
			norm += u * u
			pos[i] += v * u
			y := float64(b.Y[b.yAt(tt, trial, y0+i)])
			if y < -5 || y > 5 {
				t.Fatalf("t=%d: position %v outside the arena", tt, y)
			}
			if math.Abs(y) > 4.8 {
				*nearWall++
			}
			if math.Abs(y-pos[i]) > 1e-4 {
				t.Fatalf("trial %d t=%d dim %d: target %v, integrated input %v", trial, tt, i, y, pos[i])
			}
			pos[i] = y // integrate from the target so float32 error does not accumulate
			if tt > 0 && b.X[b.xAt(tt, trial, x0+d+1+i)] != 0 {
				t.Fatalf("t=%d: start channel %d is %v, want 0 after t=0", tt, i, b.X[b.xAt(tt, trial, x0+d+1+i)])
			}
		}
		if math.Abs(norm-1) > 1e-6 {
			t.Fatalf("t=%d: |heading|² = %v, want 1", tt, norm)
		}
		if d == 2 {
			th := math.Atan2(float64(b.X[b.xAt(tt, trial, x0+1)]), float64(b.X[b.xAt(tt, trial, x0)]))
			if tt > 0 {
				turns = append(turns, math.Abs(math.Remainder(th-prev, 2*math.Pi)))
			}
			prev = th
		}
	}
	return turns
}
