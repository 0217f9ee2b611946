package rnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Parameterizations (ModelParams.Param).
const (
	ParamSP  = "sp"
	ParamMuP = "mup"
)

// A Tensor names one parameter matrix and views its values inside the
// network's flat parameter vector (a bias is Rows×1).
type Tensor struct {
	Name       string
	Rows, Cols int
	Data       []float32
}

// Net is a float32 network: its shape and its flat parameter vector.
// Tensors gives the named views; the flat order is the order of Tensors.
type Net struct {
	Model   ModelParams
	In, Out int
	m       *net[float32]
}

// net holds the parameters of either model in one flat slice, so Adam,
// clipping and checkpoints see one vector. For µP, wrec/win/wout are J/U/W
// and b/bout are empty.
type net[F float] struct {
	mup        bool
	n, in, out int
	// µP coefficients, each rounded once from float64:
	// hₜ = decay·hₜ₋₁ + recScale·(J rₜ₋₁) + inScale·(U xₜ); y = outScale·(W r).
	decay, recScale, inScale, outScale F
	theta                              []F
	wrec, win                          []F
	b, wout                            []F
	bout                               []F
}

// layout is the order of tensors in theta; initialisation draws in this order.
func layout(mup bool, n, in, out int) []Tensor {
	if mup {
		return []Tensor{{Name: "J", Rows: n, Cols: n}, {Name: "U", Rows: n, Cols: in}, {Name: "W", Rows: out, Cols: n}}
	}
	return []Tensor{
		{Name: "w_rec", Rows: n, Cols: n}, {Name: "w_in", Rows: n, Cols: in}, {Name: "b", Rows: n, Cols: 1},
		{Name: "w_out", Rows: out, Cols: n}, {Name: "b_out", Rows: out, Cols: 1},
	}
}

// Validate reports a model that cannot be built.
func (p ModelParams) Validate() error {
	switch p.Param {
	case ParamSP, "":
	case ParamMuP:
		if !(p.Gamma > 0) || !(p.Tau > 0 && p.Tau <= 1) {
			return fmt.Errorf("rnn: mup needs gamma > 0 and 0 < tau ≤ 1, got gamma=%g tau=%g", p.Gamma, p.Tau)
		}
	default:
		return fmt.Errorf("rnn: param %q: want %q or %q", p.Param, ParamSP, ParamMuP)
	}
	if p.N < 1 {
		return fmt.Errorf("rnn: n = %d, want ≥ 1", p.N)
	}
	return nil
}

// New returns a network with all parameters zero; Init draws them.
func New(p ModelParams, in, out int) (*Net, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("rnn: in=%d out=%d, want ≥ 1", in, out)
	}
	return &Net{Model: p, In: in, Out: out, m: newNet[float32](p, in, out)}, nil
}

func newNet[F float](p ModelParams, in, out int) *net[F] {
	m := &net[F]{mup: p.Param == ParamMuP, n: p.N, in: in, out: out}
	if m.mup {
		n := float64(p.N)
		m.decay, m.recScale, m.inScale, m.outScale = F(1-p.Tau), F(p.Tau/n), F(p.Tau), F(1/(p.Gamma*n))
	}
	views := layout(m.mup, p.N, in, out)
	size := 0
	for _, v := range views {
		size += v.Rows * v.Cols
	}
	m.theta = make([]F, size)
	rest := m.theta
	take := func(k int) []F { s := rest[:k:k]; rest = rest[k:]; return s }
	n := p.N
	m.wrec, m.win = take(n*n), take(n*in)
	if m.mup {
		m.wout = take(out * n)
	} else {
		m.b, m.wout, m.bout = take(n), take(out*n), take(out)
	}
	return m
}

// Init draws every parameter (SPEC §3) from rng, in layout order, row-major.
// SP: U(−1/√n, 1/√n) for all (PyTorch nn.RNN). µP: J ~ N(0, n), U and W ~ N(0, 1).
func (nt *Net) Init(rng *rand.Rand) {
	th := nt.m.theta
	n := float64(nt.Model.N)
	if !nt.m.mup {
		k := 1 / math.Sqrt(n)
		for i := range th {
			th[i] = float32((2*rng.Float64() - 1) * k)
		}
		return
	}
	sd := math.Sqrt(n)
	for i := range nt.m.wrec {
		th[i] = float32(sd * rng.NormFloat64())
	}
	for i := len(nt.m.wrec); i < len(th); i++ {
		th[i] = float32(rng.NormFloat64())
	}
}

// Tensors returns named views into the parameters, in layout order.
func (nt *Net) Tensors() []Tensor {
	ts := layout(nt.m.mup, nt.Model.N, nt.In, nt.Out)
	off := 0
	for i := range ts {
		k := ts[i].Rows * ts[i].Cols
		ts[i].Data = nt.m.theta[off : off+k : off+k]
		off += k
	}
	return ts
}

// Params is the flat parameter vector (not a copy).
func (nt *Net) Params() []float32 { return nt.m.theta }

// Rec is the recurrent matrix (W_rec, or J for µP), n×n row-major, not a copy.
func (nt *Net) Rec() []float32 { return nt.m.wrec }

// Clone returns an independent copy.
func (nt *Net) Clone() *Net {
	c := &Net{Model: nt.Model, In: nt.In, Out: nt.Out, m: newNet[float32](nt.Model, nt.In, nt.Out)}
	copy(c.m.theta, nt.m.theta)
	return c
}

// to64 is the float64 instance of the same network, for the NTK and checks.
func (nt *Net) to64() *net[float64] {
	m := newNet[float64](nt.Model, nt.In, nt.Out)
	for i, v := range nt.m.theta {
		m.theta[i] = float64(v)
	}
	return m
}
