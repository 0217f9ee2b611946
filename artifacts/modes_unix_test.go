//go:build unix

package artifacts

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSharedStoreModes checks that every file the store writes honours the
// umask, so a lab sharing a store under umask 002 can read (and, except
// objects, replace) each other's files, and that a setgid root passes its
// group on to every directory (issue #10: FORMAT, entries and run logs were
// 0600).
func TestSharedStoreModes(t *testing.T) {
	for _, tt := range []struct {
		umask           int
		file, obj, dirm os.FileMode
	}{
		{0o002, 0o664, 0o444, 0o775},
		{0o022, 0o644, 0o444, 0o755},
		{0o077, 0o600, 0o400, 0o700},
	} {
		t.Run(fmt.Sprintf("umask %03o", tt.umask), func(t *testing.T) {
			old := syscall.Umask(tt.umask)
			defer syscall.Umask(old)
			dir := t.TempDir()
			if err := os.Chmod(dir, 0o777|os.ModeSetgid); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			e := commit(t, s, actionID(1), "bytes")
			if err := s.WriteRun("pin-x", []byte("{}")); err != nil {
				t.Fatal(err)
			}
			if err := s.WriteSideFile("manifests/m", "manifest.json", []byte("{}")); err != nil {
				t.Fatal(err)
			}
			l, err := s.TryLease(actionID(2), "test")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Release()
			want := map[string]os.FileMode{
				formatFile:             tt.file,
				readmeFile:             tt.file,
				s.actionPath(e.Action): tt.file,
				s.runPath("pin-x"):     tt.file,
				filepath.Join("manifests", "m", "manifest.json"): tt.file,
				filepath.Join(leasesDir, actionID(2).String()):   tt.file,
				s.ObjectPath(e.Outputs[0].ID):                    tt.obj,
			}
			for p, m := range want {
				if !filepath.IsAbs(p) {
					p = filepath.Join(dir, p)
				}
				if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != m {
					t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, m)
				}
			}
			for _, d := range append(storeDirs, filepath.Dir(s.ObjectPath(e.Outputs[0].ID)), filepath.Dir(s.actionPath(e.Action))) {
				if !filepath.IsAbs(d) {
					d = filepath.Join(dir, d)
				}
				fi, err := os.Stat(d)
				if err != nil || fi.Mode().Perm() != tt.dirm || fi.Mode()&os.ModeSetgid == 0 {
					t.Errorf("%s: mode %v (%v), want %v with setgid", d, fi.Mode(), err, tt.dirm)
				}
			}
		})
	}
}
