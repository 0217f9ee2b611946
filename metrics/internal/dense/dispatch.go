package dense

import "degen/internal/cpu"

// impl is one code path of the FMA kernels; every path computes the same
// bits.
type impl struct {
	name string
	gemm func(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb int, m, n, k int, acc bool)
	ger  func(dst []float64, ldc int, l []float64, ls int, x []float64, m, n int)
	dot  func(x, y []float64) float64
	// symRow is SymRow.
	symRow func(row []float64, a float64, x []float64, b float64, z, v, w []float64, vr float64) float64
	axpy   func(alpha float64, x, y []float64)
	axpy2  func(alpha float64, x []float64, beta float64, z, y []float64)
	// cgStep is CGStep, scaleSub ScaleSub.
	cgStep   func(alpha float64, d, hd, m, x, hx, r, z []float64) (rr, rz float64)
	scaleSub func(beta float64, d, z []float64)
}

var portable = &impl{name: "portable", gemm: gemmGo, ger: gerGo, symRow: symRowGo, dot: dotGo, axpy: axpyGo, axpy2: axpy2Go,
	cgStep: cgStepGo, scaleSub: scaleSubGo}

// paths lists the paths this CPU runs, fastest first, portable last.
var paths = append(archPaths(), portable)

// cur is fixed at init. DEGEN_KERNELS (the same setting as rnn/kernels):
// "portable" forces the Go code, "avx2" skips AVX-512.
var cur = choose(paths, cpu.Setting())

func choose(avail []*impl, env string) *impl {
	return cpu.Choose(avail, func(p *impl) string { return p.name }, env, portable)
}
