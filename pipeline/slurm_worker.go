package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"degen/artifacts"
	"degen/stages"
)

// A Worker is one array task of a manifest. Workers pull: each scans the
// manifest's actions, most critical first and starting with its own share
// so that workers spread out (scanOrder), and computes every action whose inputs are
// committed, that the store lacks, that no live lease claims and that has
// not failed. It returns when every action is committed, failed, or blocked
// by a failure. Nothing is assigned to a task, so a task that Slurm requeues,
// runs twice or kills just finds less left to do, and a second array over
// the same plan only adds workers; the lease and the atomic commit keep each
// action computed once.
type Worker struct {
	Session  *Session
	Store    *artifacts.Store
	Manifest *Manifest
	Index    int           // this worker's number, 0 ≤ Index < Manifest.Tasks
	Jobs     int           // actions computed at once (the task's CPUs)
	Log      io.Writer     // one line per action this worker settles
	LogPath  string        // where this task's output goes, for failure records
	MaxPoll  time.Duration // longest wait between scans when nothing is ready
	// IdleExit ends the worker once it has found nothing to claim for this
	// long (0 or negative: never; degen work's default is DefaultIdleExit):
	// what is left is held by
	// live leases, whose holders go on to the actions that follow them, so
	// idle tasks stop holding cores at the ragged end of a plan.
	IdleExit time.Duration
	// Fault, if set, is asked before each action; an error fails the
	// action as if its stage had. For tests of failure handling through
	// Slurm (degen work reads DEGEN_TEST_FAIL_STAGE).
	Fault func(*Node) error

	mu     sync.Mutex
	order  []*Node
	state  map[*Node]*workState
	known  map[artifacts.ActionID]*artifacts.Entry // every committed entry seen, for the runner
	budget *stages.Workers                         // Jobs workers: one per action, the rest lent to align
	report WorkReport
}

// WorkReport counts what one worker did.
type WorkReport struct {
	Ran       int // computed and committed here
	Elsewhere int // found committed (by another worker, or cached meanwhile)
	Failed    int // failed here or elsewhere
	Blocked   int // an input failed or is missing
	Left      int // still leased by others when this worker left idle
}

type workState struct {
	inManifest bool
	id         *artifacts.ActionID // once every input is committed
	entry      *artifacts.Entry    // committed
	failed     bool
	blocked    string
	running    bool      // by a goroutine of this process
	recheck    time.Time // leased elsewhere: look again after this
	leaseWait  time.Duration
}

// DefaultIdleExit: longer than a few lease refreshes, short enough that a
// thousand idle tasks do not burn core-hours waiting for a long tail.
const DefaultIdleExit = 2 * time.Minute

// Rechecking a leased action costs a few metadata operations (entry,
// failure record, lease). Each worker backs off per action from
// minLeaseRecheck to maxLeaseRecheck, and looks at no more than
// maxChecksPerScan of them per scan, so W idle workers watching W running
// actions cost O(W·maxChecksPerScan) operations per second, not O(W²).
const (
	minLeaseRecheck = 500 * time.Millisecond
	maxLeaseRecheck = 30 * time.Second
)

var maxChecksPerScan = 32 // Overridden by tests.

// A FailureRecord is written to <store>/manifests/<id>/failed/<recipe>.json
// when an action fails, so status can say why and where the log is.
type FailureRecord struct {
	Stage     string    `json:"stage"`
	Label     string    `json:"label"`
	Recipe    string    `json:"recipe"`
	Error     string    `json:"error"`
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	ArrayJob  string    `json:"slurm_array_job,omitempty"`
	ArrayTask string    `json:"slurm_array_task,omitempty"`
	Log       string    `json:"log,omitempty"`
	Time      time.Time `json:"time"`
}

// Work runs until nothing the worker could do is left. The error is non-nil
// if an action failed or was blocked, or if ctx ended first.
func (w *Worker) Work(ctx context.Context) (WorkReport, error) {
	if err := w.init(); err != nil {
		return WorkReport{}, err
	}
	if w.Jobs < 1 {
		w.Jobs = 1
	}
	if w.MaxPoll <= 0 {
		w.MaxPoll = 2 * time.Second
	}
	w.budget = stages.NewWorkers(w.Jobs)
	var wg sync.WaitGroup
	for range w.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx)
		}()
	}
	wg.Wait()
	rep := w.report
	for _, n := range w.order {
		if st := w.state[n]; st.entry == nil && !st.failed && st.blocked == "" {
			rep.Left++
		}
	}
	switch {
	case ctx.Err() != nil:
		return rep, ctx.Err()
	case rep.Failed+rep.Blocked > 0:
		return rep, fmt.Errorf("%d action(s) failed and %d blocked by a failure; degen status --manifest %s lists them, degen submit --resume retries",
			rep.Failed, rep.Blocked, w.Manifest.ID)
	}
	return rep, nil
}

// init maps the manifest's recipes to nodes, in the worker's scan order.
func (w *Worker) init() error {
	w.state = map[*Node]*workState{}
	w.known = map[artifacts.ActionID]*artifacts.Entry{}
	var nodes []*Node
	for _, a := range w.Manifest.Actions {
		n, ok := w.Session.Graph.byRecipe[a.Recipe]
		if !ok {
			return fmt.Errorf("manifest %s: %s %s (recipe %.12s): %w", w.Manifest.ID, a.Stage, a.Label, a.Recipe, errNoManifestAction)
		}
		nodes = append(nodes, n)
		w.state[n] = &workState{inManifest: true}
	}
	w.order = scanOrder(nodes, w.Index, w.Manifest.Tasks)
	return nil
}

// loop computes one action at a time, holding one worker of the budget
// while it does; between actions it holds none, so a running align can
// borrow it (the task's CPUs are the total, as -j is for degen run).
func (w *Worker) loop(ctx context.Context) {
	wait := 50 * time.Millisecond
	lastClaim := time.Now()
	for w.budget.Acquire(ctx) {
		n, finished := w.next()
		if n != nil {
			w.run(ctx, n)
		}
		w.budget.Release(1)
		switch {
		case finished:
			return
		case n != nil:
			wait, lastClaim = 50*time.Millisecond, time.Now()
			continue
		case w.IdleExit > 0 && time.Since(lastClaim) > w.IdleExit:
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, w.MaxPoll)
	}
}

// next picks the next action to compute: nil if none is ready now, finished
// if none ever will be (everything committed, failed or blocked).
func (w *Worker) next() (n *Node, finished bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	finished = true
	now, checks := time.Now(), 0
	for _, n := range w.order {
		st := w.state[n]
		if st.entry != nil || st.failed || st.blocked != "" {
			continue
		}
		finished = false
		if st.running || now.Before(st.recheck) {
			continue
		}
		if st.leaseWait > 0 { // seen leased before: a bounded number of rechecks
			if checks >= maxChecksPerScan {
				continue
			}
			checks++
		}
		if w.claimable(n, st) {
			st.running = true
			return n, false
		}
	}
	return nil, finished
}

// claimable decides whether n can be computed now; on the way it records
// what it learns (committed elsewhere, failed, blocked). Called with mu held.
func (w *Worker) claimable(n *Node, st *workState) bool {
	ready, blocked := w.ready(n)
	if blocked != "" {
		st.blocked = blocked
		w.report.Blocked++
		fmt.Fprintf(w.Log, "blocked  %s: %s\n", n.Name(), blocked)
		return false
	}
	if !ready {
		return false
	}
	id := w.id(n, st)
	if e, err := w.Store.Lookup(id); err == nil {
		w.commit(st, e)
		w.report.Elsewhere++
		return false
	}
	if _, err := w.Store.ReadSideFile(w.Manifest.Dir()+"/failed", n.Recipe+".json"); err == nil {
		st.failed = true
		w.report.Failed++
		fmt.Fprintf(w.Log, "failed   %s: elsewhere (see degen status)\n", n.Name())
		return false
	}
	if _, live, err := w.Store.ReadLease(id); err == nil && live {
		// Being computed: its holder commits or its lease goes stale.
		st.leaseWait = min(max(2*st.leaseWait, minLeaseRecheck), maxLeaseRecheck)
		st.recheck = time.Now().Add(st.leaseWait)
		return false
	}
	return true
}

// ready reports whether every dependency of n is committed; blocked says
// why one never will be. A dependency outside the manifest was cached when
// it was planned; if it is gone now (removed by hand, or collected despite
// the manifest) nobody will make it.
func (w *Worker) ready(n *Node) (ok bool, blocked string) {
	for _, d := range n.Deps {
		e, why := w.entryOf(d)
		if why != "" {
			return false, why
		}
		if e == nil {
			return false, ""
		}
	}
	return true, ""
}

// id is n's ActionID, hashed once its inputs are committed (ready): they
// never change after, so it is kept.
func (w *Worker) id(n *Node, st *workState) artifacts.ActionID {
	if st.id == nil {
		key, _, _ := nodeKey(n, func(d *Node) *artifacts.Entry { return w.state[d].entry })
		id := actionID(w.Session.Salt, key)
		st.id = &id
	}
	return *st.id
}

// commit records n's committed entry, for its users and for the runner.
func (w *Worker) commit(st *workState, e *artifacts.Entry) {
	st.entry = e
	w.known[e.Action] = e
}

// knownEntry is the runner's Known: an entry this worker has seen committed.
func (w *Worker) knownEntry(id artifacts.ActionID) *artifacts.Entry {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.known[id]
}

// entryOf is d's committed entry: nil if not yet; why is set if never.
func (w *Worker) entryOf(d *Node) (e *artifacts.Entry, why string) {
	st, ok := w.state[d]
	if !ok {
		st = &workState{}
		w.state[d] = st
	}
	switch {
	case st.entry != nil:
		return st.entry, ""
	case st.failed || st.blocked != "":
		return nil, "input " + d.Name() + " failed"
	case st.inManifest:
		return nil, ""
	}
	if ready, blocked := w.ready(d); blocked == "" && ready {
		if e, err := w.Store.Lookup(w.id(d, st)); err == nil {
			w.commit(st, e)
			return e, ""
		}
	}
	st.blocked = "input " + d.Name() + " is missing from the store (removed or collected after submit): submit again"
	return nil, st.blocked
}

// run computes n (and nothing else: its inputs are committed) with the
// ordinary Runner, which takes the lease, heartbeats and commits.
func (w *Worker) run(ctx context.Context, n *Node) {
	res := w.compute(ctx, n)
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.state[n]
	st.running = false
	switch {
	case res.Entry != nil:
		w.commit(st, res.Entry)
		if res.State == Ran {
			w.report.Ran++
			fmt.Fprintf(w.Log, "ran      %s (%.2fs)\n", n.Name(), res.Elapsed.Seconds())
		} else {
			w.report.Elsewhere++
		}
	case ctx.Err() != nil:
		// Cancelled (scancel, requeue, preemption): not the action's fault.
	default:
		st.failed = true
		w.report.Failed++
		fmt.Fprintf(w.Log, "failed   %s: %v\n", n.Name(), res.Err)
		if err := w.recordFailure(n, res.Err); err != nil {
			fmt.Fprintf(w.Log, "         (failure record: %v)\n", err)
		}
	}
}

func (w *Worker) compute(ctx context.Context, n *Node) *Result {
	if w.Fault != nil {
		if err := w.Fault(n); err != nil {
			return &Result{Node: n, State: Failed, Err: err}
		}
	}
	// The closure's other nodes are committed, and this worker has seen most
	// of them (Known: no store lookup); only n runs, on one worker of the
	// task's budget, which this loop holds.
	want := n.Recipe
	r := &Runner{Store: w.Store, Jobs: 1, Salt: w.Session.Salt, Known: w.knownEntry, Budget: w.budget,
		Select: func(x *Node) bool { return x.Recipe == want }}
	results, _ := r.Run(ctx, w.Session.Graph.Closure(n))
	return results[len(results)-1] // a closure ends with its target
}

func (w *Worker) recordFailure(n *Node, cause error) error {
	host, _ := os.Hostname()
	rec := FailureRecord{Stage: n.Action.Stage.Name(), Label: n.Action.Label, Recipe: n.Recipe,
		Error: fmt.Sprint(cause), Host: host, PID: os.Getpid(),
		ArrayJob: os.Getenv("SLURM_ARRAY_JOB_ID"), ArrayTask: os.Getenv("SLURM_ARRAY_TASK_ID"),
		Log: w.LogPath, Time: time.Now().UTC()}
	b, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return err
	}
	return w.Store.WriteSideFile(w.Manifest.Dir()+"/failed", n.Recipe+".json", append(b, '\n'))
}

// ReadFailure returns the failure record of a manifest action, if any.
func ReadFailure(st *artifacts.Store, m *Manifest, recipe string) (*FailureRecord, bool) {
	b, err := st.ReadSideFile(m.Dir()+"/failed", recipe+".json")
	if err != nil {
		return nil, false
	}
	var rec FailureRecord
	if json.Unmarshal(b, &rec) != nil {
		return &FailureRecord{Recipe: recipe, Error: "(unreadable failure record)"}, true
	}
	return &rec, true
}
