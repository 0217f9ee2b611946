package artifacts

import (
	"errors"
	"os"
	"syscall"
)

// File-system seams. A test that replaces one with a function that panics
// simulates a crash at that step: cleanup in this package is explicit, never
// deferred, so a panic leaves exactly the debris a killed process would.
var (
	createTemp = os.CreateTemp // Overridden by tests.
	linkFile   = os.Link       // Overridden by tests.
	renameFile = os.Rename     // Overridden by tests.
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
