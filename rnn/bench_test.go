package rnn

import (
	"fmt"
	"sync"
	"testing"

	"degen/internal/seed"
)

// BenchmarkTrainStep is one full step (forward, backward, clipping, Adam) of
// the 3-bit flip-flop at T = 100, B = 64. flop/step is docs/perf.md's
// 3·T·(2BN² + 2BNI + 2BNO); peak% is against 140 GFLOP/s, the one-core f32
// GEMM rate of OpenBLAS at this shape (wall time). cpu-ms/step is the
// benchmark thread's CPU time per step, steadier on a shared machine.
func BenchmarkTrainStep(b *testing.B) {
	const T, B, bits = 100, 64, 3
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			nt := testNet(ParamSP, n, bits, bits, "bench")
			tr, err := NewTrainer(nt, DefaultTrainParams())
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
			cpu := (threadCPU() - cpu0).Seconds() / float64(b.N)
			sec := b.Elapsed().Seconds() / float64(b.N)
			flop := float64(3 * T * (2*B*n*n + 2*B*n*bits + 2*B*n*bits))
			b.ReportMetric(sec*1e3, "ms/step")
			b.ReportMetric(cpu*1e3, "cpu-ms/step")
			b.ReportMetric(100*flop/sec/140e9, "peak%")
			b.ReportMetric(float64(tr.workspaceBytes())/(1<<20), "MiB")
		})
	}
}

// BenchmarkNTK is the record stage's kernel: K = J·Jᵀ for one network
// (8 trials × 10 steps × 3 outputs = 240 rows) at T = 100, float64.
func BenchmarkNTK(b *testing.B) {
	nt := testNet(ParamSP, 128, 3, 3, "bench")
	probe := newFlipflop(NTKTrials, 100, 3)
	flipflop(probe, seed.New("bench-ntk"), 0.3)
	defer lockThread()()
	b.ResetTimer()
	cpu0 := threadCPU()
	for i := 0; i < b.N; i++ {
		if _, _, err := NTK(nt, probe, NTKTrials, NTKSteps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((threadCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkTrainThroughput trains `nets` independent n = 128 networks side by
// side, one goroutine each (what `degen run -j2` does), and reports steps
// per second summed over them. The ratio nets=2 / nets=1 is the -j2 scaling.
func BenchmarkTrainThroughput(b *testing.B) {
	const T, B, bits, n = 100, 64, 3, 128
	for _, nets := range []int{1, 2} {
		b.Run(fmt.Sprintf("nets=%d", nets), func(b *testing.B) {
			trs := make([]*Trainer, nets)
			bts := make([]*Batch, nets)
			for k := range trs {
				tr, err := NewTrainer(testNet(ParamSP, n, bits, bits, fmt.Sprint("bench", k)), DefaultTrainParams())
				if err != nil {
					b.Fatal(err)
				}
				bts[k] = newFlipflop(B, T, bits)
				flipflop(bts[k], seed.New("bench", fmt.Sprint(k)), 0.3)
				tr.Step(bts[k])
				trs[k] = tr
			}
			b.ResetTimer()
			var wg sync.WaitGroup
			for k := range trs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer lockThread()()
					for i := 0; i < b.N; i++ {
						trs[k].Step(bts[k])
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(nets*b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
