package rnn

import (
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"
)

// objective64 is MSE + penalties of the float64 network on b, with the
// gradient left in w.grad.
func objective64(m *net[float64], w *work[float64], b *Batch, l1, nuc float64) float64 {
	w.load(m, b)
	w.forward(m)
	loss := w.loss()
	w.backward(m)
	var nw nuclearWork
	return loss + penalize(m.wrec, w.grad[:len(m.wrec)], m.n, l1, nuc, &nw)
}

func randomBatch(key string, B, T, in, out int, mask bool) *Batch {
	rng := seed.New("test", key)
	b := &Batch{B: B, T: T, In: in, Out: out, X: make([]float32, T*B*in), Y: make([]float32, T*B*out)}
	for i := range b.X {
		b.X[i] = float32(rng.NormFloat64())
	}
	for i := range b.Y {
		b.Y[i] = float32(rng.NormFloat64())
	}
	if mask {
		b.Mask = make([]float32, len(b.Y))
		for i := range b.Mask {
			b.Mask[i] = float32(rng.IntN(2))
		}
	}
	return b
}

// TestGradCheck compares BPTT against central finite differences in float64,
// the same generic code the float32 trainer runs.
func TestGradCheck(t *testing.T) {
	const n, T, B, in, out = 5, 6, 3, 2, 3
	for _, param := range []string{ParamSP, ParamMuP} {
		for _, pen := range []struct{ l1, nuc float64 }{{0, 0}, {0.01, 0.02}} {
			for _, mask := range []bool{false, true} {
				name := fmt.Sprintf("%s/l1=%g/nuc=%g/mask=%v", param, pen.l1, pen.nuc, mask)
				t.Run(name, func(t *testing.T) {
					mp := ModelParams{Param: param, N: n, Gamma: 0.5, Tau: 0.3}
					nt, err := New(mp, in, out)
					if err != nil {
						t.Fatal(err)
					}
					nt.Init(seed.New("gradcheck", name))
					m := nt.to64()
					b := randomBatch(name, B, T, in, out, mask)
					w := newWork(m, ops64)
					objective64(m, w, b, pen.l1, pen.nuc)
					analytic := append([]float64(nil), w.grad...)
					const h = 1e-6
					numeric := make([]float64, len(m.theta))
					for i := range m.theta {
						orig := m.theta[i]
						m.theta[i] = orig + h
						fp := objective64(m, w, b, pen.l1, pen.nuc)
						m.theta[i] = orig - h
						fm := objective64(m, w, b, pen.l1, pen.nuc)
						m.theta[i] = orig
						numeric[i] = (fp - fm) / (2 * h)
					}
					var diff, na, nn float64
					for i := range analytic {
						d := analytic[i] - numeric[i]
						diff += d * d
						na += analytic[i] * analytic[i]
						nn += numeric[i] * numeric[i]
					}
					rel := math.Sqrt(diff) / math.Max(math.Sqrt(na), math.Sqrt(nn))
					t.Logf("relative error %.3g over %d parameters (‖g‖ = %.3g)", rel, len(analytic), math.Sqrt(na))
					if !(rel < 1e-6) {
						t.Errorf("relative error = %g, want < 1e-6", rel)
					}
					if na == 0 {
						t.Errorf("gradient is zero")
					}
				})
			}
		}
	}
}
