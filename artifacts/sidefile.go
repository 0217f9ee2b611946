package artifacts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Side files are the small files a store keeps beside its objects and
// entries for the cluster executor: submitted manifests, their failure
// records and their Slurm logs. They live under sideRoots only, are never
// content-addressed, and GC leaves them alone (the manifests are GC roots).
var sideRoots = []string{"manifests"}

// sidePath checks that dir/name stays under one of sideRoots and returns its
// absolute path. dir is slash-separated ("manifests/20261206-ab/failed").
func (s *Store) sidePath(dir, name string) (string, error) {
	rel := filepath.ToSlash(filepath.Clean(filepath.FromSlash(dir)))
	first, _, _ := strings.Cut(rel, "/")
	ok := false
	for _, r := range sideRoots {
		ok = ok || first == r
	}
	if !ok || strings.Contains("/"+rel+"/", "/../") || filepath.IsAbs(dir) {
		return "", fmt.Errorf("side file directory %q: not under %s", dir, strings.Join(sideRoots, ", "))
	}
	if name != "" && (name != filepath.Base(name) || name == "." || name == "..") {
		return "", fmt.Errorf("side file name %q: want a plain file name", name)
	}
	return filepath.Join(s.dir, filepath.FromSlash(rel), name), nil
}

// SideDir creates the side directory dir (if needed) and returns its
// absolute path, for files another program writes there (Slurm's logs).
func (s *Store) SideDir(dir string) (string, error) {
	path, err := s.sidePath(dir, "")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(path, 0o777); err != nil {
		return "", err
	}
	return path, nil
}

// WriteSideFile installs b as dir/name durably and atomically (replaceFile):
// a reader on any host sees the old file, the new one or none, never a part.
// Its mode follows the umask like every file of the store, so the workers of
// every member of a shared store's group can read a manifest.
func (s *Store) WriteSideFile(dir, name string, b []byte) error {
	dst, err := s.sidePath(dir, name)
	if err != nil {
		return err
	}
	if err := replaceFile(s.dir, dst, s.tempPattern("side"), b); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}

// ReadSideFile reads dir/name; a missing file is ErrNotFound.
func (s *Store) ReadSideFile(dir, name string) ([]byte, error) {
	path, err := s.sidePath(dir, name)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	return b, err
}

// ListSideFiles lists the regular files in dir, sorted; a missing directory
// is empty.
func (s *Store) ListSideFiles(dir string) ([]string, error) {
	path, err := s.sidePath(dir, "")
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// RemoveSide deletes dir/name (name "" deletes the directory dir and all it
// holds), then each parent side directory left empty: undoing a submission
// that Slurm refused leaves the store as it was.
func (s *Store) RemoveSide(dir, name string) error {
	path, err := s.sidePath(dir, name)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(path); err != nil {
		return err
	}
	for p := filepath.Dir(path); p != s.dir && strings.HasPrefix(p, s.dir); p = filepath.Dir(p) {
		if os.Remove(p) != nil {
			break // not empty (or gone): stop
		}
	}
	return nil
}
