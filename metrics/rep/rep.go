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
	c     []float64 // Xc, samples × units row-major: the layout Gemm reads for Xcᵀ·Yc
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
	p := &Probe{c: make([]float64, m*n), units: n, m: m, sd: make([]float64, n)}
	if err := p.centre(x); err != nil {
		return nil, err
	}
	g := make([]float64, n*n)
	gramUpper(g, p.c, m, n)
	var ss, diag, off float64
	for k := 0; k < n; k++ {
		v := g[k*n+k]
		p.sd[k] = math.Sqrt(v)
		ss += v
		diag = math.FMA(v, v, diag)
		row := g[k*n+k+1 : (k+1)*n]
		off += dense.DotFMA(row, row)
	}
	p.norm = math.Sqrt(ss)
	p.gram = math.Sqrt(diag + 2*off)
	return p, nil
}

// centre copies x into p.c and removes each column's mean, summed over
// samples in order.
func (p *Probe) centre(x mat.Matrix) error {
	m, n := p.m, p.units
	if d, ok := x.(*mat.Dense); ok {
		raw := d.RawMatrix()
		for t := 0; t < m; t++ {
			copy(p.c[t*n:(t+1)*n], raw.Data[t*raw.Stride:])
		}
	} else {
		for t := 0; t < m; t++ {
			for k := 0; k < n; k++ {
				p.c[t*n+k] = x.At(t, k)
			}
		}
	}
	mean := make([]float64, n)
	for t := 0; t < m; t++ {
		row := p.c[t*n : (t+1)*n]
		for k, v := range row {
			mean[k] += v
		}
		if notFinite(row) {
			for k, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("rep: probe state (%d,%d) is %v", t, k, v)
				}
			}
		}
	}
	for k := range mean {
		mean[k] /= float64(m)
	}
	for t := 0; t < m; t++ {
		row := p.c[t*n : (t+1)*n]
		for k := range row {
			row[k] -= mean[k]
		}
	}
	return nil
}

// notFinite reports a NaN or ±Inf in x: v − v is 0 for every finite v and
// NaN otherwise, and NaN propagates through the sum.
func notFinite(x []float64) bool {
	var s float64
	for _, v := range x {
		s += v - v
	}
	return s != 0
}

// gramBlock is the row block of gramUpper: one Gemm call per block of rows,
// over the columns from the block's first row on.
const gramBlock = 16

// gramUpper sets g[i,j] for j ≥ i (and some j < i near the diagonal) of
// the Gram matrix XcᵀXc, each entry the FMA chain over samples in order
// that Cross computes for the same operands. The entries below are left
// as they were: the Gram matrix is symmetric, so half the work suffices.
func gramUpper(g, c []float64, m, n int) {
	for i0 := 0; i0 < n; i0 += gramBlock {
		rows := min(gramBlock, n-i0)
		dense.Gemm(g[i0*n+i0:], n, c[i0:], 1, n, c[i0:], n, rows, n-i0, m, false)
	}
}

// Samples and Units are the dimensions of the probe states.
func (p *Probe) Samples() int { return p.m }
func (p *Probe) Units() int   { return p.units }

// Cross returns Xcᵀ Yc (a.Units × b.Units): entry (i, j) is the FMA chain
// Σ_t Xc[t,i]·Yc[t,j] over samples in order (dense.Gemm), the same bits on
// every kernel path.
func Cross(a, b *Probe) (*mat.Dense, error) {
	if a.m != b.m {
		return nil, fmt.Errorf("rep: probes have %d and %d samples, want equal", a.m, b.m)
	}
	x := make([]float64, a.units*b.units)
	dense.Gemm(x, b.units, a.c, 1, a.units, b.c, b.units, a.units, b.units, a.m, false)
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

// frob2 is ‖m‖²_F: each row's DotFMA, the rows added in order.
func frob2(m *mat.Dense) float64 {
	r, c := m.Dims()
	var s float64
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)[:c]
		s += dense.DotFMA(row, row)
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
