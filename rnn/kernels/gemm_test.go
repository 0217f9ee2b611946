package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"degen/internal/seed"
)

// specials are values that stress rounding and the sign of zero; huge ones
// overflow a chain to ±Inf (and Inf−Inf to NaN), which must match too.
var specials = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1,
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	1e-39, -3e-40, 1.17549435e-38, 1e-30, -1e-20,
	1e30, -3e37, math.MaxFloat32, 0.1, 1.0000001, 16777217,
}

// fill sets s to values in [−1, 1) with, at rate special, a value from specials.
func fill(r *rand.Rand, s []float32, special float64) {
	for i := range s {
		if r.Float64() < special {
			s[i] = specials[r.IntN(len(specials))]
			continue
		}
		s[i] = float32(2*r.Float64() - 1)
	}
}

// sameBits reports the first index where got and want differ, treating any
// two NaNs as equal (payloads are outside the contract).
func sameBits(got, want []float32) (int, bool) {
	for i := range want {
		g, w := got[i], want[i]
		if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
			return i, false
		}
	}
	return -1, true
}

type gemmShape struct{ m, k, n int }

func (s gemmShape) String() string { return fmt.Sprintf("%dx%dx%d", s.m, s.k, s.n) }

// gemmShapes: ragged edges around every tile size plus the training shapes.
func gemmShapes(r *rand.Rand) []gemmShape {
	shapes := []gemmShape{
		{1, 1, 1}, {1, 0, 5}, {3, 0, 2}, {64, 128, 128}, {128, 64, 128},
		{64, 3, 128}, {6400 / 50, 128, 3}, {128, 129, 128}, {7, 300, 33},
		{17, 257, 65}, {8, 1, 16}, {6, 5, 64}, {9, 2, 49},
		{16, 8, 1}, {33, 19, 5}, {48, 16, 8}, {17, 9, 7}, {32, 7, 2}, {100, 130, 9},
	}
	for range 60 {
		shapes = append(shapes, gemmShape{1 + r.IntN(37), r.IntN(38), 1 + r.IntN(37)})
	}
	return shapes
}

// TestGemmPathsBitwise checks every available path against the portable
// code, bit for bit, for MatMul and MatMulTN, with and without accumulation.
func TestGemmPathsBitwise(t *testing.T) {
	r := seed.New("kernels", "gemm-bitwise")
	shapes := gemmShapes(r)
	for _, p := range paths[:len(paths)-1] {
		for _, sh := range shapes {
			for _, tn := range []bool{false, true} {
				for _, acc := range []bool{false, true} {
					name := fmt.Sprintf("%s/%v/tn=%v/acc=%v", p.name, sh, tn, acc)
					t.Run(name, func(t *testing.T) {
						checkGemm(t, r, p, sh, tn, acc)
					})
				}
			}
		}
	}
}

func checkGemm(t *testing.T, r *rand.Rand, p *impl, sh gemmShape, tn, acc bool) {
	m, k, n := sh.m, sh.k, sh.n
	a := make([]float32, m*k)
	b := make([]float32, k*n)
	c0 := make([]float32, m*n)
	for _, s := range [][]float32{a, b, c0} {
		fill(r, s, 0.1)
	}
	got := append([]float32(nil), c0...)
	want := append([]float32(nil), c0...)
	p.gemm(got, a, b, m, k, n, acc, tn)
	portable.gemm(want, a, b, m, k, n, acc, tn)
	if i, ok := sameBits(got, want); !ok {
		t.Fatalf("C[%d,%d] = %g (%#08x), portable %g (%#08x)", i/n, i%n,
			got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
	}
}

// TestGemmSmall checks the portable code's meaning on a hand-made product,
// including the chain's start from C when accumulating.
func TestGemmSmall(t *testing.T) {
	a := []float32{1, 2, 3, 4, 5, 6}       // 2×3
	b := []float32{7, 8, 9, 10, 11, 12}    // 3×2
	at := []float32{1, 4, 2, 5, 3, 6}      // a stored 3×2 for TN
	want := []float32{58, 64, 139, 154}    // a·b
	wantAcc := []float32{59, 65, 140, 155} // 1 + a·b
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, tc := range []struct {
				name string
				a    []float32
				tn   bool
				acc  bool
				want []float32
			}{
				{"NN", a, false, false, want},
				{"TN", at, true, false, want},
				{"NN/acc", a, false, true, wantAcc},
				{"TN/acc", at, true, true, wantAcc},
			} {
				c := []float32{1, 1, 1, 1}
				p.gemm(c, tc.a, b, 2, 3, 2, tc.acc, tc.tn)
				if i, ok := sameBits(c, tc.want); !ok {
					t.Errorf("%s: C[%d] = %g, want %g", tc.name, i, c[i], tc.want[i])
				}
			}
		})
	}
}

// TestGemmChainOrder pins the chain's order on every path.
func TestGemmChainOrder(t *testing.T) {
	// fma chain over p ascending: 0+1·2^24 = 2^24; 2^24+1·1 = 2^24 (ties to
	// even); 2^24 + 1·(−2^24) = 0. Summing the last two first would give 1.
	a := []float32{1, 1, 1}
	b := []float32{1 << 24, 1, -(1 << 24)}
	for _, p := range paths {
		c := []float32{42}
		p.gemm(c, a, b, 1, 3, 1, false, false)
		if c[0] != 0 {
			t.Errorf("%s: chain = %g, want 0", p.name, c[0])
		}
	}
}
