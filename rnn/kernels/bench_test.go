package kernels

import (
	"fmt"
	"testing"

	"degen/internal/seed"
)

// benchShapes are the products of one BPTT training step (B=64, T=100,
// N=64/128/256, I=O=3): per-step h·Wᵀ and δ·W, the weight gradients over all
// T·B rows, and the thin input and readout projections.
var benchShapes = []struct {
	name    string
	m, k, n int
	tn      bool
}{
	{"step64x128x128", 64, 128, 128, false},
	{"step64x64x64", 64, 64, 64, false},
	{"step64x256x256", 64, 256, 256, false},
	{"readout6400x128x3", 6400, 128, 3, false},
	{"input6400x3x128", 6400, 3, 128, false},
	{"dW128x6400x128", 128, 6400, 128, true},
	{"dW64x6400x64", 64, 6400, 64, true},
	{"dWout3x6400x128", 3, 6400, 128, true},
	{"dWin128x6400x3", 128, 6400, 3, true},
}

func BenchmarkMatMul(b *testing.B)   { benchGemm(b, false) }
func BenchmarkMatMulTN(b *testing.B) { benchGemm(b, true) }

func benchGemm(b *testing.B, tn bool) {
	r := seed.New("kernels", "bench")
	for _, sh := range benchShapes {
		if sh.tn != tn {
			continue
		}
		a := make([]float32, sh.m*sh.k)
		bb := make([]float32, sh.k*sh.n)
		c := make([]float32, sh.m*sh.n)
		fill(r, a, 0)
		fill(r, bb, 0)
		for _, p := range paths {
			b.Run(fmt.Sprintf("%s/%s", sh.name, p.name), func(b *testing.B) {
				if p == portable && testing.Short() {
					b.Skip("portable path is slow; skipped in -short")
				}
				for b.Loop() {
					p.gemm(c, a, bb, sh.m, sh.k, sh.n, false, tn)
				}
				flops := 2 * float64(sh.m) * float64(sh.k) * float64(sh.n)
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkTanh times tanh32 over one step's worth of pre-activations
// (B·N = 64·128).
func BenchmarkTanh(b *testing.B) {
	x := make([]float32, 64*128)
	fill(seed.New("kernels", "bench-tanh"), x, 0)
	for i := range x {
		x[i] *= 4
	}
	dst := make([]float32, len(x))
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				p.tanh(dst, x, nil)
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(x)), "ns/elem")
		})
	}
}
