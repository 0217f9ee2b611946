package kernels

import "math"

// Fma32 returns a·b+c rounded once to float32, exactly as VFMADD231PS does.
//
// a·b is exact in float64 (24+24 bits < 53). The sum p+c is rounded to
// float64 and then to float32, and two roundings can differ from one when the
// float64 result lands exactly between two float32 values. Rounding the
// float64 sum to odd (Boldo & Melquiond 2008) makes the second rounding
// correct because 53 ≥ 24+2: if the sum was inexact and its last bit is even,
// step it one ulp toward the exact value.
func Fma32(a, b, c float32) float32 {
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
			bp := b[p*n : p*n+n]
			for j := range ci {
				ci[j] = Fma32(av, bp[j], ci[j])
			}
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
			ci := c[i*n : i*n+n]
			for j := range ci {
				ci[j] = Fma32(av, bp[j], ci[j])
			}
		}
	}
}
