package stages

import (
	"context"
	"runtime"
)

// Workers is a budget of goroutines shared by the engine and the stages'
// inner parallelism, so that `-j N` is the total: the engine holds one
// worker per running action, and a stage that splits its work (align's
// pairs) borrows only the workers nobody is using. Results never depend on
// how many it gets: each inner task writes its own slot.
type Workers struct{ free chan struct{} }

// NewWorkers returns a budget of n workers (at least 1).
func NewWorkers(n int) *Workers {
	w := &Workers{free: make(chan struct{}, max(n, 1))}
	for range cap(w.free) {
		w.free <- struct{}{}
	}
	return w
}

// TryAcquire takes up to n workers without waiting and returns how many it
// got.
func (w *Workers) TryAcquire(n int) int {
	for got := 0; got < n; got++ {
		select {
		case <-w.free:
		default:
			return got
		}
	}
	return n
}

// Acquire takes one worker, waiting until one is free; false if ctx ends
// first.
func (w *Workers) Acquire(ctx context.Context) bool {
	select {
	case <-w.free:
		return true
	case <-ctx.Done():
		return false
	}
}

// Release returns n workers.
func (w *Workers) Release(n int) {
	for range n {
		w.free <- struct{}{}
	}
}

type workersKey struct{}

// WithWorkers gives the actions run under ctx the budget w.
func WithWorkers(ctx context.Context, w *Workers) context.Context {
	return context.WithValue(ctx, workersKey{}, w)
}

// borrow returns how many goroutines an action running under ctx may use
// for n independent tasks: itself plus what it could borrow (give back with
// the returned func). Without a budget, as many as GOMAXPROCS.
func borrow(ctx context.Context, n int) (goroutines int, giveBack func()) {
	want := min(n, runtime.GOMAXPROCS(0))
	w, _ := ctx.Value(workersKey{}).(*Workers)
	if w == nil || want <= 1 {
		return max(want, 1), func() {}
	}
	extra := w.TryAcquire(want - 1)
	return 1 + extra, func() { w.Release(extra) }
}
