package artifacts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSideFilesStayUnderTheirRoots(t *testing.T) {
	s, _ := newStore(t)
	for _, bad := range []struct{ dir, name string }{
		{"objects", "x"}, {"actions/ab", "x"}, {"manifests/../objects", "x"}, {"../x", "y"},
		{"/abs/manifests", "x"}, {"manifests", "../x"}, {"manifests", "a/b"}, {"manifests", ".."},
	} {
		if err := s.WriteSideFile(bad.dir, bad.name, []byte("x")); err == nil {
			t.Errorf("WriteSideFile(%q, %q) succeeded, want refused", bad.dir, bad.name)
		}
	}
	if err := s.WriteSideFile("manifests/m1/failed", "r.json", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteSideFile("manifests/m1/failed", "r.json", []byte("two")); err != nil {
		t.Fatal(err)
	}
	if b, err := s.ReadSideFile("manifests/m1/failed", "r.json"); err != nil || string(b) != "two" {
		t.Errorf("read back %q, %v; want the replacement", b, err)
	}
	if _, err := s.ReadSideFile("manifests", "none.json"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing side file: %v, want ErrNotFound", err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(s.Dir(), tmpDir)); len(tmp) != 0 {
		t.Errorf("tmp/ holds %d files after the writes", len(tmp))
	}
	// Removing the only file removes the directories it left empty, up to
	// (not including) the store root.
	if err := s.RemoveSide("manifests/m1", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "manifests")); !os.IsNotExist(err) {
		t.Errorf("manifests/ left behind (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), objectsDir)); err != nil {
		t.Errorf("RemoveSide removed too much: %v", err)
	}
}

func TestLeaseRecordsSlurmIDs(t *testing.T) {
	s, _ := newStore(t)
	defer func(f func() (string, string, string)) { slurmIDs = f }(slurmIDs)
	slurmIDs = func() (string, string, string) { return "4243", "4242", "7" }
	var a ActionID
	a[0] = 1
	l, err := s.TryLease(a, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	info, live, err := s.ReadLease(a)
	if err != nil || !live {
		t.Fatalf("ReadLease: %v, live %v", err, live)
	}
	if info.Job != "4243" || info.ArrayJob != "4242" || info.ArrayTask != "7" {
		t.Errorf("lease holds job %q array %q task %q, want 4243 4242 7", info.Job, info.ArrayJob, info.ArrayTask)
	}
}
