package weights

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

var (
	t6W1 = mat.NewDense(4, 4, []float64{0, 1, 2, 0, 0.5, 0, 0, 1, 0, -1, 0, 0.3, 2, 0, 0.1, 0})
	t6W2 = mat.NewDense(4, 4, []float64{0, 0, 0.3, -1, 2, 0, 0, 1, 0.1, 2, 0, 0, 0, 0.5, 1, 0})
	t6E  = mat.NewDense(4, 4, []float64{0, 1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0, 1})
)

func TestPIFReference(t *testing.T) {
	var w3 mat.Dense
	w3.Scale(0.1, t6E)
	w3.Add(&w3, t6W2)
	tests := []struct {
		name           string
		w1, w2         mat.Matrix
		d, dnorm, iden float64
		perm           []int
	}{
		{"T6 permuted copy", t6W1, t6W2, 0, 0, -1, []int{1, 3, 0, 2}},
		{"T6 perturbed", t6W1, &w3, 0.2, 0.2 / 16, 4.6, []int{1, 3, 0, 2}},
		{"self", t6W1, t6W1, 0, 0, 0, []int{0, 1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, twoOpt := range []bool{false, true} {
				p := DefaultParams()
				p.TwoOpt = twoOpt
				got, err := PIF(tc.w1, tc.w2, nil, p)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(got.D-tc.d) > 1e-12 || math.Abs(got.DNorm-tc.dnorm) > 1e-12 {
					t.Errorf("two_opt=%v: D, DNorm = %v, %v, want %v, %v", twoOpt, got.D, got.DNorm, tc.d, tc.dnorm)
				}
				if tc.iden >= 0 && math.Abs(got.Identity-tc.iden) > 1e-12 {
					t.Errorf("Identity = %v, want %v", got.Identity, tc.iden)
				}
				if fmt.Sprint(got.Perm) != fmt.Sprint(tc.perm) {
					t.Errorf("Perm = %v, want %v", got.Perm, tc.perm)
				}
			}
		})
	}
}

func TestPIFNormalizedT6(t *testing.T) {
	var w3 mat.Dense
	w3.Scale(0.1, t6E)
	w3.Add(&w3, t6W2)
	a := mat.DenseCopyOf(t6W1)
	a.Scale(1/mat.Norm(a, 2), a)
	w3.Scale(1/mat.Norm(&w3, 2), &w3)
	got, err := PIF(a, &w3, nil, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.059228380826; math.Abs(got.D-want) > 1e-11 {
		t.Errorf("D = %.12f, want %.12f", got.D, want)
	}
}

// TestPIFPermutedCopy: a relabelled network is at distance exactly 0.
func TestPIFPermutedCopy(t *testing.T) {
	for _, n := range []int{32, 128} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rng := seed.New("pif", "copy", fmt.Sprint(n))
			w1 := randMat(rng, n)
			perm := rng.Perm(n)
			w2 := permuted(w1, perm)
			got, err := PIF(w1, w2, nil, DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			if got.D != 0 {
				t.Errorf("D = %v, want 0", got.D)
			}
			if fmt.Sprint(got.Perm) != fmt.Sprint(perm) {
				t.Errorf("Perm differs from the relabelling")
			}
			if got.Identity <= 0 {
				t.Errorf("Identity = %v, want > 0", got.Identity)
			}
		})
	}
}

// TestPIFBruteForce: on small random pairs the solver should usually find
// the true optimum and never do worse than the identity. Unrelated Gaussian
// matrices are FAQ's hard case; the rates below are what the solver reaches
// on this fixed sample (deterministic), so a drop is a regression.
func TestPIFBruteForce(t *testing.T) {
	tests := []struct {
		restarts int
		minRate  float64
	}{
		{0, 0.65}, // 164/240 when written
		{8, 0.85}, // 210/240
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("restarts=", tc.restarts), func(t *testing.T) {
			rng := seed.New("pif", "bruteforce")
			p := DefaultParams()
			p.Restarts = tc.restarts
			const trials = 240
			optimal := 0
			for k := 0; k < trials; k++ {
				n := 2 + k%6 // 2..7
				w1, w2 := randMat(rng, n), randMat(rng, n)
				var start []int
				if k%2 == 1 {
					start = rng.Perm(n)
				}
				got, err := PIF(w1, w2, start, p)
				if err != nil {
					t.Fatal(err)
				}
				want := bruteForce(w1, w2)
				if got.D < want-1e-12 {
					t.Fatalf("case %d: D = %v below the exhaustive optimum %v", k, got.D, want)
				}
				if got.D > got.Identity {
					t.Errorf("case %d: D = %v above the identity bound %v", k, got.D, got.Identity)
				}
				if got.D <= want+1e-9 {
					optimal++
				}
			}
			if rate := float64(optimal) / trials; rate < tc.minRate {
				t.Errorf("optimal on %d/%d cases (%.3f), want ≥ %.2f", optimal, trials, rate, tc.minRate)
			}
			t.Logf("optimal on %d/%d cases", optimal, trials)
		})
	}
}

// TestPIFSymmetry: d(W₁,W₂) = d(W₂,W₁). The solver is a heuristic, so this
// is asserted where it finds the optimum: noisy relabelled copies. (On
// unrelated random pairs the two directions may reach different local
// optima; TestPIFBruteForce bounds how often.)
func TestPIFSymmetry(t *testing.T) {
	rng := seed.New("pif", "symmetry")
	for _, n := range []int{5, 20, 40, 64} {
		for k := 0; k < 3; k++ {
			t.Run(fmt.Sprint(n, "/", k), func(t *testing.T) {
				w1 := randMat(rng, n)
				w2 := permuted(w1, rng.Perm(n))
				w2.Add(w2, scaled(randMat(rng, n), 0.05))
				ab, err := PIF(w1, w2, nil, DefaultParams())
				if err != nil {
					t.Fatal(err)
				}
				ba, err := PIF(w2, w1, nil, DefaultParams())
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(ab.D-ba.D) > 1e-9*ab.Identity {
					t.Errorf("d(W1,W2) = %v, d(W2,W1) = %v", ab.D, ba.D)
				}
			})
		}
	}
}

func TestPIFDeterministic(t *testing.T) {
	rng := seed.New("pif", "determinism")
	w1, w2 := randMat(rng, 50), randMat(rng, 50)
	start := rng.Perm(50)
	first, err := PIF(w1, w2, start, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		got, _ := PIF(w1, w2, start, DefaultParams())
		if math.Float64bits(got.D) != math.Float64bits(first.D) || fmt.Sprint(got.Perm) != fmt.Sprint(first.Perm) {
			t.Fatalf("run %d: D = %v, want bit-identical %v", k, got.D, first.D)
		}
	}
	if first.D > first.Identity {
		t.Errorf("D = %v above the identity bound %v", first.D, first.Identity)
	}
}

func TestPIFErrors(t *testing.T) {
	tests := []struct {
		name   string
		w1, w2 mat.Matrix
		start  []int
		p      Params
	}{
		{"shape", mat.NewDense(2, 2, nil), mat.NewDense(3, 3, nil), nil, DefaultParams()},
		{"nonsquare", mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil), nil, DefaultParams()},
		{"nan", mat.NewDense(1, 1, []float64{math.NaN()}), mat.NewDense(1, 1, nil), nil, DefaultParams()},
		{"bad start", mat.NewDense(2, 2, nil), mat.NewDense(2, 2, nil), []int{0, 0}, DefaultParams()},
		{"bad params", mat.NewDense(2, 2, nil), mat.NewDense(2, 2, nil), nil, Params{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := PIF(tc.w1, tc.w2, tc.start, tc.p); err == nil {
				t.Error("got nil error")
			}
		})
	}
}

func TestActivityMatchRecoversRelabelling(t *testing.T) {
	rng := seed.New("pif", "activity")
	const m, n = 200, 12
	h1 := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			h1.Set(i, j, rng.NormFloat64())
		}
	}
	perm := rng.Perm(n)
	h2 := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			// unit perm[j] of network 2 is unit j of network 1, rescaled and shifted
			h2.Set(i, perm[j], 3*h1.At(i, j)+1)
		}
	}
	got, err := ActivityMatch(h1, h2)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(perm) {
		t.Errorf("ActivityMatch = %v, want %v", got, perm)
	}
}

func randMat(rng *rand.Rand, n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

func scaled(m *mat.Dense, s float64) *mat.Dense {
	m.Scale(s, m)
	return m
}

// permuted returns w2 with w2[perm i, perm j] = w[i, j].
func permuted(w *mat.Dense, perm []int) *mat.Dense {
	n, _ := w.Dims()
	out := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out.Set(perm[i], perm[j], w.At(i, j))
		}
	}
	return out
}

func bruteForce(w1, w2 mat.Matrix) float64 {
	a, b, n, _ := flatten(w1, w2)
	perm := identity(n)
	best := math.Inf(1)
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			best = math.Min(best, distance(a, b, perm))
			return
		}
		for i := k; i < n; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			rec(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	rec(0)
	return best
}

func benchmarkPIF(b *testing.B, related bool) {
	const n = 128
	rng := seed.New("pif", "bench")
	w1, w2 := randMat(rng, n), randMat(rng, n)
	if related {
		w2 = permuted(w1, rng.Perm(n))
		w2.Add(w2, scaled(randMat(rng, n), 0.5))
	}
	start := rng.Perm(n)
	b.ResetTimer()
	for b.Loop() {
		if _, err := PIF(w1, w2, start, DefaultParams()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPIF128Unrelated(b *testing.B) { benchmarkPIF(b, false) }
func BenchmarkPIF128Related(b *testing.B)   { benchmarkPIF(b, true) }
