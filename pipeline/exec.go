package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"degen/artifacts"
	"degen/stages"
)

// State is what happened to a node in one run.
type State string

const (
	Pending  State = "pending"  // not looked at yet, or would run (plan)
	Cached   State = "cached"   // a valid entry existed
	Ran      State = "ran"      // computed and committed by this process
	Verified State = "verified" // recomputed and found byte-identical
	Mismatch State = "mismatch" // recomputed and found different
	Damaged  State = "damaged"  // verifying: the entry or an object it names was unusable, and was removed
	Failed   State = "failed"
	Skipped  State = "skipped" // a dependency failed
	// Interrupted: the run was cancelled (SIGINT) before this node
	// finished; nothing of it was committed, the next run resumes it.
	Interrupted State = "interrupted"
)

// ErrInterrupted is what Run returns when its context was cancelled: the
// nodes it had not finished are Interrupted, the rest are committed.
var ErrInterrupted = errors.New("interrupted")

// A Result is one node's outcome.
type Result struct {
	Node    *Node
	ID      artifacts.ActionID
	Key     [32]byte
	Inputs  [32]byte // digest of the key's input lines (RunLog)
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
	// Known, if set, returns entries the caller has already looked up (a
	// Slurm worker's committed inputs): a node whose ActionID it knows is
	// cached without reading the store. Not consulted when verifying.
	Known func(artifacts.ActionID) *artifacts.Entry
	// Budget, if set, is a worker budget of which the caller holds one for
	// this run: the runner settles its nodes one at a time on it, and
	// stages borrow from Budget (a Slurm task's CPUs shared by its loops).
	Budget *stages.Workers

	owner   string
	results []*Result
	locks   []sync.Mutex
	tables  *tableCache
}

// Run executes every node whose inputs are ready, dependencies first. A
// failing node marks its dependents skipped; the others go on. The error is
// non-nil if any node failed (or, verifying, mismatched or was damaged); it
// is ErrInterrupted if ctx was cancelled.
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

	users := g.users()
	pending := make([]int, len(g.Nodes))
	var queue []int
	for i, n := range g.Nodes {
		pending[i] = len(n.Deps)
		if pending[i] == 0 {
			queue = append(queue, i)
		}
	}
	// -j is the total: each running action holds one worker, and a stage
	// with inner parallelism borrows only idle ones (stages.Workers).
	workers := stages.NewWorkers(r.Jobs)
	ctx = stages.WithWorkers(ctx, workers)
	if r.Budget != nil {
		workers = stages.NewWorkers(1) // the one the caller holds
		ctx = stages.WithWorkers(ctx, r.Budget)
	}
	done := make(chan int)
	for settled := 0; settled < len(g.Nodes); settled++ {
		// A worker is always free when nothing runs: each action returns
		// what it borrowed, then its own, before it reports done.
		for len(queue) > 0 && workers.TryAcquire(1) == 1 {
			i := queue[0]
			queue = queue[1:]
			go func() { r.settle(ctx, i); workers.Release(1); done <- i }()
		}
		i := <-done
		r.Progress.Done(r.results[i])
		for _, u := range users[i] {
			if pending[u]--; pending[u] == 0 {
				queue = append(queue, int(u))
			}
		}
	}
	return r.results, r.firstError()
}

func (r *Runner) firstError() error {
	var failed, mismatched, interrupted int
	var first error
	for _, res := range r.results {
		switch res.State {
		case Interrupted:
			interrupted++
		case Failed:
			failed++
			if first == nil {
				first = fmt.Errorf("%s: %w", res.Node.Name(), res.Err)
			}
		case Mismatch, Damaged:
			mismatched++
		}
	}
	switch {
	case interrupted > 0:
		return ErrInterrupted
	case failed > 0:
		return fmt.Errorf("%d action(s) failed; first: %w", failed, first)
	case mismatched > 0:
		return fmt.Errorf("%d action(s) recomputed to different bytes or found damaged", mismatched)
	}
	return nil
}

// settle brings node i to a final state.
func (r *Runner) settle(ctx context.Context, i int) {
	res := r.results[i]
	if ctx.Err() != nil {
		res.State = Interrupted
		return
	}
	for _, d := range res.Node.Deps {
		switch s := r.results[d.Index].State; {
		case s == Interrupted:
			res.State = Interrupted
			return
		case s == Failed || s == Skipped:
			res.State, res.Err = Skipped, fmt.Errorf("dependency %s %s", d.Name(), s)
			return
		case s == Pending || s == Mismatch || s == Damaged:
			return // verifying: nothing stored downstream of what is missing
		}
	}
	start := time.Now()
	r.locks[i].Lock()
	err := r.resolve(ctx, i)
	r.locks[i].Unlock()
	res.Elapsed = time.Since(start)
	switch {
	case err != nil && ctx.Err() != nil:
		res.State = Interrupted // the cancellation, not the action, stopped it
	case err != nil:
		res.State, res.Err = Failed, err
	}
}

// resolve computes node i's key and finds or makes its entry. Called with
// node i's lock held.
func (r *Runner) resolve(ctx context.Context, i int) error {
	res := r.results[i]
	n := res.Node
	key, insDigest, ok := nodeKey(n, r.entry)
	if !ok {
		return fmt.Errorf("dependency %s has no entry", blockedInput(n, r.entry))
	}
	res.Key, res.Inputs = key, insDigest
	res.ID = actionID(r.Salt, res.Key)
	selected := r.Select == nil || r.Select(n)
	if r.Known != nil && !r.Verify {
		if e := r.Known(res.ID); e != nil {
			res.Entry, res.State = e, Cached
			return nil
		}
	}
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
	case errors.Is(err, artifacts.ErrDamaged):
		return r.damaged(ctx, i, err, selected)
	case r.Verify:
		res.State = Pending // nothing to verify
		return nil
	case !selected:
		return fmt.Errorf("not computed yet (run it first)")
	}
	return r.settleComputed(ctx, i)
}

// damaged handles an entry that exists but cannot be used (a bad sum, a
// missing or truncated object): it is removed, so it is never used and never
// mistaken for a result, and the action is recomputed; verify reports it as
// a failure.
func (r *Runner) damaged(ctx context.Context, i int, lookupErr error, selected bool) error {
	res := r.results[i]
	if err := r.Store.RemoveAction(res.ID); err != nil {
		return err
	}
	if r.Verify {
		res.State, res.Err = Damaged, fmt.Errorf("%w; entry removed, the next run recomputes it", lookupErr)
		return nil
	}
	if !selected {
		return fmt.Errorf("not computed yet (run it first): %w", lookupErr)
	}
	return r.settleComputed(ctx, i)
}

// settleComputed computes node i and records the result.
func (r *Runner) settleComputed(ctx context.Context, i int) error {
	e, st, err := r.compute(ctx, i)
	if err == nil {
		r.results[i].Entry, r.results[i].State = e, st
	}
	return err
}

// entry is d's entry in this run, nil if it has none (yet).
func (r *Runner) entry(d *Node) *artifacts.Entry { return r.results[d.Index].Entry }

// inputs lists the outputs of n's dependencies, in dependency order and each
// dependency's own output order.
func (r *Runner) inputs(n *Node) ([]input, error) {
	ins, ok := nodeInputs(n, r.entry)
	if !ok {
		return nil, fmt.Errorf("dependency %s has no entry", blockedInput(n, r.entry))
	}
	return ins, nil
}

// compute runs node i's stage under a lease, commits its entry and
// returns it: Ran, or Cached if another process committed it meanwhile. It
// does not record it in node i's Result: a repair recomputes a node that
// other goroutines are reading, and whose entry it must not change.
func (r *Runner) compute(ctx context.Context, i int) (*artifacts.Entry, State, error) {
	res := r.results[i]
	ins, err := r.inputs(res.Node)
	if err != nil {
		return nil, "", err
	}
	lease, e, err := r.acquire(ctx, res.ID)
	if err != nil {
		return nil, "", err
	}
	if e != nil { // another process finished it while we waited
		return e, Cached, nil
	}
	defer lease.Release()
	stop := heartbeat(lease)
	defer stop()

	started := time.Now()
	env := r.newEnv(res, ins, false)
	err = runStage(ctx, res.Node, env)
	if repairable(err) && ctx.Err() == nil {
		// Every input read re-hashes its object (Store.ReadTable), so a
		// flipped byte surfaces here, and so does an object a concurrent
		// repair has just quarantined: find it, recompute its producer,
		// and run once more on good inputs.
		if err := r.checkInputs(ctx, i); err != nil {
			return nil, "", err
		}
		env = r.newEnv(res, ins, false)
		err = runStage(ctx, res.Node, env)
	}
	if err != nil {
		return nil, "", err
	}
	prov, err := r.putProvenance(res, env, started)
	if err != nil {
		return nil, "", err
	}
	entry := &artifacts.Entry{Action: res.ID, Outputs: env.outputs, Prov: prov}
	if err := r.Store.Commit(entry); err != nil {
		return nil, "", err
	}
	return entry, Ran, nil
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

// checkInputs fully re-hashes every object node i reads. A corrupt or
// missing one is quarantined and its producer recomputed: a flipped byte is
// never used, and an object another action just quarantined is repaired,
// not reported as missing.
func (r *Runner) checkInputs(ctx context.Context, i int) error {
	for _, d := range r.results[i].Node.Deps {
		for _, o := range r.entry(d).Outputs {
			err := r.Store.VerifyObject(o)
			if err == nil {
				continue
			}
			if !repairable(err) {
				return err
			}
			if err := r.repair(ctx, d.Index, o); err != nil {
				return fmt.Errorf("input %s of %s: %w", o.Name, d.Name(), err)
			}
		}
	}
	return nil
}

// repairable reports whether an input read failed because of the object
// itself: damaged bytes, or gone (quarantined by a concurrent repair).
func repairable(err error) bool {
	return errors.Is(err, artifacts.ErrIntegrity) || errors.Is(err, artifacts.ErrNotFound)
}

// repair recomputes the producer d of a bad or missing object. Under d's
// lock it checks the object again first: a concurrent action that read the
// same object may have repaired it already, and must not remove the entry it
// just committed. Deterministic stages give back the same bytes, so the
// reader's key is unchanged.
func (r *Runner) repair(ctx context.Context, d int, bad artifacts.Output) error {
	r.locks[d].Lock()
	defer r.locks[d].Unlock()
	if r.Store.VerifyObject(bad) == nil {
		return nil
	}
	if err := r.Store.QuarantineObject(bad.ID); err != nil {
		return err
	}
	dr := r.results[d]
	if err := r.Store.RemoveAction(dr.ID); err != nil {
		return err
	}
	e, _, err := r.compute(ctx, d)
	if err != nil {
		return err
	}
	if o, ok := e.Output(bad.Name); !ok || o.ID != bad.ID {
		return fmt.Errorf("recomputed %s to different bytes (%s, was %s)", dr.Node.Name(), o.ID, bad.ID)
	}
	return nil
}
