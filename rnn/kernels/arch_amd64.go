//go:build amd64 && !purego

package kernels

//go:generate go run gen_asm.go

import (
	"unsafe"

	"degen/internal/cpu"
)

// archPaths returns the assembly paths this CPU supports, fastest first.
func archPaths() []*impl {
	hasAVX2, hasAVX512 := cpu.Features()
	var ps []*impl
	if hasAVX512 {
		ps = append(ps, newAsmImpl("avx512", &gemmAVX512, tanh512, tanhback512))
	}
	if hasAVX2 {
		ps = append(ps, newAsmImpl("avx2", &gemmAVX2, tanh256, tanhback256))
	}
	return ps
}

var (
	gemmAVX512 = gemmISA{lanes: 16, mrMax: mrMax512}
	gemmAVX2   = gemmISA{lanes: 8, mrMax: mrMax256}
)

type vecKernel func(dst, x, y *float32, n int)

func newAsmImpl(name string, g *gemmISA, tanhK, backK vecKernel) *impl {
	lanes := g.lanes
	return &impl{
		name: name,
		gemm: g.run,
		tanh: func(dst, x, y []float32) {
			n := len(x) / lanes * lanes
			if n > 0 {
				var yp *float32
				if y != nil {
					yp = unsafe.SliceData(y)
				}
				tanhK(unsafe.SliceData(dst), unsafe.SliceData(x), yp, n)
			}
			// The ragged end runs the portable code: same operations, same bits.
			if y != nil {
				y = y[n:]
			}
			tanhGo(dst[n:], x[n:], y)
		},
		tanhBackward: func(dst, dy, y []float32) {
			n := len(dst) / lanes * lanes
			if n > 0 {
				backK(unsafe.SliceData(dst), unsafe.SliceData(dy), unsafe.SliceData(y), n)
			}
			tanhBackwardGo(dst[n:], dy[n:], y[n:])
		},
	}
}
