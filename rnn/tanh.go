package rnn

import "math"

func tanhVec64(dst, src []float64) {
	for i, x := range src[:len(dst)] {
		dst[i] = tanh64(x)
	}
}

// tanh64 is math.Tanh (Cephes) with every product rounded before its
// addition, so its bits are the same on every GOARCH.
func tanh64(x float64) float64 {
	const maxLog = 8.8029691931113054295988e+01 // log(2**127)
	z := math.Abs(x)
	switch {
	case z > 0.5*maxLog:
		if x < 0 {
			return -1
		}
		return 1
	case z >= 0.625:
		s := exp64(2 * z)
		z = 1 - 2/(s+1)
		if x < 0 {
			z = -z
		}
		return z
	case x == 0:
		return x
	}
	const (
		p0 = -9.64399179425052238628e-1
		p1 = -9.92877231001918586564e1
		p2 = -1.61468768441708447952e3
		q0 = 1.12811678491632931402e2
		q1 = 2.23548839060100448583e3
		q2 = 4.84406305325125486048e3
	)
	s := x * x
	num := float64(p0*s) + p1
	num = float64(num*s) + p2
	den := float64((s+q0)*s) + q1
	den = float64(den*s) + q2
	r := float64(x*s) * num / den
	return x + r
}

// exp64 is Go's pure-Go math.Exp for 1 ≤ x ≤ 89 (the only range tanh64
// calls it with), products rounded explicitly. math.Exp itself is assembly
// on amd64 that uses FMA only when the CPU has it, so its bits vary by CPU.
func exp64(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		log2e = 1.44269504088896338700e+00
		e1    = 1.66666666666666657415e-01
		e2    = -2.77777777770155933842e-03
		e3    = 6.61375632143793436117e-05
		e4    = -1.65339022054652515390e-06
		e5    = 4.13813679705723846039e-08
	)
	k := int(float64(log2e*x) + 0.5)
	hi := x - float64(float64(k)*ln2Hi)
	lo := float64(k) * ln2Lo
	r := hi - lo
	t := r * r
	c := float64(t*e5) + e4
	c = float64(t*c) + e3
	c = float64(t*c) + e2
	c = float64(t*c) + e1
	c = r - float64(t*c)
	y := 1 - ((lo - float64(r*c)/(2-c)) - hi)
	return math.Ldexp(y, k)
}
