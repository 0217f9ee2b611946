package linalg

import "math"

// eps is the unit roundoff of float64, 2⁻⁵³.
const eps = 0x1p-53

// subScaled is y −= a·x, each product rounded before the subtraction.
func subScaled(y, x []float64, a float64) {
	x = x[:len(y)]
	for j := range y {
		y[j] -= float64(a * x[j])
	}
}

// subScaled4 is subScaled with a0·x0, a1·x1, a2·x2, a3·x3 in that order: the
// same bits as four subScaled calls, one load and store of y instead of four.
func subScaled4(y, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64) {
	n := len(y)
	x0, x1, x2, x3 = x0[:n], x1[:n], x2[:n], x3[:n]
	for j := range y {
		v := y[j]
		v -= float64(a0 * x0[j])
		v -= float64(a1 * x1[j])
		v -= float64(a2 * x2[j])
		v -= float64(a3 * x3[j])
		y[j] = v
	}
}

// dot is Σ x[j]·y[j] in index order.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s float64
	for j := range x {
		s += float64(x[j] * y[j])
	}
	return s
}

// dot3 returns ‖x‖², ‖y‖² and x·y in one pass, each summed in index order.
func dot3(x, y []float64) (xx, yy, xy float64) {
	y = y[:len(x)]
	for j, a := range x {
		b := y[j]
		xx += float64(a * a)
		yy += float64(b * b)
		xy += float64(a * b)
	}
	return xx, yy, xy
}

// rotate applies the plane rotation [x y] ← [c·x − s·y, s·x + c·y].
func rotate(x, y []float64, c, s float64) {
	y = y[:len(x)]
	for j, a := range x {
		b := y[j]
		x[j] = float64(c*a) - float64(s*b)
		y[j] = float64(s*a) + float64(c*b)
	}
}

// finite reports whether every entry of a is finite.
func finite(a []float64) bool {
	for _, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// frob is ‖a‖_F summed in index order.
func frob(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// grow returns buf resized to n, reallocated only when too small.
func grow(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n)
	}
	return buf[:n]
}

func growInt(buf []int, n int) []int {
	if cap(buf) < n {
		return make([]int, n)
	}
	return buf[:n]
}

// checkDims panics on a matrix whose slice does not hold m×n entries: a
// caller's bug, as in gonum's mat.
func checkDims(a []float64, m, n int) {
	if m < 0 || n < 0 || len(a) != m*n {
		panic("linalg: matrix slice has the wrong length for its dimensions")
	}
}
