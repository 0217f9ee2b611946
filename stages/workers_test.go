package stages

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestParallelTakesItsShare: with a budget of 3 workers of which the engine
// holds 2 (two running actions), an align batch runs its pairs on the one
// left, never more; with the budget free it uses all 3 (issue #10: align
// ignored -j and ran GOMAXPROCS goroutines under every running action).
func TestParallelTakesItsShare(t *testing.T) {
	w := NewWorkers(3)
	ctx := WithWorkers(context.Background(), w)
	peak := func() int64 {
		var cur, top atomic.Int64
		parallel(ctx, 64, func(int) {
			n := cur.Add(1)
			for {
				m := top.Load()
				if n <= m || top.CompareAndSwap(m, n) {
					break
				}
			}
			for range 20000 { // long enough for the goroutines to overlap
				_ = cur.Load()
			}
			cur.Add(-1)
		})
		return top.Load()
	}
	if got := w.TryAcquire(2); got != 2 {
		t.Fatalf("TryAcquire(2) = %d", got)
	}
	// The calling action holds the third worker itself; nothing is idle.
	if got := w.TryAcquire(1); got != 1 {
		t.Fatalf("TryAcquire(1) = %d", got)
	}
	if p := peak(); p != 1 {
		t.Errorf("with no idle worker, align ran %d pairs at once, want 1", p)
	}
	w.Release(2) // the other two actions finish
	if p := peak(); p > 3 {
		t.Errorf("with a budget of 3, align ran %d pairs at once", p)
	}
	if got := w.TryAcquire(3); got != 2 {
		t.Errorf("after parallel returned, %d workers free, want 2 (it must give back what it borrowed)", got)
	}
}

// Acquire waits for a worker to be released, and gives up when its context
// ends (a Slurm worker's loop between actions).
func TestAcquireWaitsForARelease(t *testing.T) {
	w := NewWorkers(1)
	if !w.Acquire(context.Background()) {
		t.Fatal("Acquire of a free worker failed")
	}
	got := make(chan bool)
	go func() { got <- w.Acquire(context.Background()) }()
	select {
	case <-got:
		t.Fatal("Acquire returned while the only worker was held")
	case <-time.After(50 * time.Millisecond):
	}
	w.Release(1)
	if !<-got {
		t.Fatal("Acquire after a release failed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if w.Acquire(ctx) {
		t.Error("Acquire with no free worker and an ended context succeeded")
	}
}
