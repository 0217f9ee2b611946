package artifacts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// crash is what a seam panics with to simulate the process dying there.
type crash struct{}

// crashAt replaces *seam with crashing for the rest of the test.
func crashAt[F any](t *testing.T, seam *F, crashing F) {
	old := *seam
	*seam = crashing
	t.Cleanup(func() { *seam = old })
}

// survive runs f, turning a simulated crash into a return.
func survive(f func()) (crashed bool) {
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(crash); !ok {
				panic(p)
			}
			crashed = true
		}
	}()
	f()
	return false
}

func TestCrashLeavesOnlyDebris(t *testing.T) {
	tests := []struct {
		name  string
		crash func(t *testing.T)
	}{
		{"before fsync of object", func(t *testing.T) {
			crashAt(t, &syncFile, func(*os.File) error { panic(crash{}) })
		}},
		{"before link of object", func(t *testing.T) {
			crashAt(t, &linkFile, func(string, string) error { panic(crash{}) })
		}},
		{"before rename of entry", func(t *testing.T) {
			crashAt(t, &renameFile, func(string, string) error { panic(crash{}) })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newStore(t)
			a := actionID(7)
			tt.crash(t)
			crashed := survive(func() {
				id, n, err := s.Put(bytes.NewReader([]byte("result")))
				if err != nil {
					t.Fatal(err)
				}
				s.Commit(&Entry{Action: a, Outputs: []Output{{Name: "t", ID: id, Size: n}}})
			})
			if !crashed {
				t.Fatal("seam was never reached")
			}
			if e, err := s.Lookup(a); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Lookup after crash = %v, %v; want ErrNotFound", e, err)
			}
			if files := dirFiles(t, filepath.Join(s.Dir(), tmpDir)); len(files) != 1 {
				t.Errorf("tmp/ holds %v, want the one temp file of the crashed write", files)
			}

			// A restarted worker recomputes and commits normally; a GC
			// past the grace period removes the debris.
			s2, err := Open(s.Dir())
			if err != nil {
				t.Fatal(err)
			}
			s2.now = clock.now
			restoreSeams()
			commit(t, s2, a, "result")
			clock.advance(2 * time.Hour)
			rep, err := s2.GC([]ActionID{a}, time.Hour, false)
			if err != nil {
				t.Fatal(err)
			}
			if rep.TempDeleted != 1 {
				t.Errorf("GC deleted %d temp files, want 1", rep.TempDeleted)
			}
			if _, err := s2.Lookup(a); err != nil {
				t.Errorf("Lookup after recompute and GC: %v", err)
			}
		})
	}
}

// restoreSeams undoes crashAt early, for the part of a test after the crash.
func restoreSeams() {
	createTemp, linkFile, renameFile, syncFile = createShared, os.Link, os.Rename, (*os.File).Sync
}
