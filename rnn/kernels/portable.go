package kernels

import "math"

// Fma32 returns a·b+c rounded once to float32, exactly as VFMADD231PS does.
//
// a·b is exact in float64 (24+24 bits < 53), so s = a·b+c in float64 has
// one rounding whether or not the compiler fuses it. Rounding s again to
// float32 is correct unless s landed exactly on a float32 midpoint, where
// the first rounding may have decided the tie: a midpoint strictly between
// the exact sum and s would be a closer float64 than s. That case (and the
// float32-subnormal range, whose midpoints sit elsewhere) takes fma32Slow.
func Fma32(a, b, c float32) float32 {
	if r, ok := fma32Fast(a, b, c); ok {
		return r
	}
	return fma32Slow(a, b, c)
}

// fma32Fast is Fma32 when ok; it is small enough to inline, so hot loops
// call it directly and fall back to fma32Slow about once in 2²⁹.
func fma32Fast(a, b, c float32) (r float32, ok bool) {
	s := float64(a)*float64(b) + float64(c)
	// A midpoint has, of the 29 float64 mantissa bits below float32's, only
	// the top one set.
	u := math.Float64bits(s)
	return float32(s), u&(1<<29-1) != 1<<28 && u&(0x7ff<<52) >= (1023-126)<<52
}

// fma32Slow rounds the float64 sum to odd (Boldo & Melquiond 2008), which
// makes the second rounding correct because 53 ≥ 24+2: if the sum was
// inexact and its last bit is even, step it one ulp toward the exact value.
func fma32Slow(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	cc := float64(c)
	s := p + cc
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return float32(s)
	}
	// TwoSum: e is the exact rounding error of s.
	bv := s - p
	e := (p - (s - bv)) + (cc - bv)
	if e != 0 {
		bits := math.Float64bits(s)
		if bits&1 == 0 {
			if (e > 0) == (s > 0) {
				bits++
			} else {
				bits--
			}
			s = math.Float64frombits(bits)
		}
	}
	return float32(s)
}

// matMulGo: C[m×n] (+)= A[m×k]·B[k×n], all row-major and contiguous.
// Contract: each C[i,j] is the chain acc₀ = (acc ? C[i,j] : 0),
// acc_{p+1} = fma(A[i,p], B[p,j], acc_p) for p = 0..k-1.
func matMulGo(c, a, b []float32, m, k, n int, acc bool) {
	for i := 0; i < m; i++ {
		ci := c[i*n : i*n+n]
		if !acc {
			clear(ci)
		}
		ai := a[i*k : i*k+k]
		for p, av := range ai {
			fmaRow(ci, av, b[p*n:p*n+n])
		}
	}
}

// matMulTNGo: C[m×n] (+)= Aᵀ·B with A stored k×m and B k×n.
// Contract: each C[i,j] is the chain over p = 0..k-1 of fma(A[p,i], B[p,j], ·).
func matMulTNGo(c, a, b []float32, m, k, n int, acc bool) {
	if !acc {
		clear(c[:m*n])
	}
	for p := 0; p < k; p++ {
		ap := a[p*m : p*m+m]
		bp := b[p*n : p*n+n]
		for i, av := range ap {
			fmaRow(c[i*n:i*n+n], av, bp)
		}
	}
}

// fmaRow sets c[j] = Fma32(a, b[j], c[j]) for j < len(c).
func fmaRow(c []float32, a float32, b []float32) {
	b = b[:len(c)]
	for j, cj := range c {
		r, ok := fma32Fast(a, b[j], cj)
		if !ok {
			r = fma32Slow(a, b[j], cj)
		}
		c[j] = r
	}
}
