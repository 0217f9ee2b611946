package artifacts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// age sets path's mtime to d before the fake now.
func age(t *testing.T, s *Store, path string, d time.Duration) {
	t.Helper()
	mt := s.now().Add(-d)
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
}

func TestGC(t *testing.T) {
	const grace = time.Hour
	for _, dryRun := range []bool{true, false} {
		t.Run(map[bool]string{true: "dry run", false: "real"}[dryRun], func(t *testing.T) {
			s, _ := newStore(t)
			root := commit(t, s, actionID(1), "root output", "shared output")
			oldLeaf := commit(t, s, actionID(2), "old leaf output", "shared output")
			young := commit(t, s, actionID(3), "young output")
			orphanOld := put(t, s, "orphan, old")
			orphanYoung := put(t, s, "orphan, young")
			debris := filepath.Join(s.Dir(), tmpDir, "obj.crashed.1.123")
			os.WriteFile(debris, []byte("partial"), 0o644)
			for _, p := range []string{s.actionPath(root.Action), s.actionPath(oldLeaf.Action), s.ObjectPath(orphanOld.ID), debris} {
				age(t, s, p, 2*grace)
			}
			for _, o := range append(root.Outputs, oldLeaf.Outputs...) {
				age(t, s, s.ObjectPath(o.ID), 2*grace)
			}

			rep, err := s.GC([]ActionID{root.Action, actionID(42)}, grace, dryRun)
			if err != nil {
				t.Fatal(err)
			}
			want := GCReport{
				EntriesKept: 2, EntriesDeleted: 1, // root, young; old leaf
				ObjectsKept: 4, ObjectsDeleted: 2, // root's 2, young's, young orphan; old leaf's own, old orphan
				BytesKept:        int64(len("root output") + len("shared output") + len("young output") + len("orphan, young")),
				BytesDeleted:     int64(len("old leaf output") + len("orphan, old")),
				TempDeleted:      1,
				TempBytesDeleted: int64(len("partial")),
			}
			if rep != want {
				t.Errorf("GC report:\n got %+v\nwant %+v", rep, want)
			}
			for _, a := range []ActionID{root.Action, young.Action} {
				if _, err := s.Lookup(a); err != nil {
					t.Errorf("Lookup(kept %.8s): %v", a, err)
				}
			}
			_, err = s.Lookup(oldLeaf.Action)
			if gone := errors.Is(err, ErrNotFound); gone != !dryRun {
				t.Errorf("old leaf entry gone = %v, want %v", gone, !dryRun)
			}
			for _, o := range []Output{orphanOld, oldLeaf.Outputs[0]} {
				_, err := os.Stat(s.ObjectPath(o.ID))
				if gone := os.IsNotExist(err); gone != !dryRun {
					t.Errorf("object %.8s gone = %v, want %v", o.ID, gone, !dryRun)
				}
			}
			if _, err := os.Stat(s.ObjectPath(orphanYoung.ID)); err != nil {
				t.Errorf("young orphan object: %v (GC must spare writes in progress)", err)
			}
		})
	}
}

func TestGCStaleLeasesAndExclusion(t *testing.T) {
	s, clock := newStore(t)
	if _, err := s.TryLease(actionID(1), "old job"); err != nil {
		t.Fatal(err)
	}
	clock.advance(LeaseStale + time.Minute)
	live, err := s.TryLease(actionID(2), "live job")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.GC(nil, time.Hour, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.LeasesDeleted != 1 {
		t.Errorf("GC deleted %d leases, want 1 (the stale one)", rep.LeasesDeleted)
	}
	if err := live.Refresh(); err != nil {
		t.Errorf("live lease after GC: %v", err)
	}
	gc, err := s.tryLease(gcLeaseName, "other gc")
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Release()
	if _, err := s.GC(nil, time.Hour, false); !errors.Is(err, ErrLocked) {
		t.Errorf("GC while another runs: err = %v, want ErrLocked", err)
	}
}
