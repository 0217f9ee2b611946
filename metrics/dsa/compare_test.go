package dsa

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func rot(t float64) *mat.Dense {
	c, s := math.Cos(t), math.Sin(t)
	return mat.NewDense(2, 2, []float64{c, -s, s, c})
}

func scaled(f float64, a *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Scale(f, a)
	return &out
}

func mustCompare(t testing.TB, a, b *mat.Dense, p Params) Result {
	t.Helper()
	r, err := CompareOperators(a, b, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkResult checks the identities every result must satisfy: C
// orthogonal, euclidean = 2 sin(angular/2), and the residual at C equal to
// the euclidean score.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	n, _ := r.C.Dims()
	var ctc mat.Dense
	ctc.Mul(r.C.T(), r.C)
	id := mat.NewDiagDense(n, nil)
	for i := 0; i < n; i++ {
		id.SetDiag(i, 1)
	}
	var d mat.Dense
	d.Sub(&ctc, id)
	if e := mat.Norm(&d, math.Inf(1)); e > 1e-10 {
		t.Errorf("‖CᵀC − I‖_max = %.2e, want ≤ 1e-10", e)
	}
	if got, want := r.Euclidean, 2*math.Sin(r.Angular/2); math.Abs(got-want) > 1e-12 {
		t.Errorf("euclidean = %.15g, 2 sin(angular/2) = %.15g", got, want)
	}
}

// TestCompareExact checks research/metrics.md §5 T3 and the T2 operator
// pair: exact optima from a 1-D search, several at reflections.
func TestCompareExact(t *testing.T) {
	a := mat.NewDense(2, 2, []float64{0.9, 0.3, 0, 0.8})
	q := rot(0.7)
	conj := func(m *mat.Dense) *mat.Dense {
		var out mat.Dense
		out.Product(q, m, q.T())
		return &out
	}
	tests := []struct {
		name               string
		a, b               *mat.Dense
		angular, euclidean float64
	}{
		{"rotations 0.3 vs 0.5", rot(0.3), rot(0.5), 0.2, 0.199666833294},
		{"rotation vs its reflection", rot(0.3), rot(-0.3), 0, 0},
		{"scale invariance", scaled(0.95, rot(0.3)), scaled(0.5, rot(-0.3)), 0, 0},
		{"symmetric", mat.NewDense(2, 2, []float64{0.9, 0, 0, 0.5}), mat.NewDense(2, 2, []float64{0.8, 0, 0, 0.3}), 0.148327834122, 0.148191897245},
		{"symmetric conjugated", mat.NewDense(2, 2, []float64{0.9, 0, 0, 0.5}), conj(mat.NewDense(2, 2, []float64{0.8, 0, 0, 0.3})), 0.148327834122, 0.148191897245},
		{"non-normal B", a, mat.NewDense(2, 2, []float64{0.8, 0, 0.25, 0.9}), 0.038220478967, 0.038218152648},
		{"non-normal B2", a, mat.NewDense(2, 2, []float64{0.7, -0.4, 0.1, 0.95}), 0.124277694858, 0.124197732705},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := mustCompare(t, tc.a, tc.b, DefaultParams())
			checkResult(t, r)
			if math.Abs(r.Angular-tc.angular) > 1e-11 {
				t.Errorf("angular = %.12f, want %.12f", r.Angular, tc.angular)
			}
			if math.Abs(r.Euclidean-tc.euclidean) > 1e-11 {
				t.Errorf("euclidean = %.12f, want %.12f", r.Euclidean, tc.euclidean)
			}
			if r.Score != r.Angular {
				t.Errorf("default score = %v, want the angular %v", r.Score, r.Angular)
			}
		})
	}
}

// TestCompareRotationsAll sweeps d(R(a), R(b)) = min(|a−b|, |a+b|) over a
// grid, so both the rotation and the reflection branch must be found.
func TestCompareRotationsAll(t *testing.T) {
	for _, x := range []float64{-2.5, -1, -0.3, 0.2, 0.9, 1.4, 2.8} {
		for _, y := range []float64{-2.9, -1.2, 0.1, 0.6, 1.5, 3} {
			want := math.Min(angleDiff(x, y), angleDiff(x, -y))
			r := mustCompare(t, rot(x), rot(y), DefaultParams())
			if math.Abs(r.Angular-want) > 1e-9 {
				t.Errorf("d(R(%v), R(%v)) = %.12f, want %.12f", x, y, r.Angular, want)
			}
		}
	}
}

// angleDiff is |x − y| wrapped to [0, π].
func angleDiff(x, y float64) float64 {
	d := math.Mod(math.Abs(x-y), 2*math.Pi)
	return math.Min(d, 2*math.Pi-d)
}

func randomMatrix(r *rand.Rand, n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m.Set(i, j, r.NormFloat64())
		}
	}
	return m
}

// TestCompareConjugates: B = Q X Qᵀ with det Q = ±1 must be at distance 0.
func TestCompareConjugates(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	sizes := []int{6, 10, 20, 30}
	for _, n := range sizes {
		for _, det := range []float64{1, -1} {
			x := randomMatrix(r, n)
			q := mat.NewDense(n, n, randomOrthogonal(r.NormFloat64, n))
			if math.Signbit(mat.Det(q)) != math.Signbit(det) {
				for i := 0; i < n; i++ {
					q.Set(i, 0, -q.At(i, 0))
				}
			}
			var b mat.Dense
			b.Product(q, x, q.T())
			res := mustCompare(t, x, &b, DefaultParams())
			checkResult(t, res)
			if res.Angular > 1e-8 || res.Euclidean > 1e-8 {
				t.Errorf("n=%d det=%v: angular %.2e, euclidean %.2e, want < 1e-8 (start %d, %d iterations)",
					n, det, res.Angular, res.Euclidean, res.Start, res.Iters)
			}
		}
	}
}

// TestCompareSymmetric checks d(A,B) = d(B,A) exactly (pairs are solved in
// a canonical order) and that the C returned for (B,A) is the transpose.
func TestCompareSymmetric(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{3, 8, 20} {
		a, b := randomMatrix(r, n), randomMatrix(r, n)
		ab := mustCompare(t, a, b, DefaultParams())
		ba := mustCompare(t, b, a, DefaultParams())
		if ab.Angular != ba.Angular || ab.Wasserstein != ba.Wasserstein {
			t.Errorf("n=%d: d(A,B) = %.15g, %.15g; d(B,A) = %.15g, %.15g", n, ab.Angular, ab.Wasserstein, ba.Angular, ba.Wasserstein)
		}
		if !mat.Equal(ab.C, ba.C.T()) {
			t.Errorf("n=%d: C(A,B) is not C(B,A)ᵀ", n)
		}
	}
}

// TestCompareScores checks T2's numbers for each score on the fitted
// operators (A_v(D2) is similar to diag(0.95, 0.7), not orthogonally).
func TestCompareScores(t *testing.T) {
	a := mustFit(t, havokD1(), fullRank(1)).A
	b := mustFit(t, havokD2(), fullRank(1)).A
	for _, tc := range []struct {
		score string
		want  float64
	}{
		{Angular, 0.206314753975},
		{Euclidean, 0.205949034121},
		{Wasserstein, 0.06125},
	} {
		t.Run(tc.score, func(t *testing.T) {
			p := DefaultParams()
			p.Score = tc.score
			r := mustCompare(t, a, b, p)
			if math.Abs(r.Score-tc.want) > 1e-10 {
				t.Errorf("score = %.12f, want %.12f", r.Score, tc.want)
			}
			if math.Abs(r.Wasserstein-0.06125) > 1e-12 {
				t.Errorf("wasserstein = %.15f, want 0.06125", r.Wasserstein)
			}
			if tc.score == Wasserstein && (r.C != nil || !math.IsNaN(r.Angular)) {
				t.Errorf("wasserstein ran the optimiser: C = %v, angular = %v", r.C, r.Angular)
			}
		})
	}
}

// TestCompareModels fits T2's systems and compares the models: invariance
// cases are 0 at full rank, and the D1/D2 pair gives T2's numbers.
func TestCompareModels(t *testing.T) {
	p := fullRank(1)
	d1 := havokD1()
	m1 := mustFit(t, d1, p)
	q := rot(0.7)
	var three mat.Dense
	three.Scale(3, q.T())
	zero := []struct {
		name string
		tr   Trials
	}{
		{"rotated", mapTrials(d1, q.T())},
		{"rotated and scaled", mapTrials(d1, &three)},
		{"anisotropic diag(1,3)", mapTrials(d1, mat.NewDense(2, 2, []float64{1, 0, 0, 3}))},
	}
	for _, tc := range zero {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(m1, mustFit(t, tc.tr, p), DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			if r.Angular > 1e-8 {
				t.Errorf("angular = %.2e, want 0", r.Angular)
			}
		})
	}
	r, err := Compare(m1, mustFit(t, havokD2(), p), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Angular-0.206314753975) > 1e-9 || math.Abs(r.Wasserstein-0.06125) > 1e-12 {
		t.Errorf("D1 vs D2: angular %.12f, wasserstein %.15f; want 0.206314753975, 0.06125", r.Angular, r.Wasserstein)
	}
}

// TestCompareInvertibleMapFullRank: at full rank, data mapped by any
// invertible matrix gives an orthogonally similar operator.
func TestCompareInvertibleMapFullRank(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	tr := randomTrials(r, 4, 50, 5)
	m := randomMatrix(r, 5)
	p := fullRank(2)
	res, err := Compare(mustFit(t, tr, p), mustFit(t, mapTrials(tr, m), p), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if res.Angular > 1e-8 {
		t.Errorf("angular = %.2e, want < 1e-8", res.Angular)
	}
}

func TestCompareUnequalSizes(t *testing.T) {
	a := mat.NewDense(2, 2, []float64{0.9, 0.2, -0.1, 0.5})
	pad := mat.NewDense(3, 3, []float64{0.9, 0.2, 0, -0.1, 0.5, 0, 0, 0, 0})
	b := randomMatrix(rand.New(rand.NewPCG(17, 18)), 3)
	for _, score := range []string{Angular, Wasserstein} {
		p := DefaultParams()
		p.Score = score
		small := mustCompare(t, a, b, p)
		padded := mustCompare(t, pad, b, p)
		if math.Abs(small.Score-padded.Score) > 1e-12 {
			t.Errorf("%s: 2×2 vs 3×3 gives %.15g, zero-padded gives %.15g", score, small.Score, padded.Score)
		}
	}
}

func TestCompareRejects(t *testing.T) {
	a := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
	tests := []struct {
		name string
		a, b *mat.Dense
		mod  func(*Params)
	}{
		{"zero operator", a, mat.NewDense(2, 2, nil), func(*Params) {}},
		{"nan", a, mat.NewDense(2, 2, []float64{math.NaN(), 0, 0, 1}), func(*Params) {}},
		{"non-square", a, mat.NewDense(2, 3, nil), func(*Params) {}},
		{"bad score", a, a, func(p *Params) { p.Score = "cosine" }},
		{"no iterations", a, a, func(p *Params) { p.MaxIter = 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			tc.mod(&p)
			if _, err := CompareOperators(tc.a, tc.b, p); err == nil {
				t.Error("CompareOperators succeeded, want an error")
			}
		})
	}
}

// TestAscentWithoutSpectralStart exercises the optimiser alone: the
// spectral start solves exact conjugates outright, so here it is left out.
// Every run must reach a critical point (‖W‖ < tol), and the best of the
// identity, reflection and 16 random starts must find the conjugacy.
func TestAscentWithoutSpectralStart(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{6, 10, 20} {
		x := randomMatrix(r, n)
		q := mat.NewDense(n, n, randomOrthogonal(r.NormFloat64, n))
		var b mat.Dense
		b.Product(q, x, q.T())
		an, _ := unitPadded(x, n)
		bn, _ := unitPadded(&b, n)
		s := newAscent(an, bn, n)
		best := math.Inf(1)
		for i, c0 := range starts(an, bn, symEigenvectors(an, n), n, 16) {
			if i == 0 {
				continue
			}
			s.run(c0, 1e-10, 1000)
			if s.wn >= 1e-10 {
				t.Errorf("n=%d start %d: ‖W‖ = %.2e after 1000 iterations, want < 1e-10", n, i, s.wn)
			}
			angular, _ := scores(an, bn, s.c, n)
			best = math.Min(best, angular)
		}
		if best > 1e-8 {
			t.Errorf("n=%d: best angular %.2e from non-spectral starts, want < 1e-8", n, best)
		}
	}
}
