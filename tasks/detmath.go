package tasks

import "math"

// Deterministic elementary functions. math.Sin, math.Cos and math.Log are
// pure Go on most targets, and the compiler may fuse their x*y+z into an FMA
// (arm64, ppc64, s390x, riscv64, and amd64 at GOAMD64=v3), so their bits
// depend on the build. These copies of the same Cephes/fdlibm algorithms
// force every product to round (float64(x*y)), so a task's bits depend on
// nothing but its parameters and seed. Accuracy matches the originals
// (≤ 1 ulp); the tests compare against package math.

// mulAdd is x*y+z with the product rounded first; the explicit conversion
// forbids fusion even after inlining (Go spec, "Floating-point operators").
func mulAdd(x, y, z float64) float64 { return float64(x*y) + z }

// Cephes sin/cos coefficients on [-π/4, π/4], as in math/sin.go.
var (
	sinCoef = [...]float64{
		1.58962301576546568060e-10,
		-2.50507477628578072866e-8,
		2.75573136213857245213e-6,
		-1.98412698295895385996e-4,
		8.33333333332211858878e-3,
		-1.66666666666666307295e-1,
	}
	cosCoef = [...]float64{
		-1.13585365213876817300e-11,
		2.08757008419747316778e-9,
		-2.75573141792967388112e-7,
		2.48015872888517045348e-5,
		-1.38888888888730564116e-3,
		4.16666666666665929218e-2,
	}
)

// sincosReduceMax bounds |x| for the three-part Cody–Waite reduction, the
// same bound as math's reduceThreshold. Task angles stay far below it.
const sincosReduceMax = 1 << 29

// sincos returns sin x and cos x for |x| < 2²⁹ (NaN beyond: no task angle
// comes near, and Payne–Hanek reduction is not worth carrying).
func sincos(x float64) (sin, cos float64) {
	const (
		pi4A = 7.85398125648498535156e-1 // π/4 in three parts
		pi4B = 3.77489470793079817668e-8
		pi4C = 2.69515142907905952645e-15
	)
	if !(math.Abs(x) < sincosReduceMax) {
		return math.NaN(), math.NaN()
	}
	sinSign, cosSign := false, false
	if x < 0 {
		x = -x
		sinSign = true
	}
	j := uint64(x * (4 / math.Pi)) // octant
	y := float64(j)
	if j&1 == 1 { // map zeros to the origin
		j++
		y++
	}
	j &= 7
	z := ((x - float64(y*pi4A)) - float64(y*pi4B)) - float64(y*pi4C)
	if j > 3 {
		j -= 4
		sinSign, cosSign = !sinSign, !cosSign
	}
	if j > 1 {
		cosSign = !cosSign
	}
	zz := float64(z * z)
	s, c := sinPoly(z, zz), cosPoly(zz)
	if j == 1 || j == 2 {
		s, c = c, s
	}
	if sinSign {
		s = -s
	}
	if cosSign {
		c = -c
	}
	return s, c
}

func sinPoly(z, zz float64) float64 {
	p := sinCoef[0]
	for _, k := range sinCoef[1:] {
		p = mulAdd(p, zz, k)
	}
	return z + float64(float64(z*zz)*p)
}

func cosPoly(zz float64) float64 {
	p := cosCoef[0]
	for _, k := range cosCoef[1:] {
		p = mulAdd(p, zz, k)
	}
	return (1.0 - float64(0.5*zz)) + float64(float64(zz*zz)*p)
}

// sin2pi returns sin(2πx). Reducing x to [0, 1) first is exact, so the
// phase keeps full precision however long the trial.
func sin2pi(x float64) float64 {
	s, _ := sincos(2 * math.Pi * (x - math.Floor(x)))
	return s
}

// log is the natural logarithm for finite x > 0 (fdlibm e_log.c, as in
// math/log.go, with forced rounding).
func log(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		l1    = 6.666666666666735130e-01
		l2    = 3.999999999940941908e-01
		l3    = 2.857142874366239149e-01
		l4    = 2.222219843214978396e-01
		l5    = 1.818357216161805012e-01
		l6    = 1.531383769920937332e-01
		l7    = 1.479819860511658591e-01
	)
	if !(x > 0) || math.IsInf(x, 1) {
		return math.NaN()
	}
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * mulAdd(s4, mulAdd(s4, mulAdd(s4, l7, l5), l3), l1))
	t2 := float64(s4 * mulAdd(s4, mulAdd(s4, l6, l4), l2))
	r := t1 + t2
	hfsq := float64(0.5 * float64(f*f))
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+r)) + float64(k*ln2Lo))) - f)
}

// normalPair turns two uniforms in [0, 1) into two independent standard
// normals (Box–Muller). Unlike rand.NormFloat64 it consumes a fixed number of
// draws and calls no math function whose bits vary by target.
func normalPair(u1, u2 float64) (z1, z2 float64) {
	r := math.Sqrt(-2 * log(1-u1)) // 1-u1 ∈ (0, 1]: log is finite
	s, c := sincos(2 * math.Pi * u2)
	return r * c, r * s
}
