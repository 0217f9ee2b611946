package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"degen/artifacts"
)

// State is what happened to a node in one run.
type State string

const (
	Pending  State = "pending"  // not looked at yet, or would run (plan)
	Cached   State = "cached"   // a valid entry existed
	Ran      State = "ran"      // computed and committed by this process
	Verified State = "verified" // recomputed and found byte-identical
	Mismatch State = "mismatch" // recomputed and found different
	Failed   State = "failed"
	Skipped  State = "skipped" // a dependency failed
)

// A Result is one node's outcome.
type Result struct {
	Node    *Node
	ID      artifacts.ActionID
	Key     [32]byte
	Lines   []keyLine
	Entry   *artifacts.Entry
	State   State
	Err     error
	Elapsed time.Duration
}

// Runner executes a Graph against a Store on a pool of workers.
type Runner struct {
	Store    *artifacts.Store
	Jobs     int
	Salt     string
	Progress Progress
	Verify   bool // recompute cached nodes and compare bytes instead of trusting them
	// Select, if set, limits execution (or verification) to these nodes;
	// the others must already be cached.
	Select func(*Node) bool

	owner   string
	results []*Result
	locks   []sync.Mutex
	tables  *tableCache
}

// Run executes every node whose inputs are ready, dependencies first. A
// failing node marks its dependents skipped; the others go on. The error is
// non-nil if any node failed (or, verifying, mismatched).
func (r *Runner) Run(ctx context.Context, g *Graph) ([]*Result, error) {
	if r.Jobs < 1 {
		r.Jobs = 1
	}
	if r.Progress == nil {
		r.Progress = nopProgress{}
	}
	host, _ := os.Hostname()
	r.owner = fmt.Sprintf("degen run on %s pid %d", host, os.Getpid())
	r.results = make([]*Result, len(g.Nodes))
	r.locks = make([]sync.Mutex, len(g.Nodes))
	r.tables = newTableCache(256 << 20)
	for i, n := range g.Nodes {
		r.results[i] = &Result{Node: n, State: Pending}
	}
	r.Progress.Start(g)
	defer r.Progress.Finish()

	pending := make([]int, len(g.Nodes))
	var queue []int
	for i, n := range g.Nodes {
		pending[i] = len(n.Deps)
		if pending[i] == 0 {
			queue = append(queue, i)
		}
	}
	done := make(chan int)
	inflight, settled := 0, 0
	for settled < len(g.Nodes) {
		for len(queue) > 0 && inflight < r.Jobs {
			i := queue[0]
			queue = queue[1:]
			inflight++
			go func() { r.settle(ctx, i); done <- i }()
		}
		i := <-done
		inflight--
		settled++
		r.Progress.Done(r.results[i])
		for _, u := range g.Nodes[i].Users {
			if pending[u.Index]--; pending[u.Index] == 0 {
				queue = append(queue, u.Index)
			}
		}
	}
	return r.results, r.firstError()
}

func (r *Runner) firstError() error {
	var failed, mismatched int
	var first error
	for _, res := range r.results {
		switch res.State {
		case Failed:
			failed++
			if first == nil {
				first = fmt.Errorf("%s: %w", res.Node.Name(), res.Err)
			}
		case Mismatch:
			mismatched++
		}
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d action(s) failed; first: %w", failed, first)
	case mismatched > 0:
		return fmt.Errorf("%d action(s) recomputed to different bytes", mismatched)
	}
	return nil
}

// settle brings node i to a final state.
func (r *Runner) settle(ctx context.Context, i int) {
	res := r.results[i]
	for _, d := range res.Node.Deps {
		switch s := r.results[d.Index].State; {
		case s == Failed || s == Skipped:
			res.State, res.Err = Skipped, fmt.Errorf("dependency %s %s", d.Name(), s)
			return
		case s == Pending || s == Mismatch:
			return // verifying: nothing stored downstream of what is missing
		}
	}
	start := time.Now()
	r.locks[i].Lock()
	err := r.resolve(ctx, i)
	r.locks[i].Unlock()
	res.Elapsed = time.Since(start)
	if err != nil {
		res.State, res.Err = Failed, err
	}
}

// resolve computes node i's key and finds or makes its entry. Called with
// node i's lock held.
func (r *Runner) resolve(ctx context.Context, i int) error {
	res := r.results[i]
	n := res.Node
	ins, err := r.inputs(n)
	if err != nil {
		return err
	}
	res.Lines = keyLines(n.Action, n.Params, ins)
	res.Key = actionKey(res.Lines)
	res.ID = actionID(r.Salt, res.Key)
	selected := r.Select == nil || r.Select(n)
	e, err := r.Store.Lookup(res.ID)
	switch {
	case err == nil && r.Verify && selected:
		res.Entry = e
		return r.verify(ctx, i)
	case err == nil:
		res.Entry, res.State = e, Cached
		return nil
	case !errors.Is(err, artifacts.ErrNotFound):
		return err
	case r.Verify:
		res.State = Pending // nothing to verify
		return nil
	case !selected:
		return fmt.Errorf("not computed yet (run it first)")
	}
	return r.compute(ctx, i, ins)
}

// inputs lists the outputs of n's dependencies, in dependency order and each
// dependency's own output order.
func (r *Runner) inputs(n *Node) ([]input, error) {
	var ins []input
	for k, d := range n.Deps {
		e := r.results[d.Index].Entry
		if e == nil {
			return nil, fmt.Errorf("dependency %s has no entry", d.Name())
		}
		for _, o := range e.Outputs {
			ins = append(ins, input{Dep: n.Action.Deps[k].Name, Output: o.Name, ID: o.ID, Size: o.Size})
		}
	}
	return ins, nil
}

// compute runs node i's stage under a lease and commits its entry.
func (r *Runner) compute(ctx context.Context, i int, ins []input) error {
	res := r.results[i]
	lease, e, err := r.acquire(ctx, res.ID)
	if err != nil {
		return err
	}
	if e != nil { // another process finished it while we waited
		res.Entry, res.State = e, Cached
		return nil
	}
	defer lease.Release()
	stop := heartbeat(lease)
	defer stop()

	started := time.Now()
	env := r.newEnv(res, ins, false)
	err = res.Node.Action.Stage.Run(ctx, res.Node.Action, env)
	if errors.Is(err, artifacts.ErrIntegrity) {
		// Every input read re-hashes its object (Store.ReadTable), so a
		// flipped byte surfaces here: find it, recompute its producer, and
		// run once more on good inputs.
		if err := r.checkInputs(ctx, i); err != nil {
			return err
		}
		env = r.newEnv(res, ins, false)
		err = res.Node.Action.Stage.Run(ctx, res.Node.Action, env)
	}
	if err != nil {
		return err
	}
	prov, err := r.putProvenance(res, env, started)
	if err != nil {
		return err
	}
	entry := &artifacts.Entry{Action: res.ID, Outputs: env.outputs, Prov: prov}
	if err := r.Store.Commit(entry); err != nil {
		return err
	}
	res.Entry, res.State = entry, Ran
	return nil
}

// acquire takes the action's lease, waiting while a live owner holds it. If
// the entry appears meanwhile, it returns that entry and no lease.
func (r *Runner) acquire(ctx context.Context, id artifacts.ActionID) (*artifacts.Lease, *artifacts.Entry, error) {
	wait := 50 * time.Millisecond
	for {
		l, err := r.Store.TryLease(id, r.owner)
		if err == nil {
			// Re-check: the holder we waited for may have committed.
			if e, lerr := r.Store.Lookup(id); lerr == nil {
				l.Release()
				return nil, e, nil
			}
			return l, nil, nil
		}
		if !errors.Is(err, artifacts.ErrLocked) {
			return nil, nil, err
		}
		if e, lerr := r.Store.Lookup(id); lerr == nil {
			return nil, e, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(wait):
		}
		if wait < time.Second {
			wait *= 2
		}
	}
}

// heartbeat refreshes a lease while its action runs.
func heartbeat(l *artifacts.Lease) (stop func()) {
	quit := make(chan struct{})
	go func() {
		t := time.NewTicker(artifacts.LeaseRefresh)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				l.Refresh()
			}
		}
	}()
	return func() { close(quit) }
}

// checkInputs fully re-hashes every object node i reads. A corrupt one is
// quarantined and its producer recomputed: a flipped byte is never used.
func (r *Runner) checkInputs(ctx context.Context, i int) error {
	for _, d := range r.results[i].Node.Deps {
		dr := r.results[d.Index]
		for _, o := range dr.Entry.Outputs {
			err := r.Store.VerifyObject(o)
			if err == nil {
				continue
			}
			if !errors.Is(err, artifacts.ErrIntegrity) && !errors.Is(err, artifacts.ErrNotFound) {
				return err
			}
			if err := r.repair(ctx, d.Index, o); err != nil {
				return fmt.Errorf("input %s of %s: %w", o.Name, d.Name(), err)
			}
			return r.checkInputs(ctx, i)
		}
	}
	return nil
}

// repair quarantines a bad object, drops the producer's entry and recomputes
// it. Deterministic stages give back the same bytes, so i's key is unchanged.
func (r *Runner) repair(ctx context.Context, d int, bad artifacts.Output) error {
	r.Store.QuarantineObject(bad.ID)
	dr := r.results[d]
	r.Store.RemoveAction(dr.ID)
	r.locks[d].Lock()
	defer r.locks[d].Unlock()
	ins, err := r.inputs(dr.Node)
	if err != nil {
		return err
	}
	if err := r.compute(ctx, d, ins); err != nil {
		return err
	}
	if o, ok := dr.Entry.Output(bad.Name); !ok || o.ID != bad.ID {
		return fmt.Errorf("recomputed %s to different bytes (%s, was %s)", dr.Node.Name(), o.ID, bad.ID)
	}
	return nil
}
