package rnn

import "fmt"

// Batch is B trials of T steps, time-major: X[(t·B+b)·In+i], Y[(t·B+b)·Out+o].
// Mask, if not nil, has Y's layout and weights each squared error (the loss
// divides by Σ Mask instead of T·B·Out). It has the fields of tasks.Batch, so
// a *tasks.Batch converts with rnn.Batch(*tb).
type Batch struct {
	B, T, In, Out int
	X, Y, Mask    []float32
}

func (b *Batch) check(in, out int) error {
	switch {
	case b.B < 1 || b.T < 1:
		return fmt.Errorf("rnn: batch B=%d T=%d, want ≥ 1", b.B, b.T)
	case b.In != in || b.Out != out:
		return fmt.Errorf("rnn: batch in=%d out=%d, network in=%d out=%d", b.In, b.Out, in, out)
	case len(b.X) != b.T*b.B*b.In || len(b.Y) != b.T*b.B*b.Out:
		return fmt.Errorf("rnn: batch X has %d values, Y %d; want %d and %d", len(b.X), len(b.Y), b.T*b.B*b.In, b.T*b.B*b.Out)
	case b.Mask != nil && len(b.Mask) != len(b.Y):
		return fmt.Errorf("rnn: batch mask has %d values, want %d", len(b.Mask), len(b.Y))
	}
	return nil
}
