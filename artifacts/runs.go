package artifacts

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Run logs are small JSON documents the pipeline keeps beside the index: the
// last run's keys (for `plan` to say why a node reruns) and pinned runs (GC
// roots). They are written like entries (replaceFile: fsync, rename, fsync
// the directory), so a crash never loses a pin that was reported written.
// This package does not interpret them.

const (
	runSuffix  = ".json"
	maxRunSize = 1 << 30 // a sanity bound on a corrupt read, far above any real log
)

// CheckRunName returns an error unless name can name a run log: 1 to 128
// bytes of [A-Za-z0-9._-], not starting with a dot.
func CheckRunName(name string) error {
	msg := nameProblem(name)
	if msg == "" && name[0] == '.' {
		msg = "must not start with a dot"
	}
	if msg != "" {
		return fmt.Errorf("run name %.40q: %s", name, msg)
	}
	return nil
}

func (s *Store) runPath(name string) string { return filepath.Join(s.dir, runsDir, name+runSuffix) }

// WriteRun durably replaces the run log name with b.
func (s *Store) WriteRun(name string, b []byte) error {
	if err := CheckRunName(name); err != nil {
		return fmt.Errorf("write run: %w", err)
	}
	if err := replaceFile(s.dir, s.runPath(name), s.tempPattern("run"), b); err != nil {
		return fmt.Errorf("write run %s: %w", name, err)
	}
	return nil
}

// ReadRun returns the run log name; an error wrapping ErrNotFound if there
// is none.
func (s *Store) ReadRun(name string) ([]byte, error) {
	if err := CheckRunName(name); err != nil {
		return nil, fmt.Errorf("read run: %w", err)
	}
	f, err := os.Open(s.runPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read run %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read run: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRunSize))
	if err != nil {
		return nil, fmt.Errorf("read run %s: %w", name, err)
	}
	return b, nil
}

// Runs lists the names of the stored run logs, sorted.
func (s *Store) Runs() ([]string, error) {
	files, err := os.ReadDir(filepath.Join(s.dir, runsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	var names []string
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), runSuffix)
		if ok && f.Type().IsRegular() && CheckRunName(name) == nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}
