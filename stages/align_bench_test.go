package stages

import (
	"context"
	"testing"

	"degen/artifacts"
	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkAlignPair128 times one align batch of 8 pairs at the default
// size (n = 128, 32 probe trials × 100 steps, DSA rank 20) and reports the
// time per pair: ×1225 is a 50-network condition.
func BenchmarkAlignPair128(b *testing.B) {
	const n, trials, steps, pairs = 128, 32, 100, 8
	rng := seed.New("align", "bench")
	env := newMemEnv()
	seeds := make([]int64, pairs+1)
	for k := range seeds {
		seeds[k] = int64(k)
		f := randomFixture(rng, n, 20)
		// Smooth, correlated states: a random linear RNN, so activity
		// matching and DSA see structure rather than white noise.
		f.states, f.trials, f.steps = make([]float32, trials*steps*n), trials, steps
		h := make([]float64, n)
		for tr := 0; tr < trials; tr++ {
			for i := range h {
				h[i] = rng.NormFloat64()
			}
			for t := 0; t < steps; t++ {
				var next mat.VecDense
				next.MulVec(f.w, mat.NewVecDense(n, h))
				for i := range h {
					h[i] = 0.9*next.AtVec(i) + 0.1*rng.NormFloat64()
					f.states[(t*trials+tr)*n+i] = float32(h[i])
				}
			}
		}
		f.install(env, seeds[k])
	}
	p := testAlignParams(seeds[pairs], seeds[:pairs]...)
	b.ResetTimer()
	for b.Loop() {
		env.written = map[string]*artifacts.Table{}
		if err := (Align{}).Run(context.Background(), &Action{Stage: Align{}, Params: p}, env); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/pairs, "ms/pair")
}
