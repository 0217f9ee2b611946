package dsa

import "math"

// The standard library's elementary functions are compiled like any Go
// code: at GOAMD64=v3 (and on arm64) their polynomials fuse into FMAs and
// their last bits change. These copies of math's Cephes-based asin/acos
// (BSD licence, Go authors) round every product explicitly, so they give
// math's GOAMD64=v1 bits on every target. Sqrt is exact everywhere.

// hypot is √(x²+y²) without undue overflow, with rounded products.
func hypot(x, y float64) float64 {
	x, y = math.Abs(x), math.Abs(y)
	if x < y {
		x, y = y, x
	}
	if x == 0 {
		return 0
	}
	q := y / x
	return x * math.Sqrt(1+float64(q*q))
}
