package rnn

// backward fills w.grad with ∂MSE/∂θ, after forward and loss.
func (w *work[F]) backward(m *net[F]) {
	if m.mup {
		w.backwardMuP(m)
	} else {
		w.backwardSP(m)
	}
}

// grads returns the gradient views in layout order (µP: J, U, W).
func (w *work[F]) grads(m *net[F]) (rec, in, b, out, bout []F) {
	g := w.grad
	n := m.n
	rec, g = g[:n*n], g[n*n:]
	in, g = g[:n*m.in], g[n*m.in:]
	if m.mup {
		return rec, in, nil, g[:m.out*n], nil
	}
	b, g = g[:n], g[n:]
	return rec, in, b, g[:m.out*n], g[m.out*n:]
}

// backwardSP: δ_t = (dyₜ·W_out + δ_{t+1}·W_rec) ⊙ (1 − h_t²), then the weight
// gradients as single products over all T·B rows: ∂W_rec = Σ δ_tᵀ h_{t−1},
// ∂W_in = Σ δ_tᵀ x_t, ∂W_out = Σ dyₜᵀ h_t.
func (w *work[F]) backwardSP(m *net[F]) {
	n, tb := m.n, w.T*w.B
	gRec, gIn, gB, gOut, gBout := w.grads(m)
	w.ops.matMulTN(gOut, w.dy, w.h, m.out, tb, n, false)
	w.ops.colSum(gBout, w.dy, w.ones, tb, m.out)
	w.ops.matMul(w.dh, w.dy, m.wout, tb, m.out, n, false)
	for t := w.T - 1; t >= 0; t-- {
		d := w.block(w.dh, t, n)
		if t < w.T-1 {
			w.ops.matMul(d, w.block(w.dh, t+1, n), m.wrec, w.B, n, n, true)
		}
		w.ops.tanhBackward(d, d, w.block(w.h, t, n))
	}
	bn := w.B * n
	w.ops.matMulTN(gRec, w.dh[bn:], w.h[:tb*n-bn], n, tb-w.B, n, false)
	w.ops.matMulTN(gIn, w.dh, w.x, n, tb, m.in, false)
	w.ops.colSum(gB, w.dh, w.ones, tb, n)
}

// backwardMuP, with g_t = ∂L/∂h_t and e_t = recScale·g_t:
// g_t = (dyₜ·W·outScale + e_{t+1}·J) ⊙ (1 − r_t²) + decay·g_{t+1};
// ∂J = Σ e_tᵀ r_{t−1}, ∂U = inScale·Σ g_tᵀ x_t, ∂W = outScale·Σ dyₜᵀ r_t.
func (w *work[F]) backwardMuP(m *net[F]) {
	n, tb := m.n, w.T*w.B
	gJ, gU, _, gW, _ := w.grads(m)
	scale(w.dy, m.outScale)
	w.ops.matMulTN(gW, w.dy, w.r, m.out, tb, n, false)
	w.ops.matMul(w.dh, w.dy, m.wout, tb, m.out, n, false)
	for t := w.T - 1; t >= 0; t-- {
		g := w.block(w.dh, t, n)
		last := t == w.T-1
		if !last {
			w.ops.matMul(g, w.block(w.e, t+1, n), m.wrec, w.B, n, n, true)
		}
		w.ops.tanhBackward(g, g, w.block(w.r, t, n))
		e := w.block(w.e, t, n)
		if !last {
			next := w.block(w.dh, t+1, n)
			for i, gn := range next {
				g[i] += F(m.decay * gn)
			}
		}
		for i, gi := range g {
			e[i] = m.recScale * gi
		}
	}
	bn := w.B * n
	w.ops.matMulTN(gJ, w.e[bn:], w.r[:tb*n-bn], n, tb-w.B, n, false)
	w.ops.matMulTN(gU, w.dh, w.x, n, tb, m.in, false)
	scale(gU, m.inScale)
}
