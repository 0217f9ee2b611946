package rnn

import (
	"context"
	"math"
	"testing"

	"degen/internal/seed"
)

func quickParams() TrainParams {
	p := DefaultTrainParams()
	p.Batch, p.StepsPerEpoch, p.MaxEpochs = 16, 8, 5
	return p
}

func TestStepAllocatesNothing(t *testing.T) {
	for _, param := range []string{ParamSP, ParamMuP} {
		t.Run(param, func(t *testing.T) {
			nt := testNet(param, 16, 3, 3, "allocs")
			p := quickParams()
			p.L1 = 1e-4
			tr, err := NewTrainer(nt, p)
			if err != nil {
				t.Fatal(err)
			}
			b := newFlipflop(8, 20, 3)
			flipflop(b, seed.New("allocs"), 0.3)
			if _, err := tr.Step(b); err != nil {
				t.Fatal(err)
			}
			if got := testing.AllocsPerRun(100, func() { tr.Step(b) }); got != 0 {
				t.Errorf("allocations per step = %v, want 0", got)
			}
		})
	}
}

// The float32 trainer's gradient agrees with the float64 instance (checked
// against finite differences in TestGradCheck) to float32 accuracy.
func TestFloat32GradientMatchesFloat64(t *testing.T) {
	for _, param := range []string{ParamSP, ParamMuP} {
		t.Run(param, func(t *testing.T) {
			nt := testNet(param, 32, 3, 3, "f32")
			b := newFlipflop(8, 30, 3)
			flipflop(b, seed.New("f32"), 0.3)
			w32 := newWork(nt.m, ops32)
			w32.load(nt.m, b)
			w32.forward(nt.m)
			l32 := w32.loss()
			w32.backward(nt.m)
			m64 := nt.to64()
			w64 := newWork(m64, ops64)
			l64 := objective64(m64, w64, b, 0, 0)
			if math.Abs(l32-l64) > 1e-5*l64 {
				t.Errorf("loss float32 %g, float64 %g", l32, l64)
			}
			var d, n float64
			for i, g := range w64.grad {
				e := float64(w32.grad[i]) - g
				d += e * e
				n += g * g
			}
			if rel := math.Sqrt(d / n); !(rel < 1e-4) {
				t.Errorf("relative gradient difference %g, want < 1e-4", rel)
			}
		})
	}
}

func TestTrainDeterministic(t *testing.T) {
	run := func() *Result {
		nt := testNet(ParamSP, 16, 3, 3, "det")
		p := quickParams()
		p.Nuclear, p.L1 = 1e-3, 1e-4
		r, err := Train(context.Background(), nt, p, flipflopSource("det", p.Batch, 20, 3), nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := run(), run()
	for i, v := range a.Final.Params() {
		if math.Float32bits(v) != math.Float32bits(b.Final.Params()[i]) {
			t.Fatalf("param %d differs between runs: %g vs %g", i, v, b.Final.Params()[i])
		}
	}
	if a.Curve[len(a.Curve)-1] != b.Curve[len(b.Curve)-1] {
		t.Errorf("curves differ: %+v vs %+v", a.Curve[len(a.Curve)-1], b.Curve[len(b.Curve)-1])
	}
}

func TestTrainStoppingRule(t *testing.T) {
	for _, tc := range []struct {
		name          string
		threshold     float64
		maxEpochs     int
		wantEpochs    int
		wantConverged bool
	}{
		{"converges at once", 100, 20, 4, true}, // epoch 1 below, then patience 3
		{"never", 0, 5, 5, false},
		{"cut by max", 100, 2, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nt := testNet(ParamSP, 8, 3, 3, "stop")
			p := quickParams()
			p.Threshold, p.MaxEpochs = tc.threshold, tc.maxEpochs
			var seen int
			r, err := Train(context.Background(), nt, p, flipflopSource("stop", 4, 10, 3), func(Epoch) { seen++ })
			if err != nil {
				t.Fatal(err)
			}
			s := r.Summary
			if s.Epochs != tc.wantEpochs || s.Converged != tc.wantConverged || s.Diverged {
				t.Errorf("summary %+v, want epochs %d converged %v", s, tc.wantEpochs, tc.wantConverged)
			}
			if len(r.Curve) != tc.wantEpochs || seen != tc.wantEpochs || s.Steps != tc.wantEpochs*p.StepsPerEpoch {
				t.Errorf("curve %d rows, progress %d calls, steps %d", len(r.Curve), seen, s.Steps)
			}
			if s.FinalLoss != r.Curve[len(r.Curve)-1].Loss {
				t.Errorf("final loss %g, last curve loss %g", s.FinalLoss, r.Curve[len(r.Curve)-1].Loss)
			}
			if &r.Init.Params()[0] == &r.Final.Params()[0] || r.Init.Params()[0] == r.Final.Params()[0] {
				t.Errorf("final weights alias or equal the initial ones")
			}
		})
	}
}

func TestTrainDiverges(t *testing.T) {
	for _, param := range []string{ParamSP, ParamMuP} {
		t.Run(param, func(t *testing.T) {
			nt := testNet(param, 16, 3, 3, "diverge")
			p := quickParams()
			p.LR, p.MaxEpochs, p.Threshold = 1e6, 50, 1e-3
			r, err := Train(context.Background(), nt, p, flipflopSource("diverge", 8, 20, 3), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", r.Summary)
			if !r.Summary.Diverged || r.Summary.Converged {
				t.Errorf("summary %+v, want diverged", r.Summary)
			}
		})
	}
}

func TestTanh64(t *testing.T) {
	for _, x := range []float64{0, 1e-300, 0.1, 0.624, 0.626, 1, 3, 20, 45, 100} {
		for _, s := range []float64{1, -1} {
			if got, want := tanh64(s*x), math.Tanh(s*x); math.Abs(got-want) > 2e-16*math.Max(1, math.Abs(want)) {
				t.Errorf("tanh64(%g) = %.17g, want %.17g", s*x, got, want)
			}
		}
	}
}

// A µP network with a tiny γ starts with huge outputs (MSE ≫ 1e6 would be
// flagged by an absolute bound); the bound is relative to step 0.
func TestTinyGammaIsNotDiverged(t *testing.T) {
	nt, err := New(ModelParams{Param: ParamMuP, N: 16, Gamma: 1e-6, Tau: 0.1}, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	nt.Init(seed.New("test", "tiny-gamma"))
	p := quickParams()
	p.MaxEpochs = 2
	r, err := Train(context.Background(), nt, p, flipflopSource("tiny-gamma", 8, 20, 3), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Diverged || !(r.Curve[0].Loss > 1e6) {
		t.Errorf("summary %+v, first epoch loss %g: want not diverged with loss > 1e6", r.Summary, r.Curve[0].Loss)
	}
}
