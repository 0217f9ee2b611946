package lap

import (
	"errors"
	"math"
	"strconv"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

func TestSolveReference(t *testing.T) {
	c2 := []float64{.9, .1, .5, .3, .2, .8, .4, .6, .7, .3, .2, .9, .4, .6, .8, .1}
	tests := []struct {
		name       string
		cost       []float64
		rows, cols int
		maximize   bool
		want       []int
		total      float64
	}{
		{"T5 3x3 min", []float64{4, 1, 3, 2, 0, 5, 3, 2, 2}, 3, 3, false, []int{1, 0, 2}, 5},
		{"T5 C2 max", c2, 4, 4, true, []int{0, 1, 3, 2}, 3.4},
		{"T5 C2 min", c2, 4, 4, false, []int{1, 0, 2, 3}, 0.6},
		{"constant", []float64{7, 7, 7, 7, 7, 7, 7, 7, 7}, 3, 3, false, []int{0, 1, 2}, 21},
		{"constant max", []float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 4, 4, true, []int{0, 1, 2, 3}, 8},
		{"constant wide", []float64{1, 1, 1, 1, 1, 1}, 2, 3, false, []int{0, 1}, 2},
		{"constant tall", []float64{1, 1, 1, 1, 1, 1}, 3, 2, false, []int{0, 1, -1}, 2},
		{"wide", []float64{5, 1, 9, 3, 2, 8}, 2, 3, false, []int{1, 0}, 4},
		{"tall", []float64{5, 3, 1, 2, 9, 8}, 3, 2, false, []int{1, 0, -1}, 4},
		{"tall max", []float64{5, 3, 1, 2, 9, 8}, 3, 2, true, []int{0, -1, 1}, 13},
		{"empty", nil, 0, 0, false, []int{}, 0},
		{"negative", []float64{-1, -5, -3, -2}, 2, 2, false, []int{1, 0}, -8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := Solve(tc.cost, tc.rows, tc.cols, tc.maximize)
			if err != nil {
				t.Fatal(err)
			}
			if !equalInts(got, tc.want) {
				t.Errorf("assign = %v, want %v", got, tc.want)
			}
			if math.Abs(total-tc.total) > 1e-12 {
				t.Errorf("total = %v, want %v", total, tc.total)
			}
		})
	}
}

func TestSolveRejects(t *testing.T) {
	tests := []struct {
		name string
		cost []float64
		want error
	}{
		{"nan", []float64{1, math.NaN(), 0, 1}, ErrNotFinite},
		{"+inf", []float64{1, math.Inf(1), 0, 1}, ErrNotFinite},
		{"-inf", []float64{1, 2, math.Inf(-1), 1}, ErrNotFinite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Solve(tc.cost, 2, 2, false); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, _, err := Solve([]float64{1, 2, 3}, 2, 2, false); err == nil {
		t.Error("wrong length: got nil error")
	}
}

// TestSolveBruteForce compares against enumeration of all injections on
// random matrices, square and rectangular, both senses.
func TestSolveBruteForce(t *testing.T) {
	rng := seed.New("lap", "bruteforce")
	for trial := 0; trial < 300; trial++ {
		rows, cols := 1+rng.IntN(8), 1+rng.IntN(8)
		if trial%3 == 0 {
			cols = rows
		}
		cost := make([]float64, rows*cols)
		for k := range cost {
			cost[k] = rng.NormFloat64()
			if trial%5 == 0 {
				cost[k] = float64(rng.IntN(3)) // many ties
			}
		}
		for _, maximize := range []bool{false, true} {
			name := strconv.Itoa(trial) + "/" + strconv.Itoa(rows) + "x" + strconv.Itoa(cols)
			if maximize {
				name += "/max"
			}
			t.Run(name, func(t *testing.T) {
				assign, total, err := Solve(cost, rows, cols, maximize)
				if err != nil {
					t.Fatal(err)
				}
				checkAssignment(t, assign, rows, cols)
				want := bruteForce(cost, rows, cols, maximize)
				if math.Abs(total-want) > 1e-9 {
					t.Errorf("total = %v, want %v", total, want)
				}
			})
		}
	}
}

func TestSolveDenseMatchesSolve(t *testing.T) {
	m := mat.NewDense(2, 3, []float64{5, 1, 9, 3, 2, 8})
	got, total, err := SolveDense(m, true)
	if err != nil {
		t.Fatal(err)
	}
	want, wantTotal, _ := Solve(m.RawMatrix().Data, 2, 3, true)
	if !equalInts(got, want) || total != wantTotal {
		t.Errorf("SolveDense = %v %v, want %v %v", got, total, want, wantTotal)
	}
}

func checkAssignment(t *testing.T, assign []int, rows, cols int) {
	t.Helper()
	used := make([]bool, cols)
	n := 0
	for _, j := range assign {
		if j == -1 {
			continue
		}
		if used[j] {
			t.Fatalf("column %d used twice in %v", j, assign)
		}
		used[j] = true
		n++
	}
	if want := min(rows, cols); n != want {
		t.Fatalf("assigned %d rows, want %d (%v)", n, want, assign)
	}
}

// bruteForce enumerates injections of the smaller side into the larger.
func bruteForce(cost []float64, rows, cols int, maximize bool) float64 {
	oc := cols
	at := func(i, j int) float64 { return cost[i*oc+j] }
	if rows > cols {
		at = func(i, j int) float64 { return cost[j*oc+i] }
		rows, cols = cols, rows
	}
	best := math.Inf(1)
	if maximize {
		best = math.Inf(-1)
	}
	used := make([]bool, cols)
	var rec func(i int, sum float64)
	rec = func(i int, sum float64) {
		if i == rows {
			if (maximize && sum > best) || (!maximize && sum < best) {
				best = sum
			}
			return
		}
		for j := 0; j < cols; j++ {
			if !used[j] {
				used[j] = true
				rec(i+1, sum+at(i, j))
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func benchmarkSolve(b *testing.B, n int) {
	rng := seed.New("lap", "bench", strconv.Itoa(n))
	cost := make([]float64, n*n)
	for k := range cost {
		cost[k] = rng.Float64()
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Solve(cost, n, n, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSolve128(b *testing.B) { benchmarkSolve(b, 128) }
func BenchmarkSolve512(b *testing.B) { benchmarkSolve(b, 512) }
