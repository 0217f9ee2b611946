package dense

import (
	"math"
	"testing"

	"degen/internal/seed"
)

func TestMulABt(t *testing.T) {
	rng := seed.New("kernel")
	for _, dims := range [][3]int{{1, 1, 1}, {3, 5, 7}, {4, 4, 4}, {5, 6, 3}, {8, 9, 16}, {7, 2, 5}} {
		r, c, k := dims[0], dims[1], dims[2]
		x, y := make([]float64, r*k), make([]float64, c*k)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := range y {
			y[i] = rng.NormFloat64()
		}
		got := make([]float64, r*c)
		MulABt(got, x, y, r, c, k)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				// Same order as the kernel: index order, rounded products.
				var want float64
				for t := 0; t < k; t++ {
					want += float64(x[i*k+t] * y[j*k+t])
				}
				if got[i*c+j] != want {
					t.Fatalf("%v: (%d,%d) = %v, want %v", dims, i, j, got[i*c+j], want)
				}
			}
		}
	}
}

func BenchmarkMulABt128(b *testing.B) {
	const n = 128
	rng := seed.New("kernel", "bench")
	x, y, d := make([]float64, 2*n*n), make([]float64, 2*n*n), make([]float64, n*n)
	for i := range x {
		x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	for b.Loop() {
		MulABt(d, x, y, n, n, 2*n)
	}
}

func TestGramFrob2(t *testing.T) {
	rng := seed.New("kernel", "gram")
	for _, dims := range [][2]int{{1, 3}, {2, 5}, {3, 4}, {6, 7}, {7, 2}} {
		r, k := dims[0], dims[1]
		x := make([]float64, r*k)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		g := make([]float64, r*r)
		MulABt(g, x, x, r, r, k)
		want := Dot(g, g)
		if got := GramFrob2(x, r, k); math.Abs(got-want) > 1e-12*want {
			t.Errorf("%v: GramFrob2 = %v, want %v", dims, got, want)
		}
	}
}
