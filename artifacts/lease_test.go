package artifacts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// twoWorkers returns two handles on one store, as two processes on other
// hosts would have, sharing a fake clock.
func twoWorkers(t *testing.T) (w1, w2 *Store, clock *testClock) {
	w1, clock = newStore(t)
	w2, err := Open(w1.Dir())
	if err != nil {
		t.Fatal(err)
	}
	w2.now = clock.now
	w1.host, w1.pid = "node1", 100
	w2.host, w2.pid = "node2", 200
	return w1, w2, clock
}

func TestLeaseExclusive(t *testing.T) {
	w1, w2, clock := twoWorkers(t)
	a := actionID(1)
	l1, err := w1.TryLease(a, "job 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w2.TryLease(a, "job 2"); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLease: err = %v, want ErrLocked", err)
	}
	info, live, err := w2.ReadLease(a)
	if err != nil || !live || info.Owner != "job 1" || info.Host != "node1" || info.PID != 100 {
		t.Fatalf("ReadLease = %+v, %v, %v; want job 1 on node1 pid 100, live", info, live, err)
	}

	// Heartbeats keep it held past LeaseStale.
	for range 3 {
		clock.advance(LeaseStale / 2)
		if err := l1.Refresh(); err != nil {
			t.Fatalf("Refresh: %v", err)
		}
	}
	if _, err := w2.TryLease(a, "job 2"); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryLease of a refreshed lease: err = %v, want ErrLocked", err)
	}

	if err := l1.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := w2.TryLease(a, "job 2")
	if err != nil {
		t.Fatalf("TryLease after Release: %v", err)
	}
	l2.Release()
}

func TestLeaseStaleByTime(t *testing.T) {
	w1, w2, clock := twoWorkers(t)
	a := actionID(1)
	l1, err := w1.TryLease(a, "job 1")
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(LeaseStale - time.Second)
	if _, err := w2.TryLease(a, "job 2"); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryLease just before LeaseStale: err = %v, want ErrLocked", err)
	}
	clock.advance(2 * time.Second)
	l2, err := w2.TryLease(a, "job 2")
	if err != nil {
		t.Fatalf("TryLease of a stale lease: %v", err)
	}
	// The first holder finds out it lost the lease, and its Release
	// leaves the new holder's alone.
	if err := l1.Refresh(); !errors.Is(err, ErrLocked) {
		t.Errorf("Refresh of a broken lease: err = %v, want ErrLocked", err)
	}
	if err := l1.Release(); err != nil {
		t.Errorf("Release of a broken lease: %v", err)
	}
	if info, live, err := w1.ReadLease(a); err != nil || !live || info.Owner != "job 2" {
		t.Errorf("ReadLease = %+v, %v, %v; want job 2's live lease", info, live, err)
	}
	if err := l2.Refresh(); err != nil {
		t.Errorf("new holder's Refresh: %v", err)
	}
}

func TestLeaseStaleByDeadPID(t *testing.T) {
	w1, w2, _ := twoWorkers(t)
	w2.host = w1.host // same machine
	dead := map[int]bool{100: true}
	old := pidAlive
	pidAlive = func(pid int) bool { return !dead[pid] }
	t.Cleanup(func() { pidAlive = old })

	a := actionID(1)
	if _, err := w1.TryLease(a, "job 1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w2.TryLease(a, "job 2"); err != nil {
		t.Fatalf("TryLease of a dead process's lease: %v", err)
	}
	// The same pid on another host is a different process: still live.
	w3, _, _ := twoWorkers(t)
	b := actionID(2)
	if _, err := w3.TryLease(b, "job 3"); err != nil {
		t.Fatal(err)
	}
	w4, err := Open(w3.Dir())
	if err != nil {
		t.Fatal(err)
	}
	w4.host, w4.now = "elsewhere", w3.now
	if _, err := w4.TryLease(b, "job 4"); !errors.Is(err, ErrLocked) {
		t.Errorf("TryLease of a lease by pid %d on another host: err = %v, want ErrLocked", 100, err)
	}
}

// A lease file caught between create and write (or garbage) is respected
// for LeaseStale after its mtime, then broken.
func TestLeaseUnreadable(t *testing.T) {
	w1, _, clock := twoWorkers(t)
	a := actionID(1)
	path := filepath.Join(w1.Dir(), leasesDir, a.String())
	if err := os.WriteFile(path, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	mtime := clock.now()
	os.Chtimes(path, mtime, mtime)
	if _, err := w1.TryLease(a, "job 1"); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryLease over a fresh empty lease file: err = %v, want ErrLocked", err)
	}
	clock.advance(LeaseStale + time.Second)
	if _, err := w1.TryLease(a, "job 1"); err != nil {
		t.Fatalf("TryLease over a stale empty lease file: %v", err)
	}
}

// breakLease must not delete a fresh lease that replaced the stale one it
// judged: it puts it back and reports ErrLocked.
func TestBreakLeaseRace(t *testing.T) {
	w1, w2, _ := twoWorkers(t)
	a := actionID(1)
	path := filepath.Join(w1.Dir(), leasesDir, a.String())
	_, staleRaw, _ := w1.readLease(path) // no file: nothing seen
	l1, err := w1.TryLease(a, "fresh")
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.breakLease(path, append(staleRaw, "stale content"...)); !errors.Is(err, ErrLocked) {
		t.Fatalf("breakLease of a replaced lease: err = %v, want ErrLocked", err)
	}
	if err := l1.Refresh(); err != nil {
		t.Errorf("fresh holder lost its lease to a breaker: %v", err)
	}
}
