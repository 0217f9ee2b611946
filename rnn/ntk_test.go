package rnn

import (
	"math"
	"slices"
	"testing"

	"degen/internal/seed"
)

// Each Jacobian row must match the finite-difference derivative of that
// output, and K must be symmetric positive semidefinite with K_ii = ‖J_i‖².
func TestNTKRowsMatchFiniteDifferences(t *testing.T) {
	for _, param := range []string{ParamSP, ParamMuP} {
		t.Run(param, func(t *testing.T) {
			nt := testNet(param, 6, 2, 2, "ntk")
			probe := randomBatch("ntk", NTKTrials, 12, 2, 2, false)
			m := nt.to64()
			w := newWork(m, ops64)
			times := NTKTimes(probe.T, NTKSteps)
			for _, row := range []struct{ b, k, o int }{{0, 0, 0}, {3, 4, 1}, {7, 9, 0}} {
				trial := probe.trial(row.b)
				w.load(m, trial)
				w.forward(m)
				s := times[row.k]
				w.outputGrad(m, s, row.o)
				g := append([]float64(nil), w.grad...)
				out := func() float64 { w.forward(m); return w.yhat[s*m.out+row.o] }
				const h = 1e-6
				var diff, norm float64
				for i := range m.theta {
					orig := m.theta[i]
					m.theta[i] = orig + h
					fp := out()
					m.theta[i] = orig - h
					fm := out()
					m.theta[i] = orig
					d := g[i] - (fp-fm)/(2*h)
					diff += d * d
					norm += g[i] * g[i]
				}
				if rel := math.Sqrt(diff / norm); !(rel < 1e-6) {
					t.Errorf("row %+v: relative error %g, want < 1e-6", row, rel)
				}
			}
			k, r, err := NTK(nt, probe, NTKTrials, NTKSteps)
			if err != nil {
				t.Fatal(err)
			}
			if want := NTKTrials * NTKSteps * 2; r != want {
				t.Fatalf("rows = %d, want %d", r, want)
			}
			for i := 0; i < r; i++ {
				for j := 0; j < i; j++ {
					if k[i*r+j] != k[j*r+i] {
						t.Fatalf("K not symmetric at %d,%d", i, j)
					}
					if c := k[i*r+j] * k[i*r+j]; c > k[i*r+i]*k[j*r+j]*(1+1e-12) {
						t.Fatalf("Cauchy–Schwarz fails at %d,%d", i, j)
					}
				}
			}
			if a := KernelAlignment(k, k); math.Abs(a-1) > 1e-12 {
				t.Errorf("alignment of K with itself = %.15g, want 1", a)
			}
		})
	}
}

func TestNTKTimes(t *testing.T) {
	for _, tc := range []struct {
		T, steps int
		want     []int
	}{
		{100, 10, []int{9, 19, 29, 39, 49, 59, 69, 79, 89, 99}},
		{45, 10, []int{3, 8, 12, 17, 21, 26, 30, 35, 39, 44}},
		{5, 10, []int{0, 0, 0, 1, 1, 2, 2, 3, 3, 4}},
	} {
		if got := NTKTimes(tc.T, tc.steps); !slices.Equal(got, tc.want) {
			t.Errorf("NTKTimes(%d, %d) = %v, want %v", tc.T, tc.steps, got, tc.want)
		}
	}
}

func TestKernelAlignment(t *testing.T) {
	a := []float64{2, 1, 1, 2}
	for _, tc := range []struct {
		name string
		b    []float64
		want float64
	}{
		{"scaled", []float64{6, 3, 3, 6}, 1},
		{"identity", []float64{1, 0, 0, 1}, 4 / math.Sqrt(10) / math.Sqrt(2)},
		{"orthogonal", []float64{1, -2, -2, 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := KernelAlignment(a, tc.b); math.Abs(got-tc.want) > 1e-15 {
				t.Errorf("got %.17g, want %.17g", got, tc.want)
			}
		})
	}
}

func TestWeightChange(t *testing.T) {
	a := testNet(ParamSP, 3, 1, 1, "wc")
	b := a.Clone()
	if got := WeightChange(a, b); got != 0 {
		t.Errorf("unchanged: %g, want 0", got)
	}
	b.Rec()[0] += 3
	b.Rec()[8] -= 4
	b.Params()[len(b.Params())-1] += 100 // not W_rec: ignored
	if got := WeightChange(a, b); math.Abs(got-5) > 1e-6 {
		t.Errorf("got %g, want 5", got)
	}
}

func TestRunMatchesTraining(t *testing.T) {
	nt := testNet(ParamMuP, 8, 3, 3, "run")
	b := newFlipflop(4, 15, 3)
	flipflop(b, seed.New("run"), 0.3)
	h, y, mse, err := nt.Run(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 15*4*8 || len(y) != 15*4*3 {
		t.Fatalf("len h %d y %d", len(h), len(y))
	}
	tr, _ := NewTrainer(nt.Clone(), quickParams())
	s, _ := tr.Step(b)
	if s.MSE != mse {
		t.Errorf("Run MSE %g, training step MSE %g", mse, s.MSE)
	}
}
