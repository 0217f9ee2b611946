package dsa

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkFit is SPEC §4's probe at its defaults: 32 trials × 100 steps ×
// 128 units, 5 delays (H is 3072×640), rank 20.
func BenchmarkFit(b *testing.B) {
	tr := randomTrials(rand.New(rand.NewPCG(41, 42)), 32, 100, 128)
	p := DefaultParams()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Fit(tr, p); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU adds a cpu-ns/op metric (process CPU time per iteration; gonum
// may use a second core for large products, so it can exceed ns/op).
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkCompare compares two fitted rank-20 operators of different
// random networks at the default settings (16 random starts).
func BenchmarkCompare(b *testing.B) {
	r := rand.New(rand.NewPCG(43, 44))
	p := DefaultParams()
	x := mustFit(b, randomTrials(r, 16, 60, 32), p)
	y := mustFit(b, randomTrials(r, 16, 60, 32), p)
	benchCompare(b, x, y, p)
}

// BenchmarkCompareNear compares an operator with a slightly perturbed,
// reflected copy of itself: the pipeline's easy case.
func BenchmarkCompareNear(b *testing.B) {
	r := rand.New(rand.NewPCG(45, 46))
	p := DefaultParams()
	tr := randomTrials(r, 16, 60, 32)
	x := mustFit(b, tr, p)
	for k := range tr.Data {
		for i := range tr.Data[k] {
			tr.Data[k][i] += 1e-3 * r.NormFloat64()
			if i%32 == 5 {
				tr.Data[k][i] = -tr.Data[k][i]
			}
		}
	}
	y := mustFit(b, tr, p)
	benchCompare(b, x, y, p)
}

// BenchmarkCompareCopy compares an operator with an exactly reflected copy
// of its network's states: the spectral start finds it and the search stops.
func BenchmarkCompareCopy(b *testing.B) {
	tr := randomTrials(rand.New(rand.NewPCG(47, 48)), 16, 60, 32)
	p := DefaultParams()
	x := mustFit(b, tr, p)
	for k := range tr.Data {
		for i := 5; i < len(tr.Data[k]); i += 32 {
			tr.Data[k][i] = -tr.Data[k][i]
		}
	}
	y := mustFit(b, tr, p)
	benchCompare(b, x, y, p)
}

// benchCompare times Compare(x, y, p), reporting CPU time per comparison.
func benchCompare(b *testing.B, x, y *Model, p Params) {
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Compare(x, y, p); err != nil {
			b.Fatal(err)
		}
	}
}
