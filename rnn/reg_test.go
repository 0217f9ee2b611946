package rnn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

// randRec is an n×n recurrent matrix with N(0, 1/n) entries, the SP init.
func randRec(key string, n int) []float32 {
	rng := seed.New("test", "rec", key)
	w := make([]float32, n*n)
	for i := range w {
		w[i] = float32(rng.NormFloat64() / math.Sqrt(float64(n)))
	}
	return w
}

// TestNuclearMatchesGonum: the penalty is nuc·Σσᵢ and its gradient nuc·U·Vᵀ
// of gonum's SVD, to float64 rounding (value) and float32 rounding (gradient).
func TestNuclearMatchesGonum(t *testing.T) {
	const nuc = 1e-2
	for _, n := range []int{3, 16, 64} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rec := randRec(fmt.Sprint("gonum", n), n)
			grad := make([]float32, n*n)
			var nw nuclearWork
			got := penalize(rec, grad, n, 0, nuc, &nw)
			w := mat.NewDense(n, n, nil)
			for i, v := range rec {
				w.Set(i/n, i%n, float64(v))
			}
			var svd mat.SVD
			if !svd.Factorize(w, mat.SVDThin) {
				t.Fatal("gonum SVD did not converge")
			}
			var want float64
			for _, s := range svd.Values(nil) {
				want += nuc * s
			}
			if math.Abs(got-want) > 1e-13*want {
				t.Errorf("penalty = %.17g, want %.17g", got, want)
			}
			var u, v, uvt mat.Dense
			svd.UTo(&u)
			svd.VTo(&v)
			uvt.Mul(&u, v.T())
			for i, g := range grad {
				if want := nuc * uvt.At(i/n, i%n); math.Abs(float64(g)-want) > 1e-7*nuc {
					t.Fatalf("grad[%d] = %g, want %g", i, g, want)
				}
			}
		})
	}
}

// TestNuclearBits pins the bits of the penalty and its float32 gradient; the
// same digest must hold under GOAMD64=v3 (see degen/internal/linalg).
func TestNuclearBits(t *testing.T) {
	const n = 48
	rec := randRec("bits", n)
	grad := make([]float32, n*n)
	var nw nuclearWork
	pen := penalize(rec, grad, n, 1e-4, 1e-3, &nw)
	h := sha256.New()
	binary.Write(h, binary.LittleEndian, math.Float64bits(pen))
	binary.Write(h, binary.LittleEndian, grad)
	const want = "a9502f55cd24effc351b4e8b7d750a790d37b29ce291b4a099235e342250b39e"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest = %s, want %s", got, want)
	}
}

// TestStepAllocatesNothingNuclear is TestStepAllocatesNothing with the
// nuclear-norm penalty on.
func TestStepAllocatesNothingNuclear(t *testing.T) {
	nt := testNet(ParamSP, 16, 3, 3, "allocs")
	p := quickParams()
	p.Nuclear = 1e-3
	tr, err := NewTrainer(nt, p)
	if err != nil {
		t.Fatal(err)
	}
	b := newFlipflop(8, 20, 3)
	flipflop(b, seed.New("allocs"), 0.3)
	if _, err := tr.Step(b); err != nil {
		t.Fatal(err)
	}
	if got := testing.AllocsPerRun(50, func() { tr.Step(b) }); got != 0 {
		t.Errorf("allocations per step = %v, want 0", got)
	}
}

// BenchmarkNuclear is the nuclear-norm penalty alone (value and gradient),
// once per training step when TrainParams.Nuclear > 0.
func BenchmarkNuclear(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rec := randRec("bench", n)
			grad := make([]float32, n*n)
			var nw nuclearWork
			penalize(rec, grad, n, 0, 1e-3, &nw)
			defer lockThread()()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := threadCPU()
			for i := 0; i < b.N; i++ {
				penalize(rec, grad, n, 0, 1e-3, &nw)
			}
			b.ReportMetric((threadCPU()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkTrainStepNuclear is BenchmarkTrainStep's step at n = 128 with the
// nuclear-norm penalty on.
func BenchmarkTrainStepNuclear(b *testing.B) {
	const T, B, bits, n = 100, 64, 3, 128
	nt := testNet(ParamSP, n, bits, bits, "bench")
	p := DefaultTrainParams()
	p.Nuclear = 1e-3
	tr, err := NewTrainer(nt, p)
	if err != nil {
		b.Fatal(err)
	}
	bt := newFlipflop(B, T, bits)
	flipflop(bt, seed.New("bench"), 0.3)
	tr.Step(bt)
	defer lockThread()()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := threadCPU()
	for i := 0; i < b.N; i++ {
		tr.Step(bt)
	}
	b.ReportMetric((threadCPU()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/step")
}
