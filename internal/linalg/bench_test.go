package linalg

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The Gonum benchmarks are the replaced calls, for comparison.

func BenchmarkPolar(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			w := gaussian(n, n, "bench")
			var p Polar
			p.Factorize(w, n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p.Factorize(w, n)
			}
			b.ReportMetric(float64(p.Iterations()), "steps")
		})
	}
}

func BenchmarkGonumSVDThin(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			w := mat.NewDense(n, n, gaussian(n, n, "bench"))
			var svd mat.SVD
			for i := 0; i < b.N; i++ {
				svd.Factorize(w, mat.SVDThin)
			}
		})
	}
}

func BenchmarkSingularValues(b *testing.B) {
	for _, n := range []int{32, 128} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			a := gaussian(n, n, "bench")
			var s SVD
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s.Values(a, n, n)
			}
		})
	}
}

func BenchmarkGonumSVDNone(b *testing.B) {
	for _, n := range []int{32, 128} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			a := mat.NewDense(n, n, gaussian(n, n, "bench"))
			var svd mat.SVD
			for i := 0; i < b.N; i++ {
				svd.Factorize(a, mat.SVDNone)
			}
		})
	}
}

func BenchmarkSymEigen(b *testing.B) {
	const n = 64
	a := symmetric(n, "bench")
	var e SymEigen
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Factorize(a, n)
	}
}

func BenchmarkGonumEigenSym(b *testing.B) {
	const n = 64
	a := mat.NewSymDense(n, symmetric(n, "bench"))
	var es mat.EigenSym
	for i := 0; i < b.N; i++ {
		es.Factorize(a, true)
	}
}
