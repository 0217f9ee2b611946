package dense

import (
	"math"
	"strconv"
	"testing"

	"degen/internal/seed"
)

func randomSlice(n int) []float64 {
	rng := seed.New("dense fma", strconv.Itoa(n))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

// TestCGStepPathsAgree checks CGStep and ScaleSub on every path against
// the portable pass, and that pass against the separate calls it replaces,
// over many random vectors of each tail length: a wrong lane or sum in a
// fused kernel shows only as a rare double rounding.
func TestCGStepPathsAgree(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 5, 8, 13, 20, 31, 32, 33, 47, 64, 100, 190} {
				for trial := range 200 {
					checkCGStep(t, p, n, trial)
				}
			}
		})
	}
}

func checkCGStep(t *testing.T, p *impl, n, trial int) {
	rng := seed.New("dense cgStep", strconv.Itoa(n), strconv.Itoa(trial))
	vec := func() []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return x
	}
	d, hd, m := vec(), vec(), vec()
	alpha, beta := rng.NormFloat64(), rng.NormFloat64()
	var vs, ws, sep [4][]float64 // x, hx, r, z
	for i := range vs {
		vs[i] = vec()
		ws[i] = append([]float64(nil), vs[i]...)
		sep[i] = append([]float64(nil), vs[i]...)
	}
	rr, rz := p.cgStep(alpha, d, hd, m, vs[0], vs[1], vs[2], vs[3])
	wrr, wrz := cgStepGo(alpha, d, hd, m, ws[0], ws[1], ws[2], ws[3])
	axpyGo(alpha, d, sep[0])
	axpyGo(alpha, hd, sep[1])
	axpyGo(-alpha, hd, sep[2])
	mulRounded(sep[3], sep[2], m)
	srr, srz := dotGo(sep[2], sep[2]), dotGo(sep[2], sep[3])
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	if !same(rr, wrr) || !same(rz, wrz) {
		t.Fatalf("cgStep n=%d trial %d: %v %v, portable %v %v", n, trial, rr, rz, wrr, wrz)
	}
	if !same(srr, wrr) || !same(srz, wrz) {
		t.Fatalf("portable cgStep n=%d trial %d: %v %v, separate calls %v %v", n, trial, wrr, wrz, srr, srz)
	}
	for i := range vs {
		for j := range vs[i] {
			if !same(vs[i][j], ws[i][j]) || !same(sep[i][j], ws[i][j]) {
				t.Fatalf("cgStep n=%d trial %d: vector %d [%d]: %v, portable %v, separate %v", n, trial, i, j, vs[i][j], ws[i][j], sep[i][j])
			}
		}
	}
	g, w := vec(), vec()
	copy(w, g)
	p.scaleSub(beta, g, d)
	scaleSubGo(beta, w, d)
	for j := range g {
		if !same(g[j], w[j]) {
			t.Fatalf("scaleSub n=%d trial %d [%d]: %v, portable %v", n, trial, j, g[j], w[j])
		}
	}
}

// TestPathsAgree checks every code path against the portable one bit for
// bit, on sizes that hit each tail, and the portable one against a plain
// sum to rounding.
func TestPathsAgree(t *testing.T) {
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 5, 8, 13, 20, 31, 32, 33, 47, 64, 100, 640} {
				x, y := randomSlice(n), randomSlice(n + 1)[1:]
				got, want := p.dot(x, y), dotGo(x, y)
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("dot n=%d: %v, portable %v", n, got, want)
				}
				plain := 0.0
				for i := range x {
					plain += x[i] * y[i]
				}
				if math.Abs(want-plain) > 1e-12*(1+math.Abs(plain)) {
					t.Errorf("dot n=%d: %v, plain sum %v", n, want, plain)
				}
				{
					row, w := randomSlice(n), randomSlice(n+3)
					row2, w2 := append([]float64(nil), row...), append([]float64(nil), w...)
					z := randomSlice(n + 4)
					got := p.symRow(row, 0.7, x, -0.2, z, y, w, 1.3)
					want := symRowGo(row2, 0.7, x, -0.2, z, y, w2, 1.3)
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Errorf("symRow n=%d: %v, portable %v", n, got, want)
					}
					for i := range row {
						if math.Float64bits(row[i]) != math.Float64bits(row2[i]) || math.Float64bits(w[i]) != math.Float64bits(w2[i]) {
							t.Fatalf("symRow n=%d [%d]: row %v w %v, portable %v %v", n, i, row[i], w[i], row2[i], w2[i])
						}
					}
					if w[n] != w2[n] {
						t.Fatalf("symRow n=%d wrote past w", n)
					}
				}
				for _, two := range []bool{false, true} {
					g, w := randomSlice(n), randomSlice(n)
					if two {
						p.axpy2(0.3, x, -1.7, y, g)
						axpy2Go(0.3, x, -1.7, y, w)
					} else {
						p.axpy(0.3, x, g)
						axpyGo(0.3, x, w)
					}
					for i := range g {
						if math.Float64bits(g[i]) != math.Float64bits(w[i]) {
							t.Fatalf("axpy (two=%v) n=%d [%d]: %v, portable %v", two, n, i, g[i], w[i])
						}
					}
				}
			}
			for _, d := range [][2]int{{1, 1}, {3, 7}, {19, 39}, {5, 64}, {4, 100}} {
				m, n := d[0], d[1]
				l, x := randomSlice(2*m), randomSlice(n+2)
				got, want := randomSlice(m*(n+3)), randomSlice(m*(n+3))
				copy(want, got)
				p.ger(got, n+3, l, 2, x, m, n)
				gemmGo(want, n+3, l, 2, 0, x, n, m, n, 1, true)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("ger %d×%d at %d: %v, Gemm %v", m, n, i, got[i], want[i])
					}
				}
			}
			for _, d := range [][3]int{{1, 1, 1}, {4, 16, 3}, {5, 17, 9}, {20, 20, 20}, {6, 24, 5}, {3, 18, 2}, {9, 40, 130}, {7, 33, 0}, {13, 3, 40}, {128, 128, 70}} {
				m, n, k := d[0], d[1], d[2]
				for _, tn := range []bool{false, true} {
					for _, acc := range []bool{false, true} {
						checkGemm(t, p, m, n, k, tn, acc)
					}
				}
			}
		})
	}
}

func checkGemm(t *testing.T, p *impl, m, n, k int, tn, acc bool) {
	t.Helper()
	const ldc, ldb, pad = 3, 2, 5 // extra row stride, to test the strides
	a := randomSlice((m + pad) * (k + pad))
	b := randomSlice((k + 1) * (n + ldb))
	ar, ap := k+pad, 1
	if tn {
		ar, ap = 1, m+pad
	}
	got, want := randomSlice(m*(n+ldc)), randomSlice(m*(n+ldc))
	copy(want, got)
	p.gemm(got, n+ldc, a, ar, ap, b, n+ldb, m, n, k, acc)
	gemmGo(want, n+ldc, a, ar, ap, b, n+ldb, m, n, k, acc)
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("gemm %d×%d×%d tn=%v acc=%v at %d: %v, portable %v", m, n, k, tn, acc, i, got[i], want[i])
		}
	}
}

// BenchmarkGemmTN is one lag product of the DSA benchmark's Gram matrix:
// 128×128 from 3200 rows.
func BenchmarkGemmTN(b *testing.B) {
	const n, rows = 128, 3200
	x, y := randomSlice(rows*n), randomSlice(rows*n + 1)[1:]
	c := make([]float64, n*n)
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				p.gemm(c, n, x, 1, n, y, n, n, n, rows, false)
			}
		})
	}
}
