//go:build amd64 && !purego

package dense

import (
	"math"
	"unsafe"

	"degen/internal/cpu"
)

//go:noescape
func tile4x16(c *[4]*float64, a *[4]*float64, ap int, b *float64, ldb, k int, mask uint64, acc int)

//go:noescape
func tile4x24(c *[4]*float64, a *[4]*float64, ap int, b *float64, ldb, k int, mask uint64, acc int)

//go:noescape
func ger512(dst *float64, ldc int, l *float64, ls int, x *float64, m, n int)

//go:noescape
func symRow512(row, x, z, v, w *float64, a, b, vr float64, n int) float64

//go:noescape
func tile4x8(c *[4]*float64, a *[4]*float64, ap int, b *float64, ldb, k int, mask *[8]int64, acc int)

//go:noescape
func dot256(x, y *float64, n int, s *[dotLanes]float64)

//go:noescape
func axpy256(alpha float64, x, y *float64, n int)

//go:noescape
func ger256(dst *float64, ldc int, l *float64, ls int, x *float64, m, n4 int, tail *[4]int64)

//go:noescape
func symRow256(row, x, z, v, w *float64, a, b, vr float64, n int, s *[dotLanes]float64)

//go:noescape
func dot512(x, y *float64, n int) float64

//go:noescape
func axpy512(alpha float64, x, y *float64, n int)

//go:noescape
func axpy2512(alpha float64, x *float64, beta float64, z, y *float64, n int)

//go:noescape
func cgStep512(alpha, negAlpha float64, d, hd, m, x, hx, r, z *float64, n int) (rr, rz float64)

//go:noescape
func scaleSub512(beta float64, d, z *float64, n int)

// archPaths returns the assembly paths the CPU and OS support, fastest
// first.
func archPaths() []*impl {
	hasAVX2, hasAVX512 := cpu.Features()
	var ps []*impl
	if hasAVX512 {
		ps = append(ps, &impl{name: "avx512", gemm: gemm512, ger: gerAsm, symRow: symRowAsm, dot: dotAsm, axpy: axpyAsm, axpy2: axpy2Asm,
			cgStep: cgStepAsm, scaleSub: scaleSubAsm})
	}
	if hasAVX2 {
		ps = append(ps, &impl{name: "avx2", gemm: gemm256, ger: gerAVX2, symRow: symRowAVX2, dot: dotAVX2, axpy: axpyAVX2, axpy2: axpy2Go,
			cgStep: cgStepAVX2, scaleSub: scaleSubGo})
	}
	return ps
}

// gemmChunk is the rows of b (the inner dimension) one pass of gemm512
// takes: a 16-column strip of that many rows stays in L1 while every
// 4-row tile of the output runs over it.
const gemmChunk = 128

// gemm512 runs 4-row, 16-column (or, for a last strip of 17–24, 24-column) tiles in assembly, chunk by chunk of the
// inner dimension (a tile resumes its chains from the stored partial sums,
// which leaves the bits unchanged). A last tile of fewer rows aims the
// missing ones at scratch. Gemm has checked the extents, so the tiles'
// addresses are computed without further bounds checks: for the 20×20
// products of the comparison the checks cost as much as the arithmetic.
func gemm512(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb int, m, n, k int, acc bool) {
	var scratch [24]float64 // a partial tile's missing rows, up to 24 columns
	var cs, as [4]*float64
	const f = 8 // bytes per element
	d0 := unsafe.Pointer(unsafe.SliceData(dst))
	for p0 := 0; p0 < k || p0 == 0; p0 += gemmChunk {
		kc := min(gemmChunk, k-p0)
		accI := 0
		if acc || p0 > 0 {
			accI = 1
		}
		for j := 0; j < n; {
			// A strip of 17–24 columns is one three-vector tile.
			width := 16
			if r := n - j; r > 16 && r <= 24 {
				width = 24
			}
			mask := uint64(1)<<min(width, n-j) - 1
			var bp *float64
			if kc > 0 {
				bp = &b[p0*ldb+j]
			}
			for i := 0; i < m; i += 4 {
				c := unsafe.Add(d0, (i*ldc+j)*f)
				var a0 unsafe.Pointer
				if kc > 0 {
					a0 = unsafe.Pointer(&a[i*ar+p0*ap])
				}
				if i+4 <= m {
					cs = [4]*float64{(*float64)(c), (*float64)(unsafe.Add(c, ldc*f)),
						(*float64)(unsafe.Add(c, 2*ldc*f)), (*float64)(unsafe.Add(c, 3*ldc*f))}
					if kc > 0 {
						as = [4]*float64{(*float64)(a0), (*float64)(unsafe.Add(a0, ar*f)),
							(*float64)(unsafe.Add(a0, 2*ar*f)), (*float64)(unsafe.Add(a0, 3*ar*f))}
					}
				} else {
					for r := range 4 {
						cs[r], as[r] = &scratch[0], (*float64)(a0)
						if i+r < m {
							cs[r] = (*float64)(unsafe.Add(c, r*ldc*f))
							if kc > 0 {
								as[r] = (*float64)(unsafe.Add(a0, r*ar*f))
							}
						}
					}
				}
				// Direct calls: through a func value, cs and as would escape.
				if width == 24 {
					tile4x24(&cs, &as, ap, bp, ldb, kc, mask, accI)
				} else {
					tile4x16(&cs, &as, ap, bp, ldb, kc, mask, accI)
				}
			}
			j += width
		}
	}
}

func dotAsm(x, y []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	return dot512(unsafe.SliceData(x), unsafe.SliceData(y), len(x))
}

func axpyAsm(alpha float64, x, y []float64) {
	if len(x) > 0 {
		axpy512(alpha, unsafe.SliceData(x), unsafe.SliceData(y), len(x))
	}
}

func axpy2Asm(alpha float64, x []float64, beta float64, z, y []float64) {
	if len(x) > 0 {
		axpy2512(alpha, unsafe.SliceData(x), beta, unsafe.SliceData(z), unsafe.SliceData(y), len(x))
	}
}

func cgStepAsm(alpha float64, d, hd, m, x, hx, r, z []float64) (rr, rz float64) {
	if len(x) == 0 {
		return 0, 0
	}
	return cgStep512(alpha, -alpha, unsafe.SliceData(d), unsafe.SliceData(hd), unsafe.SliceData(m),
		unsafe.SliceData(x), unsafe.SliceData(hx), unsafe.SliceData(r), unsafe.SliceData(z), len(x))
}

func scaleSubAsm(beta float64, d, z []float64) {
	if len(d) > 0 {
		scaleSub512(beta, unsafe.SliceData(d), unsafe.SliceData(z), len(d))
	}
}

func gerAsm(dst []float64, ldc int, l []float64, ls int, x []float64, m, n int) {
	ger512(unsafe.SliceData(dst), ldc, unsafe.SliceData(l), ls, unsafe.SliceData(x), m, n)
}

func symRowAsm(row []float64, a float64, x []float64, b float64, z, v, w []float64, vr float64) float64 {
	if len(row) == 0 {
		return 0
	}
	return symRow512(unsafe.SliceData(row), unsafe.SliceData(x), unsafe.SliceData(z), unsafe.SliceData(v),
		unsafe.SliceData(w), a, b, vr, len(row))
}

// gemm256 is gemm512 with 4-row, 8-column AVX2 tiles.
func gemm256(dst []float64, ldc int, a []float64, ar, ap int, b []float64, ldb int, m, n, k int, acc bool) {
	var scratch [8]float64
	var cs, as [4]*float64
	var mask [8]int64
	const f = 8
	d0 := unsafe.Pointer(unsafe.SliceData(dst))
	for p0 := 0; p0 < k || p0 == 0; p0 += gemmChunk {
		kc := min(gemmChunk, k-p0)
		accI := 0
		if acc || p0 > 0 {
			accI = 1
		}
		for j := 0; j < n; j += 8 {
			for l := range mask {
				mask[l] = 0
				if j+l < n {
					mask[l] = -1
				}
			}
			var bp *float64
			if kc > 0 {
				bp = &b[p0*ldb+j]
			}
			for i := 0; i < m; i += 4 {
				c := unsafe.Add(d0, (i*ldc+j)*f)
				var a0 unsafe.Pointer
				if kc > 0 {
					a0 = unsafe.Pointer(&a[i*ar+p0*ap])
				}
				for r := range 4 {
					cs[r], as[r] = &scratch[0], (*float64)(a0)
					if i+r < m {
						cs[r] = (*float64)(unsafe.Add(c, r*ldc*f))
						if kc > 0 {
							as[r] = (*float64)(unsafe.Add(a0, r*ar*f))
						}
					}
				}
				tile4x8(&cs, &as, ap, bp, ldb, kc, &mask, accI)
			}
		}
	}
}

func dotAVX2(x, y []float64) float64 {
	var s [dotLanes]float64
	n4 := len(x) &^ 3
	if n4 > 0 {
		dot256(unsafe.SliceData(x), unsafe.SliceData(y), n4, &s)
	}
	for t := n4; t < len(x); t++ {
		s[t%dotLanes] = math.FMA(x[t], y[t], s[t%dotLanes])
	}
	return reduceLanes(&s)
}

func axpyAVX2(alpha float64, x, y []float64) {
	n4 := len(x) &^ 3
	if n4 > 0 {
		axpy256(alpha, unsafe.SliceData(x), unsafe.SliceData(y), n4)
	}
	axpyGo(alpha, x[n4:], y[n4:])
}

// cgStepAVX2 is CGStep from this path's own axpy and dot: the same bits.
func cgStepAVX2(alpha float64, d, hd, m, x, hx, r, z []float64) (rr, rz float64) {
	axpyAVX2(alpha, d, x)
	axpyAVX2(alpha, hd, hx)
	axpyAVX2(-alpha, hd, r)
	mulRounded(z, r, m)
	return dotAVX2(r, r), dotAVX2(r, z)
}

func gerAVX2(dst []float64, ldc int, l []float64, ls int, x []float64, m, n int) {
	var tail [4]int64
	n4 := n &^ 3
	for t := range n - n4 {
		tail[t] = -1
	}
	ger256(unsafe.SliceData(dst), ldc, unsafe.SliceData(l), ls, unsafe.SliceData(x), m, n4, &tail)
}

func symRowAVX2(row []float64, a float64, x []float64, b float64, z, v, w []float64, vr float64) float64 {
	var s [dotLanes]float64
	n4 := len(row) &^ 3
	if n4 > 0 {
		symRow256(unsafe.SliceData(row), unsafe.SliceData(x), unsafe.SliceData(z), unsafe.SliceData(v),
			unsafe.SliceData(w), a, b, vr, n4, &s)
	}
	for t := n4; t < len(row); t++ {
		y := math.FMA(b, z[t], math.FMA(a, x[t], row[t]))
		row[t] = y
		s[t%dotLanes] = math.FMA(y, v[t], s[t%dotLanes])
		w[t] = math.FMA(vr, y, w[t])
	}
	return reduceLanes(&s)
}
