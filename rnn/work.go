package rnn

// work is one network's buffers for batches up to B×T. Stacked buffers hold
// T blocks of B×n (or B×in, B×out), block t at offset t·B·width.
type work[F float] struct {
	ops        *ops[F]
	B, T       int // current batch shape
	x, y, mask []F // the batch, converted to F
	hasMask    bool
	recT       []F // n×n: W_recᵀ (Jᵀ), so the per-step product is a plain MatMul
	inT        []F // in×n
	outT       []F // n×out
	pre        []F // µP TB×n: input projection (SP projects straight into h)
	ones       []F // TB ones, for column sums
	h          []F // TB×n: states
	r          []F // TB×n: µP rates tanh(h)
	q          []F // B×n: µP recurrent product of one step
	yhat       []F // TB×out
	dy         []F // TB×out
	dh         []F // TB×n: ∂L/∂(state) direct, then δ (SP) or g (µP) in place
	e          []F // TB×n: µP recScale·g
	grad       []F // like theta
}

func newWork[F float](m *net[F], o *ops[F]) *work[F] {
	n := m.n
	return &work[F]{ops: o, recT: make([]F, n*n), inT: make([]F, m.in*n), outT: make([]F, n*m.out), grad: make([]F, len(m.theta))}
}

// size grows the batch-dependent buffers to B×T; it allocates only when the
// batch is larger than any before.
func (w *work[F]) size(m *net[F], B, T int) {
	w.B, w.T = B, T
	tb := T * B
	grow := func(s *[]F, k int) {
		if cap(*s) < k {
			*s = make([]F, k)
		}
		*s = (*s)[:k]
	}
	grow(&w.x, tb*m.in)
	grow(&w.y, tb*m.out)
	grow(&w.mask, tb*m.out)
	grow(&w.h, tb*m.n)
	if cap(w.ones) < tb {
		w.ones = make([]F, tb)
		for i := range w.ones {
			w.ones[i] = 1
		}
	}
	grow(&w.yhat, tb*m.out)
	grow(&w.dy, tb*m.out)
	grow(&w.dh, tb*m.n)
	if m.mup {
		grow(&w.pre, tb*m.n)
		grow(&w.r, tb*m.n)
		grow(&w.e, tb*m.n)
		grow(&w.q, B*m.n)
	}
}

// load copies the batch in, converting to F.
func (w *work[F]) load(m *net[F], b *Batch) {
	w.size(m, b.B, b.T)
	for i, v := range b.X {
		w.x[i] = F(v)
	}
	for i, v := range b.Y {
		w.y[i] = F(v)
	}
	w.hasMask = b.Mask != nil
	if w.hasMask {
		for i, v := range b.Mask {
			w.mask[i] = F(v)
		}
	}
}

// block returns block t (B rows of width cols) of a stacked buffer.
func (w *work[F]) block(s []F, t, cols int) []F {
	k := w.B * cols
	return s[t*k : t*k+k]
}
