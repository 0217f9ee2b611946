package artifacts

import (
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// File-system seams. A test that replaces one with a function that panics
// simulates a crash at that step: cleanup in this package is explicit, never
// deferred, so a panic leaves exactly the debris a killed process would.
var (
	createTemp = createShared // Overridden by tests.
	linkFile   = os.Link      // Overridden by tests.
	renameFile = os.Rename    // Overridden by tests.
	syncFile   = (*os.File).Sync
)

// syncDir makes a link, rename or unlink in dir durable. Filesystems that
// cannot fsync a directory (some network and FUSE ones) say so with EINVAL or
// ENOTSUP; there is nothing better to do there, so that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// createShared is os.CreateTemp with mode 0666 instead of 0600: the umask
// (and a default ACL, if the directory has one) then decides who else may
// read, so a lab that shares a store under umask 002 gets files its group
// can read (issue #10). Every file in the store starts as one of these.
func createShared(dir, pattern string) (*os.File, error) {
	prefix, suffix, _ := strings.Cut(pattern, "*")
	for {
		name := filepath.Join(dir, prefix+rand.Text()[:12]+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// makeReadOnly drops every write bit of path and keeps its read bits, which
// came from the umask: objects are immutable, and as readable as any other
// file of the store.
func makeReadOnly(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.Chmod(path, fi.Mode().Perm()&0o444)
}
