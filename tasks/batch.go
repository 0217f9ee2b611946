package tasks

import (
	"fmt"
	"math/rand/v2"
)

// A Batch is B trials of T steps, stored time-major so that one step of the
// whole batch is one contiguous B×In block of X (and B×Out of Y):
//
//	X[(t*B+b)*In+i]   input i of trial b at step t
//	Y[(t*B+b)*Out+o]  target o of trial b at step t
//
// Mask, when non-nil, has Y's shape and weights each target in the loss.
// Every task here scores every step (SPEC §3: MSE over all steps), so
// generators leave it nil; the field is the hook for a task that does not.
type Batch struct {
	B, T, In, Out int
	X, Y          []float32
	Mask          []float32
}

// NewBatch allocates a batch shaped for B trials of p (OOD length if ood).
// p must be valid.
func NewBatch(p Params, B int, ood bool) *Batch {
	if B < 1 {
		panic(fmt.Sprintf("tasks: NewBatch with B = %d", B))
	}
	in, out := p.Widths()
	T := p.Steps(ood)
	return &Batch{
		B: B, T: T, In: in, Out: out,
		X: make([]float32, T*B*in),
		Y: make([]float32, T*B*out),
	}
}

// Generate fills b with fresh trials of p, drawing only from rng, in the
// order documented on each task (trial by trial, then channel group by
// channel group). It allocates nothing, so the trainer can call it once per
// optimizer step. b must come from NewBatch(p, b.B, ood); a mismatched shape
// is a programming error and panics.
//
// Because draws go trial by trial, the first k trials of a batch equal a
// batch of k trials from the same rng state: a larger set extends a smaller.
func Generate(p Params, b *Batch, rng *rand.Rand, ood bool) {
	in, out := p.Widths()
	T := p.Steps(ood)
	if b.T != T || b.In != in || b.Out != out || len(b.X) != T*b.B*in || len(b.Y) != T*b.B*out {
		panic(fmt.Sprintf("tasks: %s batch is %d×%d×(%d→%d), want T=%d, %d→%d",
			p.Name, b.B, b.T, b.In, b.Out, T, in, out))
	}
	clear(b.X)
	clear(b.Y)
	b.Mask = nil
	switch p.Name {
	case FlipFlop:
		genFlipFlop(p, b, rng)
	case DD:
		genDD(p, b, rng, ood)
	case Sine:
		genSine(p, b, rng)
	case PI:
		genPI(p, b, rng)
	default:
		panic(fmt.Sprintf("tasks: unknown task %q", p.Name))
	}
}

// xAt and yAt index one trial's input/output of a channel group at step t.
func (b *Batch) xAt(t, trial, i int) int { return (t*b.B+trial)*b.In + i }
func (b *Batch) yAt(t, trial, o int) int { return (t*b.B+trial)*b.Out + o }
