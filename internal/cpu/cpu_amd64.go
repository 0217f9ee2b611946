//go:build amd64 && !purego

// Package cpu reports the vector extensions the fast kernels need. Both
// kernel packages (rnn/kernels, metrics/internal/dense) choose their path
// from it once, at start-up.
package cpu

func cpuid(leaf, sub uint32) (a, b, c, d uint32)

func xgetbv0() uint32

// Features reports whether the CPU and OS support AVX2 with FMA, and
// AVX-512F. The OS must save the vector state (XCR0), or the upper register
// halves would be lost on a context switch.
func Features() (hasAVX2, hasAVX512 bool) {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false, false
	}
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false, false
	}
	xcr0 := xgetbv0()
	const ymmState, zmmState = 0x6, 0xe0 // SSE+AVX; opmask, ZMM_Hi256, Hi16_ZMM
	if xcr0&ymmState != ymmState {
		return false, false
	}
	_, b7, _, _ := cpuid(7, 0)
	const avx2, avx512f = 1 << 5, 1 << 16
	hasAVX2 = b7&avx2 != 0
	hasAVX512 = hasAVX2 && b7&avx512f != 0 && xcr0&zmmState == zmmState
	return hasAVX2, hasAVX512
}
