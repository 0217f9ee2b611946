package kernels

import (
	"fmt"
	"math"
	"os"
	"testing"

	"degen/internal/seed"
)

// tanhInputs: random values over the interesting range plus every edge of
// tanh32's branches (tiny threshold, clamp), zeros, denormals, Inf and NaN.
func tanhInputs(n int) []float32 {
	r := seed.New("kernels", "tanh-inputs")
	edges := []float32{
		0, float32(math.Copysign(0, -1)), tanhTiny, -tanhTiny,
		math.Nextafter32(tanhTiny, 0), math.Nextafter32(tanhTiny, 1),
		tanhClamp, tanhNegclamp, math.Nextafter32(tanhClamp, 0), math.Nextafter32(tanhClamp, 9),
		math.SmallestNonzeroFloat32, -1e-40, 1e-20, 0.5, -0.5, 1, 3, -9, 100,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32,
	}
	x := make([]float32, n)
	for i := range x {
		if i < len(edges) {
			x[i] = edges[i]
			continue
		}
		x[i] = float32((2*r.Float64() - 1) * 12)
		if i%7 == 0 {
			x[i] *= 1e-3
		}
	}
	return x
}

// TestTanhPathsBitwise checks Tanh, AddBiasTanh's sum-then-tanh and
// TanhBackward on every path against the portable code, for lengths that
// exercise each path's ragged end.
func TestTanhPathsBitwise(t *testing.T) {
	for _, p := range paths[:len(paths)-1] {
		for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 33, 128, 1000} {
			t.Run(fmt.Sprintf("%s/n=%d", p.name, n), func(t *testing.T) {
				x := tanhInputs(n)
				y := tanhInputs(n + 3)[3:]
				for _, tc := range []struct {
					name string
					run  func(q *impl, dst []float32)
				}{
					{"tanh", func(q *impl, dst []float32) { q.tanh(dst, x, nil) }},
					{"tanh(x+y)", func(q *impl, dst []float32) { q.tanh(dst, x, y) }},
					{"backward", func(q *impl, dst []float32) { q.tanhBackward(dst, x, y) }},
				} {
					got := make([]float32, n)
					want := make([]float32, n)
					tc.run(p, got)
					tc.run(portable, want)
					if i, ok := sameBits(got, want); !ok {
						t.Fatalf("%s at %g: got %g (%#08x), portable %g (%#08x)", tc.name, x[i],
							got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
					}
				}
			})
		}
	}
}

// TestTanhValues pins tanh32's special cases and a few values.
func TestTanhValues(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	for _, tc := range []struct{ x, want float32 }{
		{0, 0},
		{negZero, negZero},
		{1e-5, 1e-5}, // below tiny: the identity
		{tanhClamp, 1},
		{-20, -1},
		{float32(math.Inf(1)), 1},
		{float32(math.Inf(-1)), -1},
	} {
		got := tanh32(tc.x)
		if math.Float32bits(got) != math.Float32bits(tc.want) {
			t.Errorf("tanh32(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
	if got := tanh32(float32(math.NaN())); got == got {
		t.Errorf("tanh32(NaN) = %g, want NaN", got)
	}
}

// tanhErr measures tanh32 against math.Tanh over float32 bit patterns from
// 0 to hi taking every stride-th; tanh32 is odd, so this covers the
// negatives. It also checks 0 ≤ tanh32 ≤ 1 there. (tanh32 is not monotone:
// near ±1 its rounding noise is a few ulp of wiggle.)
func tanhErr(t *testing.T, hi float32, stride uint32) (maxAbs, maxULP float64, worst float32) {
	const chunk = 1 << 16
	x := make([]float32, 0, chunk)
	y := make([]float32, chunk)
	last := math.Float32bits(hi)
	for u := uint32(0); u <= last; {
		x = x[:0]
		for ; u <= last && len(x) < chunk; u += stride {
			x = append(x, math.Float32frombits(u))
		}
		Tanh(y[:len(x)], x)
		for i, v := range x {
			got := y[i]
			if got < 0 || got > 1 {
				t.Fatalf("tanh32(%g) = %g, outside [0, 1]", v, got)
			}
			ref := math.Tanh(float64(v))
			d := math.Abs(float64(got) - ref)
			u := d / ulp32(ref)
			if d > maxAbs {
				maxAbs = d
			}
			if u > maxULP {
				maxULP, worst = u, v
			}
		}
	}
	return maxAbs, maxULP, worst
}

// ulp32 is the spacing of float32 values at |r|.
func ulp32(r float64) float64 {
	r = math.Abs(r)
	if r < 0x1p-126 {
		return 0x1p-149
	}
	_, e := math.Frexp(r) // r = f·2^e, f in [0.5, 1)
	return math.Ldexp(1, e-24)
}

// TestTanhError bounds tanh32's error on a strided sweep of [0, 10]; the
// full sweep over every float32 (DEGEN_TANH_FULL=1, ~30 s) gave the numbers
// in the doc comment of tanh32.
func TestTanhError(t *testing.T) {
	stride := uint32(61)
	if os.Getenv("DEGEN_TANH_FULL") != "" {
		stride = 1
	}
	maxAbs, maxULP, worst := tanhErr(t, 10, stride)
	t.Logf("stride %d: max abs error %.3g, max %.3f ulp at x=%g", stride, maxAbs, maxULP, worst)
	if maxAbs > tanhMaxAbsErr || maxULP > tanhMaxULPErr {
		t.Errorf("max abs error %g, max ulp %g; documented bounds %g, %g",
			maxAbs, maxULP, tanhMaxAbsErr, tanhMaxULPErr)
	}
}

// TestTanhOdd checks tanh32(−x) = −tanh32(x) exactly, which lets the error
// sweep skip the negatives.
func TestTanhOdd(t *testing.T) {
	for _, x := range tanhInputs(2000) {
		if x != x {
			continue
		}
		if a, b := tanh32(-x), -tanh32(x); math.Float32bits(a) != math.Float32bits(b) {
			t.Fatalf("tanh32(%g) = %g, −tanh32(%g) = %g", -x, a, x, b)
		}
	}
}
