package tasks

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is the distance between two float64s in units in the last place.
func ulps(a, b float64) uint64 {
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

func TestSincosMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, math.Pi / 4, math.Pi / 2, math.Pi, -math.Pi, 3, -7.5, 1e-9, 2 * math.Pi, 400}
	for range 20000 {
		xs = append(xs, float64(800*rng.Float64())-400)
	}
	for _, x := range xs {
		s, c := sincos(x)
		// Near a zero of sin or cos an ulp of the result is tiny; compare
		// with an absolute bound there (the reduction's error is ~1e-16·|x|).
		if d := math.Abs(s - math.Sin(x)); ulps(s, math.Sin(x)) > 1 && d > 1e-16*(1+math.Abs(x)) {
			t.Fatalf("sin(%v) = %v, math.Sin = %v", x, s, math.Sin(x))
		}
		if d := math.Abs(c - math.Cos(x)); ulps(c, math.Cos(x)) > 1 && d > 1e-16*(1+math.Abs(x)) {
			t.Fatalf("cos(%v) = %v, math.Cos = %v", x, c, math.Cos(x))
		}
	}
	if s, c := sincos(math.Inf(1)); !math.IsNaN(s) || !math.IsNaN(c) {
		t.Errorf("sincos(+Inf) = %v, %v, want NaN, NaN", s, c)
	}
}

func TestSin2piIsPeriodic(t *testing.T) {
	for _, x := range []float64{0, 0.125, 0.25, 0.3, 0.75} {
		for _, n := range []float64{1, 7, 1000} {
			if got, want := sin2pi(x+n), sin2pi(x); math.Abs(got-want) > 1e-12 {
				t.Errorf("sin2pi(%v+%v) = %v, want sin2pi(%v) = %v", x, n, got, x, want)
			}
		}
	}
	if got := sin2pi(0.25); got != 1 {
		t.Errorf("sin2pi(0.25) = %v, want 1", got)
	}
}

func TestLogMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// No subnormals: amd64's assembly math.Log flushes them (log(5e-324)
	// comes out as log(2.2e-308)); the tasks only take log of 1−u ≥ 2⁻⁵³.
	xs := []float64{1, 2, 0.5, math.E, 1e-300, 1e300, 0x1p-53, 1 - 0x1p-53}
	for range 20000 {
		xs = append(xs, 1-rng.Float64(), math.Exp(float64(1400*rng.Float64())-700))
	}
	for _, x := range xs {
		if got, want := log(x), math.Log(x); ulps(got, want) > 1 {
			t.Fatalf("log(%v) = %v, math.Log = %v (%d ulps)", x, got, want, ulps(got, want))
		}
	}
	for _, x := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if got := log(x); !math.IsNaN(got) {
			t.Errorf("log(%v) = %v, want NaN (outside the domain the tasks use)", x, got)
		}
	}
}

func TestNormalPairMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 200000
	var s1, s2, s12, sq1, sq2 float64
	for range n {
		z1, z2 := normalPair(rng.Float64(), rng.Float64())
		s1, s2, s12 = s1+z1, s2+z2, s12+z1*z2
		sq1, sq2 = sq1+z1*z1, sq2+z2*z2
	}
	// Standard errors are ~1/√n ≈ 0.0022 for the means and ~0.003 for the
	// variances; 5 SE bounds.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean z1", s1 / n, 0}, {"mean z2", s2 / n, 0}, {"E z1 z2", s12 / n, 0},
		{"var z1", sq1 / n, 1}, {"var z2", sq2 / n, 1},
	} {
		if math.Abs(c.got-c.want) > 0.016 {
			t.Errorf("%s = %.4f, want %.1f", c.name, c.got, c.want)
		}
	}
}

// TestDetMathBitsPinned pins the float64 bits of sin, cos, log and the
// normal pair over many arguments. Float32 task outputs can hide a 1-ulp
// float64 change; this cannot. Run it under GOAMD64=v3 (where the compiler
// fuses any unguarded x*y+z) to check the guards.
func TestDetMathBitsPinned(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	h := sha256.New()
	put := func(v float64) { h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(v))) }
	for range 4096 {
		s, c := sincos(float64(200*rng.Float64()) - 100)
		z1, z2 := normalPair(rng.Float64(), rng.Float64())
		put(s)
		put(c)
		put(log(rng.Float64() + 0x1p-60))
		put(z1)
		put(z2)
		put(sin2pi(float64(50 * rng.Float64())))
	}
	const want = "0147f07e62cdaf261c68972dbf5f506737e1c9f9fe70daf5965c6dc1285cf8e4"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("digest = %s, want %s", got, want)
	}
}
