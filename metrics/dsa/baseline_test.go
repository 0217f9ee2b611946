package dsa

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// baselineAngular is the plain optimiser DSA must not lose to: Riemannian
// gradient ascent with a fixed step η and a fixed iteration count (the
// reference's scheme without Adam), from `starts` Haar-random orthogonal
// matrices of its own seed, best of all runs. It shares only the Cayley
// step and the objective with the package.
func baselineAngular(a, b []float64, n, starts, iters int, eta float64, r *rand.Rand) float64 {
	an, bn := normalised(a), normalised(b)
	s := newAscent(an, bn, n)
	best := math.Inf(-1)
	for range starts {
		copy(s.c, randomOrthogonal(r.NormFloat64, n))
		for range iters {
			s.g = s.evalP(s.p, s.c)
			s.evalW(s.w, s.p)
			unpackSkew(s.d, n, s.w, n, 1)
			s.cayley(eta)
			s.c, s.nc = s.nc, s.c
		}
		best = math.Max(best, s.evalP(s.p, s.c))
	}
	return math.Acos(math.Min(best, 1))
}

func normalised(a []float64) []float64 {
	out := append([]float64(nil), a...)
	nrm := math.Sqrt(frob2(out))
	for i := range out {
		out[i] /= nrm
	}
	return out
}

// TestNotWorseThanBaseline: on random 20×20 pairs, DSA at default settings
// must reach an angle no larger than the best of 20 random-start runs of
// the plain optimiser, for a small and for the largest stable fixed step.
func TestNotWorseThanBaseline(t *testing.T) {
	pairs := 3
	if testing.Short() {
		pairs = 1
	}
	r := rand.New(rand.NewPCG(21, 22))
	const n = 20
	for pair := range pairs {
		a, b := randomMatrix(r, n), randomMatrix(r, n)
		res := mustCompare(t, a, b, DefaultParams())
		for _, eta := range []float64{0.5, 2} {
			base := baselineAngular(a.RawMatrix().Data, b.RawMatrix().Data, n, 20, 1000, eta,
				rand.New(rand.NewPCG(uint64(pair), 23)))
			if res.Angular > base+1e-9 {
				t.Errorf("pair %d, η = %v: DSA angle %.9f, baseline %.9f", pair, eta, res.Angular, base)
			}
		}
	}
}

// TestReflectedCopy is the case the reference gets wrong (0.11–0.21 for a
// true distance near 0): a network's states against the same states with
// one unit's sign flipped, at the pipeline's settings.
func TestReflectedCopy(t *testing.T) {
	tr := randomTrials(rand.New(rand.NewPCG(31, 32)), 8, 50, 16)
	flip := mat.NewDiagDense(16, nil)
	for i := 0; i < 16; i++ {
		flip.SetDiag(i, 1)
	}
	flip.SetDiag(3, -1)
	p := DefaultParams()
	res, err := Compare(mustFit(t, tr, p), mustFit(t, mapTrials(tr, flip), p), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Angular > 1e-8 {
		t.Errorf("angular = %.3g, want < 1e-8 (start %d, %d iterations)", res.Angular, res.Start, res.Iters)
	}
}
