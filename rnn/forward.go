package rnn

// forward runs the loaded batch through m, filling h (and r), yhat.
func (w *work[F]) forward(m *net[F]) {
	if m.mup {
		w.forwardMuP(m)
	} else {
		w.forwardSP(m)
	}
}

// forwardSP: H = X·W_inᵀ for all steps at once; then per step
// h_t += h_{t−1}·W_recᵀ (the FMA chain continues from the input projection)
// and h_t = tanh(h_t + b); yhat = H·W_outᵀ + b_out.
func (w *work[F]) forwardSP(m *net[F]) {
	n, tb := m.n, w.T*w.B
	transpose(w.inT, m.win, n, m.in)
	transpose(w.recT, m.wrec, n, n)
	transpose(w.outT, m.wout, m.out, n)
	w.ops.matMul(w.h, w.x, w.inT, tb, m.in, n, false)
	w.ops.addBiasTanh(w.block(w.h, 0, n), m.b, w.B, n) // h₋₁ = 0
	for t := 1; t < w.T; t++ {
		z := w.block(w.h, t, n)
		w.ops.matMul(z, w.block(w.h, t-1, n), w.recT, w.B, n, n, true)
		w.ops.addBiasTanh(z, m.b, w.B, n)
	}
	for r := 0; r < tb; r++ {
		copy(w.yhat[r*m.out:(r+1)*m.out], m.bout)
	}
	w.ops.matMul(w.yhat, w.h, w.outT, tb, n, m.out, true)
}

// forwardMuP: pre = X·Uᵀ for all steps; per step
// h_t = decay·h_{t−1} + recScale·(r_{t−1}·Jᵀ) + inScale·pre_t, r_t = tanh(h_t);
// yhat = outScale·(R·Wᵀ).
func (w *work[F]) forwardMuP(m *net[F]) {
	n, tb := m.n, w.T*w.B
	transpose(w.inT, m.win, n, m.in)
	transpose(w.recT, m.wrec, n, n)
	transpose(w.outT, m.wout, m.out, n)
	w.ops.matMul(w.pre, w.x, w.inT, tb, m.in, n, false)
	h0, p0 := w.block(w.h, 0, n), w.block(w.pre, 0, n)
	for i, p := range p0 {
		h0[i] = m.inScale * p // h₀ = 0 and r₀ = 0
	}
	w.ops.tanh(w.block(w.r, 0, n), h0)
	for t := 1; t < w.T; t++ {
		w.ops.matMul(w.q, w.block(w.r, t-1, n), w.recT, w.B, n, n, false)
		hp, ht, pt := w.block(w.h, t-1, n), w.block(w.h, t, n), w.block(w.pre, t, n)
		for i, q := range w.q {
			ht[i] = F(m.decay*hp[i]) + F(m.recScale*q) + F(m.inScale*pt[i])
		}
		w.ops.tanh(w.block(w.r, t, n), ht)
	}
	w.ops.matMul(w.yhat, w.r, w.outT, tb, n, m.out, false)
	scale(w.yhat, m.outScale)
}

// loss returns the masked MSE (mean over steps, trials and outputs, or
// Σ mask·err²/Σ mask) summed in float64 in index order, and sets dy = ∂MSE/∂yhat.
func (w *work[F]) loss() float64 {
	var sum, cnt float64
	for i, yh := range w.yhat {
		d := yh - w.y[i]
		w.dy[i] = d
		e := float64(float64(d) * float64(d)) // rounded: no FMA into sum
		if w.hasMask {
			e = float64(e * float64(w.mask[i]))
			cnt += float64(w.mask[i])
		} else {
			cnt++
		}
		sum += e
	}
	if cnt == 0 {
		clear(w.dy)
		return 0
	}
	g := F(2 / cnt)
	for i, d := range w.dy {
		if w.hasMask {
			d *= w.mask[i]
		}
		w.dy[i] = g * d
	}
	return sum / cnt
}
