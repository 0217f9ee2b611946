package artifacts

import (
	"errors"
	"os"
	"slices"
	"testing"
)

// TestRunsDurableAndAtomic: run logs and pins are written like entries
// (issue #10: pipeline wrote runs/ itself, without fsync): the bytes are
// synced before the rename, and a crash at the rename leaves the previous
// log whole.
func TestRunsDurableAndAtomic(t *testing.T) {
	s, _ := newStore(t)
	if err := s.WriteRun("pin-a", []byte("first")); err != nil {
		t.Fatal(err)
	}
	var synced bool
	crashAt(t, &syncFile, func(f *os.File) error { synced = true; return f.Sync() })
	crashAt(t, &renameFile, func(string, string) error {
		if !synced {
			t.Error("rename before fsync")
		}
		panic(crash{})
	})
	if !survive(func() { s.WriteRun("pin-a", []byte("second")) }) {
		t.Fatal("seam was never reached")
	}
	restoreSeams()
	if b, err := s.ReadRun("pin-a"); err != nil || string(b) != "first" {
		t.Errorf("after a crash mid-write: %q, %v; want the previous log", b, err)
	}
	if err := s.WriteRun("latest", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if names, err := s.Runs(); err != nil || !slices.Equal(names, []string{"latest", "pin-a"}) {
		t.Errorf("Runs = %v, %v; want [latest pin-a] (temp debris is not a run)", names, err)
	}
	if _, err := s.ReadRun("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadRun of a missing log: %v, want ErrNotFound", err)
	}
	for _, bad := range []string{"", ".hidden", "a/b", "../x", "sp ace"} {
		if err := s.WriteRun(bad, nil); err == nil {
			t.Errorf("WriteRun(%q) succeeded, want an error", bad)
		}
	}
}
