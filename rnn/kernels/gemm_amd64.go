//go:build amd64 && !purego

package kernels

// gemmISA drives one instruction set's micro-kernels (gen_asm.go) over a
// whole product. A micro-kernel computes an mr×nr tile of C, nr vectors
// wide, the last vector holding tail lanes, accumulated over k steps of
// A[r,p] at a + r·ars + p·aps and B rows at b + p·ldb (strides in bytes).
type gemmISA struct {
	lanes int
	mrMax []int // mrMax[nr]: the most rows of an nr-vector tile
}

func (g *gemmISA) tile(nr, mr int, c *float32, ldc uintptr, a *float32, ars, aps uintptr, b *float32, ldb uintptr, k, tail, acc int) {
	if g.lanes == 16 {
		gemmTile512(nr, mr, c, ldc, a, ars, aps, b, ldb, k, tail, acc)
		return
	}
	gemmTile256(nr, mr, c, ldc, a, ars, aps, b, ldb, k, tail, acc)
}

// kBlock bounds the inner dimension per kernel call so the B panel a tile
// streams (kBlock × 64 floats = 32 KiB) stays in L1 across the row tiles.
// C holds the chain's running value between blocks, stored exactly as
// float32, so blocking does not change any bit.
const kBlock = 128

func (g *gemmISA) run(c, a, b []float32, m, k, n int, acc, tn bool) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !acc {
			clear(c[:m*n])
		}
		return
	}
	if tn && n < g.lanes && m > n && m*n <= swapMax {
		g.runSwapped(c, a, b, m, k, n, acc)
		return
	}
	if !tn && g.lanes == 16 && n <= narrowMax && m >= 16 && k >= 8 {
		g.runNarrow(c, a, b, m, k, n, acc)
		return
	}
	g.tiles(c, a, b, m, k, n, 0, m, 0, acc, tn)
}

// tiles computes rows [i0, i1) of C from inner index pFrom on; it treats
// acc as the chain's start only at pFrom and continues C's chain after.
func (g *gemmISA) tiles(c, a, b []float32, m, k, n, i0, i1, pFrom int, acc, tn bool) {
	ars, aps := uintptr(4*k), uintptr(4)
	if tn {
		ars, aps = 4, uintptr(4*m)
	}
	ld := uintptr(4 * n)
	nrMax := len(g.mrMax) - 1
	width := g.lanes * nrMax
	for p0 := pFrom; p0 < k; p0 += kBlock {
		kk := min(kBlock, k-p0)
		accFlag := 0
		if acc || p0 > pFrom {
			accFlag = 1
		}
		for j0 := 0; j0 < n; j0 += width {
			cols := min(width, n-j0)
			nr := (cols + g.lanes - 1) / g.lanes
			tail := cols - (nr-1)*g.lanes
			mrMax := g.mrMax[nr]
			for i := i0; i < i1; i += mrMax {
				mr := min(mrMax, i1-i)
				ai := i*k + p0
				if tn {
					ai = p0*m + i
				}
				g.tile(nr, mr, &c[i*n+j0], ld, &a[ai], ars, aps, &b[p0*n+j0], ld, kk, tail, accFlag)
			}
		}
	}
}

// runNarrow computes a product with few columns (the readout H·W_outᵀ,
// n = 3) with the narrow kernel on 16-row blocks and the first k&^7 inner
// steps, then continues the same chains with the regular tiles for the
// last k%8 steps, and runs the leftover rows with the regular tiles.
func (g *gemmISA) runNarrow(c, a, b []float32, m, k, n int, acc bool) {
	m16, k8 := m&^15, k&^7
	accFlag := 0
	if acc {
		accFlag = 1
	}
	for i := 0; i < m16; i += 16 {
		gemmNarrow512(n, &c[i*n], uintptr(4*n), &a[i*k], uintptr(4*k), &b[0], k8, accFlag)
	}
	if k8 < k {
		g.tiles(c, a, b, m, k, n, 0, m16, k8, true, false)
	}
	if m16 < m {
		g.tiles(c, a, b, m, k, n, m16, m, 0, acc, false)
	}
}

// swapMax bounds the transposed result runSwapped keeps on the stack.
const swapMax = 1024

// runSwapped computes a thin TN product (n below one vector, like the input
// weights' gradient Xᵀ·δ with n = I = 3) as Cᵀ = Bᵀ·A, which vectorises
// along m instead of wasting most lanes on n. Each element's chain has the
// same factors in the same p order (a product is exact before rounding, so
// a·b and b·a round alike): the bits are unchanged.
func (g *gemmISA) runSwapped(c, a, b []float32, m, k, n int, acc bool) {
	var buf [swapMax]float32
	ct := buf[:m*n]
	if acc {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				ct[j*m+i] = c[i*n+j]
			}
		}
	}
	g.run(ct, b, a, n, k, m, acc, true)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			c[i*n+j] = ct[j*m+i]
		}
	}
}
