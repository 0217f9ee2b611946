package tasks

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGenerate times one training batch (64 trials, SPEC defaults) per
// task, as the trainer draws it once per optimizer step.
func BenchmarkGenerate(b *testing.B) {
	const batch = 64
	for _, c := range []struct {
		name, task string
		edit       func(*Params)
	}{
		{"flipflop", "flipflop", nil},
		{"dd", "dd", nil},
		{"sine", "sine", nil},
		{"pi", "pi", nil},
		{"pi3", "pi", func(p *Params) { p.Dims = 3 }},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := withEdit(b, c.task, c.edit)
			bt := NewBatch(p, batch, false)
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				Generate(p, bt, rng, false)
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}
