package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"degen/internal/seed"
)

// fmaExact is a·b+c rounded once to float32 (nearest, ties to even), from
// an exact big.Float sum; IEEE's sign rule decides an exact zero.
func fmaExact(a, b, c float32) float32 {
	if isNonFinite(a) || isNonFinite(b) || isNonFinite(c) {
		return float32(float64(a)*float64(b) + float64(c))
	}
	x := new(big.Float).SetPrec(2048).SetFloat64(float64(a))
	x.Mul(x, new(big.Float).SetFloat64(float64(b)))
	pNeg := x.Signbit()
	x.Add(x, new(big.Float).SetFloat64(float64(c)))
	if x.Sign() == 0 {
		if pNeg && math.Signbit(float64(c)) {
			return float32(math.Copysign(0, -1))
		}
		return 0
	}
	f, _ := x.Float32()
	return f
}

func isNonFinite(x float32) bool {
	return math.IsInf(float64(x), 0) || math.IsNaN(float64(x))
}

// nearHalfway returns a triple whose product sits within a few float64 ulps
// of half an ulp of c: where rounding a·b+c first to float64 and then to
// float32 goes wrong unless the first rounding is to odd.
func nearHalfway(r *rand.Rand) (a, b, c float32) {
	e := r.IntN(60) - 30
	c = float32(math.Ldexp(1+float64(r.IntN(1<<23))/(1<<23), e))
	a = float32(1 + float64(r.IntN(5)-2)/(1<<23))
	b = float32(math.Ldexp(1+float64(r.IntN(5)-2)/(1<<23), e-24))
	if r.IntN(2) == 0 {
		b = -b
	}
	if r.IntN(2) == 0 {
		c = -c
	}
	return a, b, c
}

func randomTriple(r *rand.Rand) (a, b, c float32) {
	pick := func() float32 {
		if r.IntN(8) == 0 {
			return specials[r.IntN(len(specials))]
		}
		return math.Float32frombits(r.Uint32())
	}
	a, b, c = pick(), pick(), pick()
	if r.IntN(4) == 0 { // force cancellation: c ≈ −a·b
		c = -float32(float64(a) * float64(b))
	}
	return a, b, c
}

func TestFma32Exact(t *testing.T) {
	r := seed.New("kernels", "fma32")
	tests := []struct {
		name string
		gen  func(*rand.Rand) (a, b, c float32)
	}{
		{"random", randomTriple},
		{"near-halfway", nearHalfway},
	}
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range n {
				a, b, c := tc.gen(r)
				checkFma(t, a, b, c)
			}
		})
	}
}

// TestFma32Halfway: hand-made cases where the float64 sum is exactly
// halfway between two float32s and only round-to-odd gets it right.
func TestFma32Halfway(t *testing.T) {
	const u = 0x1p-23
	for _, tc := range []struct {
		name    string
		a, b, c float32
		want    float32
	}{
		// (1+u)(1−u)·2⁻²⁴ = 2⁻²⁴ − 2⁻⁷⁰; (1+u) + that is just below the
		// midpoint 1+u+2⁻²⁴: the answer is 1+u, double rounding gives 1+2u.
		{"below-midpoint", 1 + u, (1 - u) * 0x1p-24, 1 + u, 1 + u},
		{"below-midpoint-neg", 1 + u, -(1 - u) * 0x1p-24, -(1 + u), -(1 + u)},
		// (1+u)²·2⁻²⁴ = 2⁻²⁴ + 2⁻⁴⁶ + 2⁻⁷⁰: 1 + that is above the midpoint.
		{"above-midpoint", 1 + u, (1 + u) * 0x1p-24, 1, 1 + u},
		// 1 − (1−u)(1+u)·2⁻²⁵ = 1 − 2⁻²⁵ + 2⁻⁷¹: above the midpoint 1 − 2⁻²⁵
		// below 1, so the answer is 1.
		{"above-midpoint-below-one", 1 - u, -(1 + u) * 0x1p-25, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fma32(tc.a, tc.b, tc.c); got != tc.want {
				t.Errorf("Fma32(%g, %g, %g) = %.9g, want %.9g", tc.a, tc.b, tc.c, got, tc.want)
			}
			checkFma(t, tc.a, tc.b, tc.c)
		})
	}
}

func checkFma(t *testing.T, a, b, c float32) {
	t.Helper()
	want := fmaExact(a, b, c)
	got := Fma32(a, b, c)
	if !sameFloat(got, want) {
		t.Fatalf("Fma32(%g, %g, %g) = %g (%#08x), want %g (%#08x)", a, b, c,
			got, math.Float32bits(got), want, math.Float32bits(want))
	}
	// The vector paths' FMA is the hardware's; a 1×1×1 product is one fma.
	for _, p := range paths {
		cc := []float32{c}
		p.gemm(cc, []float32{a}, []float32{b}, 1, 1, 1, true, false)
		if !sameFloat(cc[0], want) {
			t.Fatalf("%s fma(%g, %g, %g) = %g, want %g", p.name, a, b, c, cc[0], want)
		}
	}
}

func sameFloat(x, y float32) bool {
	return math.Float32bits(x) == math.Float32bits(y) || (x != x && y != y)
}
