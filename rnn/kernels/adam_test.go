package kernels

import (
	"math"
	"testing"
)

// adamRef is Adam's formula in float64, for one parameter over steps.
func adamRef(w float64, grads []float64, lr, b1, b2, eps float64) []float64 {
	var m, v float64
	out := make([]float64, len(grads))
	for t, g := range grads {
		m = b1*m + (1-b1)*g
		v = b2*v + (1-b2)*g*g
		bc1 := 1 - math.Pow(b1, float64(t+1))
		bc2 := 1 - math.Pow(b2, float64(t+1))
		w -= lr * (m / bc1) / (math.Sqrt(v/bc2) + eps)
		out[t] = w
	}
	return out
}

func TestAdamSequence(t *testing.T) {
	const lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
	grads := [][]float64{
		{0.5, 0.5, 0.5, 0.5},   // constant gradient: each step moves lr
		{1, -1, 2, -0.25, 0.1}, // sign changes
		{1e-6, 3e-6, -2e-6},    // gradients near ε
	}
	for _, gs := range grads {
		w, m, v := []float32{1}, []float32{0}, []float32{0}
		want := adamRef(1, gs, lr, b1, b2, eps)
		for step, g := range gs {
			Adam(w, []float32{float32(g)}, m, v, NewAdamStep(lr, b1, b2, eps, step+1))
			if d := math.Abs(float64(w[0]) - want[step]); d > 2e-7 {
				t.Errorf("grads %v step %d: w = %.9g, want %.9g", gs, step+1, w[0], want[step])
			}
		}
	}
}

// TestAdamFirstStep: at t=1, m/bc1 = g and sqrt(v/bc2) = |g|, so every
// weight moves by lr·|g|/(|g|+ε) against its gradient's sign.
func TestAdamFirstStep(t *testing.T) {
	w := []float32{0, 0, 0}
	g := []float32{3, -0.02, 50}
	m, v := make([]float32, 3), make([]float32, 3)
	Adam(w, g, m, v, NewAdamStep(0.01, 0.9, 0.999, 1e-8, 1))
	for i, gi := range g {
		a := math.Abs(float64(gi))
		want := -math.Copysign(0.01*a/(a+1e-8), float64(gi))
		if math.Abs(float64(w[i])-want) > 2e-9 {
			t.Errorf("w[%d] = %.9g, want %.9g", i, w[i], want)
		}
	}
}

// TestAdamBits pins the bits of a short run, so a change to the rounding
// order (which the pipeline's caches depend on) fails here. The same bits
// come from rnn's adamUpdate loop as of this commit.
func TestAdamBits(t *testing.T) {
	w := []float32{0.25, -1.5}
	m, v := make([]float32, 2), make([]float32, 2)
	for step := 1; step <= 3; step++ {
		g := []float32{0.1 * float32(step), -0.7}
		Adam(w, g, m, v, NewAdamStep(1e-3, 0.9, 0.999, 1e-8, step))
	}
	got := []uint32{math.Float32bits(w[0]), math.Float32bits(w[1])}
	want := []uint32{0x3e7d01b5, 0xbfbf9db1}
	if got[0] != want[0] || got[1] != want[1] {
		t.Errorf("bits %#08x, want %#08x", got, want)
	}
}

func TestSumSquares(t *testing.T) {
	if got, want := SumSquares([]float32{3, -4, 0.5}), 25.25; got != want {
		t.Errorf("SumSquares = %g, want %g", got, want)
	}
	x := []float32{1, -2}
	Scale(x, 0.5)
	if x[0] != 0.5 || x[1] != -1 {
		t.Errorf("Scale: %v, want [0.5 -1]", x)
	}
}
