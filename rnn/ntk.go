package rnn

import (
	"fmt"
	"math"
)

// SPEC §4's NTK sizes: the Jacobian of the outputs at NTKSteps evenly spaced
// steps of the first NTKTrials probe trials.
const (
	NTKTrials = 8
	NTKSteps  = 10
)

// NTKTimes are the steps the NTK Jacobian looks at: tₖ = ⌊(k+1)·T/steps⌋ − 1
// for k = 0..steps−1, so the last step is always included. For T < steps
// some steps repeat.
func NTKTimes(T, steps int) []int {
	ts := make([]int, steps)
	for k := range ts {
		ts[k] = max((k+1)*T/steps-1, 0)
	}
	return ts
}

// NTK returns the empirical neural tangent kernel K = J·Jᵀ (row-major,
// r×r) of nt on the first `trials` trials of probe, where J has one row per
// (trial, step in NTKTimes(T, steps), output), in that nesting order, and one column
// per parameter. Computed in float64 with the float64 instance of the model:
// one forward pass per trial (B = 1), then one backward pass per row,
// truncated at the row's step. Cost for n = 128, T = 100, 3 outputs: 240
// backward passes of ≈ 2·n²·t FMAs each plus K's r²·P/2 FMAs (P ≈ 17k):
// about a second of scalar float64 Go.
func NTK(nt *Net, probe *Batch, trials, steps int) ([]float64, int, error) {
	if err := probe.check(nt.In, nt.Out); err != nil {
		return nil, 0, err
	}
	if trials < 1 || steps < 1 || probe.B < trials {
		return nil, 0, fmt.Errorf("rnn: NTK of %d trials × %d steps from %d probe trials", trials, steps, probe.B)
	}
	m := nt.to64()
	w := newWork(m, ops64)
	times := NTKTimes(probe.T, steps)
	rows := trials * len(times) * nt.Out
	P := len(m.theta)
	jac := make([]float64, rows*P)
	r := 0
	for b := 0; b < trials; b++ {
		trial := probe.trial(b)
		w.load(m, trial)
		w.forward(m)
		for _, s := range times {
			for o := 0; o < nt.Out; o++ {
				w.outputGrad(m, s, o)
				copy(jac[r*P:(r+1)*P], w.grad)
				r++
			}
		}
	}
	return gram(jac, rows, P), rows, nil
}

// outputGrad sets w.grad = ∂yhat[s,o]/∂θ for a B = 1 batch already run
// forward; backpropagation stops at step s since later steps do not matter.
func (w *work[F]) outputGrad(m *net[F], s, o int) {
	T := w.T
	clear(w.dy)
	w.dy[s*m.out+o] = 1
	w.T = s + 1
	w.backward(m)
	w.T = T
}

// gram is J·Jᵀ, each entry one FMA chain over the columns in order.
func gram(j []float64, rows, cols int) []float64 {
	k := make([]float64, rows*rows)
	for a := 0; a < rows; a++ {
		ja := j[a*cols : (a+1)*cols]
		for b := 0; b <= a; b++ {
			jb := j[b*cols : (b+1)*cols]
			var s float64
			for i, v := range ja {
				s = math.FMA(v, jb[i], s)
			}
			k[a*rows+b], k[b*rows+a] = s, s
		}
	}
	return k
}

// KernelAlignment is Tr(A·B)/(‖A‖_F‖B‖_F) for symmetric r×r kernels
// (SPEC §4): 1 when one is a positive multiple of the other.
func KernelAlignment(a, b []float64) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab = math.FMA(a[i], b[i], ab) // Tr(AB) = Σ A_ij B_ji = Σ A_ij B_ij for symmetric B
		aa = math.FMA(a[i], a[i], aa)
		bb = math.FMA(b[i], b[i], bb)
	}
	return ab / (math.Sqrt(aa) * math.Sqrt(bb))
}

// trial returns trial b of the batch as a one-trial batch.
func (bt *Batch) trial(b int) *Batch {
	one := &Batch{B: 1, T: bt.T, In: bt.In, Out: bt.Out, X: make([]float32, bt.T*bt.In), Y: make([]float32, bt.T*bt.Out)}
	for t := 0; t < bt.T; t++ {
		copy(one.X[t*bt.In:(t+1)*bt.In], bt.X[(t*bt.B+b)*bt.In:])
		copy(one.Y[t*bt.Out:(t+1)*bt.Out], bt.Y[(t*bt.B+b)*bt.Out:])
	}
	if bt.Mask != nil {
		one.Mask = make([]float32, bt.T*bt.Out)
		for t := 0; t < bt.T; t++ {
			copy(one.Mask[t*bt.Out:(t+1)*bt.Out], bt.Mask[(t*bt.B+b)*bt.Out:])
		}
	}
	return one
}

// WeightChange is ‖W_rec,T − W_rec,0‖_F (J for µP), summed in float64 in order.
func WeightChange(init, final *Net) float64 {
	var s float64
	for i, v := range final.Rec() {
		d := float64(v) - float64(init.Rec()[i])
		s = math.FMA(d, d, s)
	}
	return math.Sqrt(s)
}
