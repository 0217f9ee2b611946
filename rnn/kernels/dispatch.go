package kernels

import "degen/internal/cpu"

// impl is one code path. Every field computes the same bits on every path.
type impl struct {
	name string
	// gemm computes C (+)= A·B, or Aᵀ·B when tn (A stored k×m).
	gemm func(c, a, b []float32, m, k, n int, acc, tn bool)
	// tanh sets dst = tanh32(x + y), or tanh32(x) when y is nil; len(y) ≥ len(x).
	tanh         func(dst, x, y []float32)
	tanhBackward func(dst, dy, y []float32)
}

var portable = &impl{
	name:         "portable",
	gemm:         gemmGo,
	tanh:         tanhGo,
	tanhBackward: tanhBackwardGo,
}

// paths lists the implementations this CPU can run, fastest first; the last
// is always portable. Tests and benchmarks range over it.
var paths = append(archPaths(), portable)

// cur is the path in use, fixed at init.
var cur = choose(paths, cpu.Setting())

// choose picks the first path allowed by the DEGEN_KERNELS setting env:
// "portable" forces the Go code, "avx2" skips AVX-512, anything else takes
// the fastest available.
func choose(avail []*impl, env string) *impl {
	return cpu.Choose(avail, func(p *impl) string { return p.name }, env, portable)
}

func gemmGo(c, a, b []float32, m, k, n int, acc, tn bool) {
	if tn {
		matMulTNGo(c, a, b, m, k, n, acc)
		return
	}
	matMulGo(c, a, b, m, k, n, acc)
}
