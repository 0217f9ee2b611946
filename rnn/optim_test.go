package rnn

import (
	"math"
	"testing"
)

func TestAdamHandSequence(t *testing.T) {
	// g = +1 then −1, lr 0.01, β 0.9/0.999, ε 1e-8, from θ = 1:
	// step 1: m̂ = 1, v̂ = 1, θ = 1 − 0.01/(1+1e-8) ≈ 0.99.
	// step 2: m = −0.01, v = 0.001999, m̂ = −0.01/0.19, v̂ = 1, θ = 0.99 + 0.01·0.01/0.19.
	want := []float64{0.99, 0.99 + 0.0001/0.19}
	a := newAdam(1, 0.9, 0.999, 1e-8)
	theta := []float32{1}
	for i, g := range []float32{1, -1} {
		a.step(theta, []float32{g}, 0.01)
		if got := float64(theta[0]); math.Abs(got-want[i]) > 1e-7 {
			t.Errorf("step %d: θ = %.9g, want %.9g", i+1, got, want[i])
		}
	}
	// A constant gradient moves θ by lr every step (m̂/√v̂ = 1).
	a = newAdam(2, 0.9, 0.999, 1e-8)
	theta = []float32{0, 0}
	for i := 1; i <= 50; i++ {
		a.step(theta, []float32{0.5, -2}, 0.1)
		for j, sign := range []float64{-1, 1} {
			if got, want := float64(theta[j]), sign*0.1*float64(i); math.Abs(got-want) > 1e-5 {
				t.Fatalf("step %d θ[%d] = %g, want %g", i, j, got, want)
			}
		}
	}
}

func TestClipNorm(t *testing.T) {
	for _, tc := range []struct {
		name     string
		g        []float32
		max      float64
		wantNorm float64
		want     []float64
	}{
		{"clipped", []float32{3, 4}, 1, 5, []float64{0.6 * 5 / (5 + 1e-6), 0.8 * 5 / (5 + 1e-6)}},
		{"under", []float32{0.3, 0.4}, 1, 0.5, []float64{0.3, 0.4}},
		{"disabled", []float32{3, 4}, 0, 5, []float64{3, 4}},
		{"zero", []float32{0, 0}, 1, 0, []float64{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			norm := clipNorm(tc.g, tc.max)
			if math.Abs(norm-tc.wantNorm) > 1e-6 {
				t.Errorf("norm = %g, want %g", norm, tc.wantNorm)
			}
			for i, w := range tc.want {
				if got := float64(tc.g[i]); math.Abs(got-w) > 1e-7 {
					t.Errorf("g[%d] = %.9g, want %.9g", i, got, w)
				}
			}
		})
	}
}

func TestPlateau(t *testing.T) {
	for _, tc := range []struct {
		name     string
		patience int
		losses   []float64
		want     []float64 // lr after each epoch, from 1
	}{
		// best=1 at epoch 1; epochs 2,3,4 are bad; the 3rd bad (> patience 2) halves.
		{"flat", 2, []float64{1, 1, 1, 1, 1, 1, 1}, []float64{1, 1, 1, 0.5, 0.5, 0.5, 0.25}},
		// 0.99995 is within the 1e-4 relative threshold of 1: not an improvement.
		{"threshold", 1, []float64{1, 0.99995, 0.99995}, []float64{1, 1, 0.5}},
		// 0.9998 improves (< 0.9999): the count restarts.
		{"improves", 1, []float64{1, 0.9998, 0.9998, 0.9996, 0.9996, 0.9996}, []float64{1, 1, 1, 1, 1, 0.5}},
		{"patience0", 0, []float64{3, 2, 2, 1, 1}, []float64{1, 1, 0.5, 0.5, 0.25}},
		{"nan", 0, []float64{1, math.NaN()}, []float64{1, 0.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlateau(0.5, tc.patience)
			lr := 1.0
			for i, l := range tc.losses {
				lr = p.step(l, lr)
				if lr != tc.want[i] {
					t.Fatalf("epoch %d: lr = %g, want %g", i+1, lr, tc.want[i])
				}
			}
		})
	}
	// The eps rule: a reduction smaller than 1e-8 is skipped.
	p := newPlateau(0.5, 0)
	p.step(1, 1e-8)
	if got := p.step(1, 1e-8); got != 1e-8 {
		t.Errorf("lr 1e-8 reduced to %g, want unchanged", got)
	}
}
