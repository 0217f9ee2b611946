package pipeline

import (
	"io"
	"testing"
	"time"

	"degen/artifacts"
)

// smokeWorker is worker 0 of a one-task manifest of the smoke study over a
// fresh store.
func smokeWorker(t *testing.T) *Worker {
	t.Helper()
	dir := t.TempDir()
	s, err := NewSession(SessionOptions{LoadOptions: LoadOptions{Preset: "smoke"}, Store: dir})
	if err != nil {
		t.Fatal(err)
	}
	st, err := artifacts.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.Plan(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := SlurmOptions{CPUsPerTask: 1, ActionsPerTask: 100, MaxTasks: 1}
	m, err := NewManifest(s, ManifestConfig{Preset: "smoke"}, items, 1, 10, opt, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{Session: s, Store: st, Manifest: m, Log: io.Discard}
	if err := w.init(); err != nil {
		t.Fatal(err)
	}
	return w
}

// The cap on rechecks of leased actions must never keep a worker from its
// first look at an action that nobody holds.
func TestRecheckCapNeverHidesFreeActions(t *testing.T) {
	defer func(n int) { maxChecksPerScan = n }(maxChecksPerScan)
	maxChecksPerScan = 2
	w := smokeWorker(t)
	var ready []*Node
	for _, n := range w.order {
		if len(n.Deps) == 0 {
			ready = append(ready, n)
		}
	}
	if len(ready) < 5 {
		t.Fatalf("%d actions without inputs; the test needs 5", len(ready))
	}
	// Another live holder (this process) has all but the last two.
	for _, n := range ready[:len(ready)-2] {
		id := w.id(n, w.state[n])
		l, err := w.Store.TryLease(id, "test")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
	}
	free1, free2 := ready[len(ready)-2], ready[len(ready)-1]
	if got, _ := w.next(); got != free1 {
		t.Fatalf("first scan claimed %v, want %s", got, free1.Name())
	}
	for _, st := range w.state {
		st.recheck = time.Time{} // every leased action is due for a recheck
	}
	if got, _ := w.next(); got != free2 {
		t.Fatalf("second scan claimed %v, want %s (rechecks capped at %d must not hide it)", got, free2.Name(), maxChecksPerScan)
	}
	rechecked := 0
	for _, n := range ready[:len(ready)-2] {
		if w.state[n].leaseWait > minLeaseRecheck {
			rechecked++
		}
	}
	if rechecked != maxChecksPerScan {
		t.Errorf("%d leased actions rechecked in the second scan, want the cap, %d", rechecked, maxChecksPerScan)
	}
}

func TestScanOrderDealsTheMostCriticalFirst(t *testing.T) {
	s, err := NewSession(SessionOptions{LoadOptions: LoadOptions{Preset: "quick"}, Store: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	nodes := s.Graph.Nodes
	const workers = 5
	first := map[*Node]bool{}
	for i := range workers {
		order := scanOrder(nodes, i, workers)
		if len(order) != len(nodes) {
			t.Fatalf("worker %d scans %d nodes, want %d", i, len(order), len(nodes))
		}
		seen := map[*Node]bool{}
		for _, n := range order {
			seen[n] = true
		}
		if len(seen) != len(nodes) {
			t.Fatalf("worker %d's order is not a permutation", i)
		}
		first[order[0]] = true
	}
	if len(first) != workers {
		t.Errorf("%d distinct first actions among %d workers, want one each", len(first), workers)
	}
	// The most expensive training (the largest network at the most epochs)
	// ranks first, and some worker starts with it.
	top := scanOrder(nodes, 0, 1)[0]
	best := 0.0
	for _, n := range nodes {
		best = max(best, estimatedCost(n))
	}
	if top.Action.Stage.Name() != "train" || estimatedCost(top) != best {
		t.Errorf("first in rank: %s (cost %g), want the costliest training (cost %g)", top.Name(), estimatedCost(top), best)
	}
	if !first[top] {
		t.Error("no worker starts with the most critical action")
	}
	// A bottom level is more than any user's, so the ranking puts every
	// action after its inputs: the first wave never waits on a later one.
	pos := map[*Node]int{}
	for i, n := range scanOrder(nodes, 0, 1) {
		pos[n] = i
	}
	for _, n := range nodes {
		for _, d := range n.Deps {
			if pos[d] > pos[n] {
				t.Fatalf("%s ranks before its input %s", n.Name(), d.Name())
			}
		}
	}
}
