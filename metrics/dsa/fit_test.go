package dsa

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// linearTrials simulates x_{t+1} = A x_t for t = 0..steps−1 from each x0.
func linearTrials(a *mat.Dense, x0s [][]float64, steps int) Trials {
	n, _ := a.Dims()
	tr := Trials{N: n}
	for _, x0 := range x0s {
		x := mat.NewVecDense(n, append([]float64(nil), x0...))
		data := make([]float64, 0, steps*n)
		for range steps {
			data = append(data, x.RawVector().Data...)
			var nx mat.VecDense
			nx.MulVec(a, x)
			x = &nx
		}
		tr.Data = append(tr.Data, data)
	}
	return tr
}

// mapTrials returns each state multiplied by m on the right: x ↦ x·m.
func mapTrials(tr Trials, m mat.Matrix) Trials {
	_, c := m.Dims()
	out := Trials{N: c}
	for _, d := range tr.Data {
		x := mat.NewDense(len(d)/tr.N, tr.N, d)
		var y mat.Dense
		y.Mul(x, m)
		out.Data = append(out.Data, y.RawMatrix().Data)
	}
	return out
}

var havokX0 = [][]float64{{1, 0}, {0, 1}, {1, 1}}

func havokD1() Trials {
	return linearTrials(mat.NewDense(2, 2, []float64{0.9, -0.2, 0.2, 0.9}), havokX0, 50)
}

func havokD2() Trials {
	return linearTrials(mat.NewDense(2, 2, []float64{0.95, 0, 0, 0.7}), havokX0, 50)
}

func fullRank(m int) Params {
	p := DefaultParams()
	p.NDelays, p.Rank = m, 0
	return p
}

func mustFit(t testing.TB, tr Trials, p Params) *Model {
	t.Helper()
	m, err := Fit(tr, p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFitHavok checks research/metrics.md §5 T2: singular values, spectra and
// the operator itself (up to the diag(±1) conjugation SVD signs allow).
func TestFitHavok(t *testing.T) {
	m1 := mustFit(t, havokD1(), fullRank(1))
	for i, want := range []float64{3.958648727165, 3.314797107499} {
		if got := m1.S[i]; math.Abs(got-want) > 1e-11 {
			t.Errorf("S[%d] = %.12f, want %.12f", i, got, want)
		}
	}
	wantA := mat.NewDense(2, 2, []float64{0.9, 0.167471141592, -0.238847120882, 0.9})
	if !equalUpToSigns(m1.A, wantA, 1e-11) {
		t.Errorf("A_v(D1) = %v, want %v up to diag(±1) conjugation", mat.Formatted(m1.A), mat.Formatted(wantA))
	}
	spectra := []struct {
		name string
		tr   Trials
		p    Params
		want []complex128
	}{
		{"D1 m1 full", havokD1(), fullRank(1), []complex128{complex(0.9, 0.2), complex(0.9, -0.2)}},
		{"D2 m1 full", havokD2(), fullRank(1), []complex128{0.95, 0.7}},
		{"D1 m3 rank2", havokD1(), withRank(fullRank(3), 2), []complex128{complex(0.9, 0.2), complex(0.9, -0.2)}},
		{"D2 m3 rank2", havokD2(), withRank(fullRank(3), 2), []complex128{0.95, 0.7}},
		{"D1 m3 full rank capped at 2", havokD1(), fullRank(3), []complex128{complex(0.9, 0.2), complex(0.9, -0.2)}},
	}
	for _, tc := range spectra {
		t.Run(tc.name, func(t *testing.T) {
			m := mustFit(t, tc.tr, tc.p)
			if m.Rank != len(tc.want) {
				t.Fatalf("rank = %d, want %d", m.Rank, len(tc.want))
			}
			for i, w := range tc.want {
				if d := cmplx.Abs(m.Eig[i] - w); d > 1e-12 {
					t.Errorf("eig[%d] = %v, want %v (off by %.1e)", i, m.Eig[i], w, d)
				}
			}
		})
	}
}

func withRank(p Params, r int) Params { p.Rank = r; return p }

// equalUpToSigns reports whether a = D b D for some D = diag(±1).
func equalUpToSigns(a, b *mat.Dense, tol float64) bool {
	n, _ := a.Dims()
	for mask := 0; mask < 1<<n; mask++ {
		ok := true
		for i := 0; i < n && ok; i++ {
			for j := 0; j < n && ok; j++ {
				s := 1.0
				if (mask>>i)&1 != (mask>>j)&1 {
					s = -1
				}
				ok = math.Abs(a.At(i, j)-s*b.At(i, j)) <= tol
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TestFitMatchesSVD checks the Gram route against gonum's thin SVD of H on a
// random multi-trial data set: singular values, and the operator up to the
// sign convention (the fitted A must be D A_svd D).
func TestFitMatchesSVD(t *testing.T) {
	t.Run("small", func(t *testing.T) {
		p := DefaultParams()
		p.NDelays, p.Rank = 3, 7
		checkAgainstSVD(t, randomTrials(rand.New(rand.NewPCG(3, 4)), 4, 40, 6), p)
	})
	t.Run("benchmark size", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a 3072×640 SVD takes seconds")
		}
		checkAgainstSVD(t, randomTrials(rand.New(rand.NewPCG(41, 42)), 32, 100, 128), DefaultParams())
	})
}

func checkAgainstSVD(t *testing.T, tr Trials, p Params) {
	m := mustFit(t, tr, p)

	h, rows, err := Embed(tr, p.NDelays, p.DelayInterval)
	if err != nil {
		t.Fatal(err)
	}
	var svd mat.SVD
	if !svd.Factorize(h, mat.SVDThinU) {
		t.Fatal("SVD failed")
	}
	s := svd.Values(nil)
	for i := 0; i < m.Rank; i++ {
		if d := math.Abs(m.S[i] - s[i]); d > 1e-12*s[0] {
			t.Errorf("S[%d] = %.15g, SVD gives %.15g", i, m.S[i], s[i])
		}
	}
	var u mat.Dense
	svd.UTo(&u)
	a, err := regress(mat.DenseCopyOf(u.Slice(0, u.RawMatrix().Rows, 0, m.Rank)).RawMatrix().Data, m.Rank, rows, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !equalUpToSigns(m.A, a, 1e-10) {
		t.Errorf("A from the Gram route differs from A from the SVD beyond sign flips:\n%v\n%v",
			mat.Formatted(m.A), mat.Formatted(a))
	}
}

func randomTrials(r *rand.Rand, k, steps, n int) Trials {
	// A random stable linear system with noise, so every direction is excited.
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, r.NormFloat64()/math.Sqrt(float64(2*n)))
		}
	}
	tr := Trials{N: n}
	for range k {
		x := make([]float64, n)
		for i := range x {
			x[i] = r.NormFloat64()
		}
		data := make([]float64, 0, steps*n)
		for range steps {
			data = append(data, x...)
			nx := make([]float64, n)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					nx[i] += a.At(i, j) * x[j]
				}
				nx[i] = math.Tanh(nx[i]) + 0.1*r.NormFloat64()
			}
			x = nx
		}
		tr.Data = append(tr.Data, data)
	}
	return tr
}

func TestFitRankSelection(t *testing.T) {
	tr := randomTrials(rand.New(rand.NewPCG(5, 6)), 3, 30, 4)
	full := mustFit(t, tr, fullRank(2))
	s := full.S
	// The package's sums, products rounded (unfused at any GOAMD64).
	total := 0.0
	for _, x := range s {
		total += float64(x * x)
	}
	cum3 := (float64(s[0]*s[0]) + float64(s[1]*s[1]) + float64(s[2]*s[2])) / total
	tests := []struct {
		name string
		mod  func(*Params)
		want int
	}{
		{"full", func(p *Params) {}, 8},
		{"count", func(p *Params) { p.Rank = 3 }, 3},
		{"count capped", func(p *Params) { p.Rank = 50 }, 8},
		{"threshold between S[2] and S[3]", func(p *Params) { p.RankThresh = (s[2] + s[3]) / 2 }, 3},
		{"threshold above all keeps one", func(p *Params) { p.RankThresh = 2 * s[0] }, 1},
		{"explained variance exactly cum3", func(p *Params) { p.RankExplainedVariance = cum3 }, 3},
		{"explained variance just above cum3", func(p *Params) { p.RankExplainedVariance = cum3 + 1e-9 }, 4},
		{"explained variance 1", func(p *Params) { p.RankExplainedVariance = 1 }, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := fullRank(2)
			tc.mod(&p)
			if got := mustFit(t, tr, p).Rank; got != tc.want {
				t.Errorf("rank = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestFitRidgeShrinks(t *testing.T) {
	tr := havokD2()
	p := fullRank(1)
	ols := mustFit(t, tr, p)
	p.Lambda = 1e-12
	tiny := mustFit(t, tr, p)
	if !mat.EqualApprox(ols.A, tiny.A, 1e-9) {
		t.Errorf("λ = 1e-12 gives %v, λ = 0 gives %v", mat.Formatted(tiny.A), mat.Formatted(ols.A))
	}
	p.Lambda = 10
	big := mustFit(t, tr, p)
	if got, was := mat.Norm(big.A, 2), mat.Norm(ols.A, 2); !(got < was) {
		t.Errorf("‖A‖ with λ = 10 is %v, want below λ = 0's %v", got, was)
	}
}

// TestFitDeterministic checks the same bits from repeated fits under
// different GOMAXPROCS (gonum's matrix products may run in parallel).
func TestFitDeterministic(t *testing.T) {
	tr := randomTrials(rand.New(rand.NewPCG(7, 8)), 6, 60, 24)
	p := DefaultParams()
	ref := mustFit(t, tr, p)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		got := mustFit(t, tr, p)
		if !mat.Equal(got.A, ref.A) {
			t.Errorf("GOMAXPROCS=%d: operator bits differ", procs)
		}
	}
}

func TestFitRejects(t *testing.T) {
	good := havokD1()
	tests := []struct {
		name string
		tr   Trials
		mod  func(*Params)
	}{
		{"two rank selectors", good, func(p *Params) { p.Rank, p.RankThresh = 2, 0.1 }},
		{"no delays", good, func(p *Params) { p.NDelays = 0 }},
		{"negative lambda", good, func(p *Params) { p.Lambda = -1 }},
		{"too short", good, func(p *Params) { p.NDelays = 60 }},
		{"zero data", Trials{N: 2, Data: [][]float64{make([]float64, 20)}}, func(*Params) {}},
		{"nan", Trials{N: 1, Data: [][]float64{{1, math.NaN(), 2, 3}}}, func(*Params) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := fullRank(1)
			tc.mod(&p)
			if m, err := Fit(tc.tr, p); err == nil {
				t.Errorf("Fit succeeded with rank %d, want an error", m.Rank)
			}
		})
	}
}

func TestValidateNamesKey(t *testing.T) {
	tests := []struct {
		key string
		mod func(*Params)
	}{
		{"n_delays", func(p *Params) { p.NDelays = 0 }},
		{"delay_interval", func(p *Params) { p.DelayInterval = -1 }},
		{"rank", func(p *Params) { p.Rank = -2 }},
		{"rank_thresh", func(p *Params) { p.RankThresh = math.NaN() }},
		{"rank_explained_variance", func(p *Params) { p.RankExplainedVariance = 1.5 }},
		{"rank", func(p *Params) { p.RankExplainedVariance = 0.9 }}, // with Rank = 20 set
		{"lambda", func(p *Params) { p.Lambda = math.Inf(1) }},
		{"score", func(p *Params) { p.Score = "" }},
		{"random_starts", func(p *Params) { p.RandomStarts = -1 }},
		{"max_iter", func(p *Params) { p.MaxIter = 0 }},
		{"tol", func(p *Params) { p.Tol = 0 }},
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("DefaultParams().Validate() = %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			p := DefaultParams()
			tc.mod(&p)
			err := p.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tc.key+" = ") {
				t.Errorf("Validate() = %v, want an error starting %q", err, tc.key+" = ")
			}
		})
	}
}

// TestHankelGram checks the lag-structured Gram matrix against HᵀH formed
// directly, on ragged trials with delays spaced τ = 2.
func TestHankelGram(t *testing.T) {
	tr := randomTrials(rand.New(rand.NewPCG(9, 10)), 3, 20, 4)
	tr.Data[1] = tr.Data[1][:13*4]
	for _, c := range []struct{ m, tau int }{{1, 1}, {3, 2}, {5, 1}} {
		h, _, err := Embed(tr, c.m, c.tau)
		if err != nil {
			t.Fatal(err)
		}
		var want mat.Dense
		want.Mul(h.T(), h)
		w := tr.N * c.m
		got := mat.NewDense(w, w, hankelGram(tr, c.m, c.tau))
		if !mat.EqualApprox(got, &want, 1e-12) {
			t.Errorf("m=%d τ=%d: lag Gram differs from HᵀH", c.m, c.tau)
		}
	}
}

// TestSymEigenMatchesEigenSym checks the tridiagonal route (all values,
// the leading vectors by inverse iteration) against gonum's EigenSym: on a
// flat spectrum (λ20/λ21 ≈ 1.01, hard for iterative methods), on exactly
// repeated eigenvalues, and on a rank-deficient Gram matrix.
func TestSymEigenMatchesEigenSym(t *testing.T) {
	noisy := randomTrials(rand.New(rand.NewPCG(19, 20)), 8, 60, 40)
	repeated := make([]float64, 36)
	for i := 0; i < 6; i++ {
		repeated[i*6+i] = float64(3 - i/2) // 3, 3, 2, 2, 1, 1
	}
	for _, tc := range []struct {
		name string
		g    []float64
		n, k int
	}{
		{"flat spectrum 200", hankelGram(noisy, 5, 1), 200, 25},
		{"rank deficient", hankelGram(havokD1(), 3, 1), 6, 2},
		{"repeated", repeated, 6, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := newSymEigen(tc.g, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			var es mat.EigenSym
			if !es.Factorize(mat.NewSymDense(tc.n, tc.g), true) {
				t.Fatal("EigenSym failed")
			}
			want := es.Values(nil)
			for i := 0; i < tc.n; i++ {
				if d := math.Abs(got.values[i] - want[tc.n-1-i]); d > 1e-12*want[tc.n-1] {
					t.Errorf("λ[%d] = %.15g, EigenSym %.15g", i, got.values[i], want[tc.n-1-i])
				}
			}
			u := mat.NewDense(tc.n, tc.k, got.vectors(tc.k))
			g := mat.NewDense(tc.n, tc.n, tc.g)
			var utu, gu mat.Dense
			utu.Mul(u.T(), u)
			gu.Mul(g, u)
			for j := 0; j < tc.k; j++ {
				for i := 0; i < tc.k; i++ {
					want := 0.0
					if i == j {
						want = 1
					}
					if d := math.Abs(utu.At(i, j) - want); d > 1e-12 {
						t.Errorf("(UᵀU)[%d][%d] = %.3g, want %v", i, j, utu.At(i, j), want)
					}
				}
				res := 0.0
				for i := 0; i < tc.n; i++ {
					x := gu.At(i, j) - got.values[j]*u.At(i, j)
					res += x * x
				}
				if math.Sqrt(res) > 1e-12*math.Max(got.values[0], 1) {
					t.Errorf("‖G u%d − λ u%d‖ = %.3g", j, j, math.Sqrt(res))
				}
			}
		})
	}
}

// TestTopValuesMatchQL checks the bisection route (the fit's when a small
// rank is set) against all eigenvalues by QL, on a flat spectrum and on
// exactly repeated eigenvalues, for counts that fill and leave lanes.
func TestTopValuesMatchQL(t *testing.T) {
	noisy := randomTrials(rand.New(rand.NewPCG(19, 20)), 8, 60, 40)
	repeated := make([]float64, 64)
	for i := 0; i < 8; i++ {
		repeated[i*8+i] = float64(4 - i/3)
	}
	for _, tc := range []struct {
		name string
		g    []float64
		n    int
	}{
		{"flat spectrum 200", hankelGram(noisy, 5, 1), 200},
		{"repeated", repeated, 8},
	} {
		for _, k := range []int{1, 3, 4, 7} {
			all, err := newSymEigen(tc.g, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			top, err := reduceSym(append([]float64(nil), tc.g...), tc.n, k)
			if err != nil {
				t.Fatal(err)
			}
			if len(top.values) != k {
				t.Fatalf("%s k=%d: %d values", tc.name, k, len(top.values))
			}
			for i, got := range top.values {
				if want := all.values[i]; math.Abs(got-want) > 1e-13*all.values[0] {
					t.Errorf("%s k=%d: λ[%d] = %.16g by bisection, %.16g by QL", tc.name, k, i, got, want)
				}
			}
		}
	}
}
