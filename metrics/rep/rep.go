package rep

import (
	"errors"
	"fmt"
	"math"

	"degen/internal/linalg"
	"degen/metrics/internal/dense"

	"gonum.org/v1/gonum/mat"
)

// ErrDegenerate reports a probe whose centred states are all zero.
var ErrDegenerate = errors.New("rep: probe states have zero variance")

// Probe is one network's centred probe states (see the package doc).
type Probe struct {
	ct    []float64 // Xcᵀ, units × samples row-major: each unit's series is contiguous
	units int
	m     int       // samples
	sd    []float64 // √Σ_t Xc[t,k]², per unit (not divided by samples)
	norm  float64   // ‖Xc‖_F
	gram  float64   // ‖XcᵀXc‖_F
}

// NewProbe centres the columns of x (samples × units).
func NewProbe(x mat.Matrix) (*Probe, error) {
	m, n := x.Dims()
	if m < 2 || n < 1 {
		return nil, fmt.Errorf("rep: probe states are %d×%d, want ≥ 2 samples and ≥ 1 unit", m, n)
	}
	p := &Probe{ct: make([]float64, n*m), units: n, m: m, sd: make([]float64, n)}
	var ss float64
	for k := 0; k < n; k++ {
		row := p.ct[k*m : (k+1)*m]
		var mean float64
		for t := range row {
			v := x.At(t, k)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("rep: probe state (%d,%d) is %v", t, k, v)
			}
			row[t] = v
			mean += v
		}
		mean /= float64(m)
		for t := range row {
			row[t] -= mean
		}
		p.sd[k] = math.Sqrt(dense.Dot(row, row))
		ss += float64(p.sd[k] * p.sd[k])
	}
	p.norm = math.Sqrt(ss)
	p.gram = math.Sqrt(dense.GramFrob2(p.ct, n, m))
	return p, nil
}

// Samples and Units are the dimensions of the probe states.
func (p *Probe) Samples() int { return p.m }
func (p *Probe) Units() int   { return p.units }

// Cross returns Xcᵀ Yc (a.Units × b.Units), summed over samples in order
// with the portable kernel, so its bits do not depend on the machine.
func Cross(a, b *Probe) (*mat.Dense, error) {
	if a.m != b.m {
		return nil, fmt.Errorf("rep: probes have %d and %d samples, want equal", a.m, b.m)
	}
	x := make([]float64, a.units*b.units)
	dense.MulABt(x, a.ct, b.ct, a.units, b.units, a.m)
	return mat.NewDense(a.units, b.units, x), nil
}

// Result holds one pair's representational comparison.
type Result struct {
	Angular   float64 // Procrustes angular distance, radians
	Euclidean float64 // Procrustes Euclidean distance
	CKA       float64 // linear CKA similarity
}

// FromCross computes the Result from cross = Cross(a, b).
func FromCross(a, b *Probe, cross *mat.Dense) (Result, error) {
	if a.norm == 0 || b.norm == 0 {
		return Result{}, ErrDegenerate
	}
	nuc, err := nuclear(cross)
	if err != nil {
		return Result{}, err
	}
	cos := math.Min(1, math.Max(-1, nuc/(a.norm*b.norm)))
	e2 := float64(a.norm*a.norm) + float64(b.norm*b.norm) - 2*nuc
	f2 := frob2(cross)
	return Result{
		Angular:   linalg.Acos(cos),
		Euclidean: math.Sqrt(math.Max(0, e2)),
		CKA:       f2 / float64(a.gram*b.gram),
	}, nil
}

// Compare is NewProbe, Cross and FromCross for a single pair.
func Compare(x, y mat.Matrix) (Result, error) {
	a, err := NewProbe(x)
	if err != nil {
		return Result{}, err
	}
	b, err := NewProbe(y)
	if err != nil {
		return Result{}, err
	}
	cross, err := Cross(a, b)
	if err != nil {
		return Result{}, err
	}
	return FromCross(a, b, cross)
}

// Correlation returns the Pearson correlation between every unit of a and
// every unit of b, from cross = Cross(a, b). A constant unit correlates 0
// with everything, so it can still be matched.
func Correlation(a, b *Probe, cross *mat.Dense) *mat.Dense {
	r, c := cross.Dims()
	out := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if d := float64(a.sd[i] * b.sd[j]); d > 0 {
				out.Set(i, j, cross.At(i, j)/d)
			}
		}
	}
	return out
}

// frob2 is ‖m‖²_F summed in row order.
func frob2(m *mat.Dense) float64 {
	r, c := m.Dims()
	var s float64
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)[:c]
		s += dense.Dot(row, row)
	}
	return s
}

// nuclear is ‖cross‖_* = Σσᵢ, summed largest first. The singular values come
// from degen/internal/linalg, whose bits do not depend on the build (gonum's
// SVD changes in the last bits where Go fuses multiply-adds).
func nuclear(cross *mat.Dense) (float64, error) {
	r, c := cross.Dims()
	raw := cross.RawMatrix()
	data := raw.Data[:r*c]
	if raw.Stride != c {
		data = make([]float64, r*c)
		for i := 0; i < r; i++ {
			copy(data[i*c:(i+1)*c], raw.Data[i*raw.Stride:])
		}
	}
	var svd linalg.SVD
	vals, err := svd.Values(data, r, c)
	if err != nil {
		return 0, fmt.Errorf("rep: singular values of the cross-covariance: %w", err)
	}
	var s float64
	for _, v := range vals {
		s += v
	}
	return s, nil
}
