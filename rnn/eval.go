package rnn

// Run evaluates nt on b in float32, exactly as training's forward pass does.
// It returns the states hₜ (T·B·n, time-major: [(t·B+b)·n+i]), the outputs
// (T·B·Out, Y's layout) and the masked MSE against b.Y. It allocates a
// workspace per call: it is for evaluation, not for the training loop.
func (nt *Net) Run(b *Batch) (h, y []float32, mse float64, err error) {
	if err := b.check(nt.In, nt.Out); err != nil {
		return nil, nil, 0, err
	}
	w := newWork(nt.m, ops32)
	w.load(nt.m, b)
	w.forward(nt.m)
	return w.h, w.yhat, w.loss(), nil
}
