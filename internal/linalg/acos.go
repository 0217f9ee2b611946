package linalg

import "math"

// Acos is math.Acos with its bits fixed across builds. The standard
// library's elementary functions are compiled like any Go code: at
// GOAMD64=v3 (and on arm64) the polynomial in math's satan fuses into FMAs
// and the last bits of Acos change. This is math's Cephes-based
// asin/acos (BSD licence, the Go authors) with every product rounded
// explicitly, so it gives math's GOAMD64=v1 bits on every target. Sqrt is
// exact everywhere.
func Acos(x float64) float64 { return math.Pi/2 - Asin(x) }

// Asin is math.Asin with every product rounded: math's GOAMD64=v1 bits on
// every target.
func Asin(x float64) float64 {
	if x == 0 {
		return x
	}
	sign := false
	if x < 0 {
		x, sign = -x, true
	}
	if x > 1 {
		return math.NaN()
	}
	temp := math.Sqrt(1 - float64(x*x))
	if x > 0.7 {
		temp = math.Pi/2 - satan(temp/x)
	} else {
		temp = satan(x / temp)
	}
	if sign {
		temp = -temp
	}
	return temp
}

// satan reduces its argument to [0, 0.66] (Cephes).
func satan(x float64) float64 {
	const (
		morebits = 6.123233995736765886130e-17 // π/2 = PIO2 + morebits
		tan3pio8 = 2.41421356237309504880      // tan(3π/8)
	)
	if x <= 0.66 {
		return xatan(x)
	}
	if x > tan3pio8 {
		return math.Pi/2 - xatan(1/x) + morebits
	}
	return math.Pi/4 + xatan((x-1)/(x+1)) + float64(0.5*morebits)
}

// xatan is atan on [0, 0.66], Cephes' rational approximation.
func xatan(x float64) float64 {
	const (
		p0 = -8.750608600031904122785e-01
		p1 = -1.615753718733365076637e+01
		p2 = -7.500855792314704667340e+01
		p3 = -1.228866684490136173410e+02
		p4 = -6.485021904942025371773e+01
		q0 = +2.485846490142306297962e+01
		q1 = +1.650270098316988542046e+02
		q2 = +4.328810604912902668951e+02
		q3 = +4.853903996359136964868e+02
		q4 = +1.945506571482613964425e+02
	)
	z := float64(x * x)
	num := float64(p0*z) + p1
	num = float64(num*z) + p2
	num = float64(num*z) + p3
	num = float64(num*z) + p4
	den := z + q0
	den = float64(den*z) + q1
	den = float64(den*z) + q2
	den = float64(den*z) + q3
	den = float64(den*z) + q4
	z = z * num / den
	return float64(x*z) + x
}
