package artifacts

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// A Store is a content-addressed store rooted at a directory. Its methods are
// safe for concurrent use by goroutines and by processes on several hosts
// sharing the directory (see the package comment).
type Store struct {
	dir  string
	host string
	pid  int

	// now is the clock for leases and GC; a field so tests can fake time.
	now func() time.Time
}

// FormatVersion is the on-disk format this package reads and writes. Bump it
// (and teach Open to refuse or migrate) whenever the layout or the index
// entry grammar changes incompatibly. 2: index entries carry a sum (entry
// grammar v2); Open upgrades a version 1 store in place, its entries become
// misses.
const FormatVersion = 2

const (
	formatFile  = "FORMAT"
	readmeFile  = "README"
	objectsDir  = "objects"
	actionsDir  = "actions"
	tmpDir      = "tmp"
	leasesDir   = "leases"
	quarDir     = "quarantine"
	runsDir     = "runs"
	formatMagic = "degen-store"
)

// Subdirectories created by Open; objects/ and actions/ get their shard
// directories lazily, on first write.
var storeDirs = []string{objectsDir, actionsDir, tmpDir, leasesDir, quarDir, runsDir}

// Open opens the store at dir, creating it if needed. It refuses a directory
// whose FORMAT names a version this package does not know, so an old binary
// never writes into a store laid out by a newer one.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := checkNewStoreDir(abs); err != nil {
		return nil, fmt.Errorf("open store %s: %w", abs, err)
	}
	for _, d := range append([]string{""}, storeDirs...) {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o777); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	if err := checkFormat(abs); err != nil {
		return nil, fmt.Errorf("open store %s: %w", abs, err)
	}
	writeReadme(abs)
	host, _ := os.Hostname()
	return &Store{dir: abs, host: host, pid: os.Getpid(), now: time.Now}, nil
}

// Dir is the store's root directory (absolute).
func (s *Store) Dir() string { return s.dir }

func formatLine(v int) []byte { return fmt.Appendf(nil, "%s %d\n", formatMagic, v) }

// checkFormat reads FORMAT, or writes it into a new store. Concurrent Opens
// of a fresh store race to link the same content; either winner is right.
// A version 1 store is upgraded: its layout is ours, only its entries lack
// sums, and those read as misses (recomputed and rewritten on demand).
// Replacing FORMAT keeps an older degen, which would rewrite every entry in
// the old grammar, from using the store afterwards.
func checkFormat(dir string) error {
	path := filepath.Join(dir, formatFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := installSmallFile(dir, path, formatLine(FormatVersion)); err != nil {
			return err
		}
		b, err = os.ReadFile(path)
	}
	if err == nil && bytes.Equal(b, formatLine(1)) {
		b = formatLine(FormatVersion)
		err = replaceFile(dir, path, "format-*", b)
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(b, formatLine(FormatVersion)) {
		return fmt.Errorf("%s is %q; this degen reads only %q (a store written by another degen version?)",
			path, bytes.TrimSpace(b), bytes.TrimSpace(formatLine(FormatVersion)))
	}
	return nil
}

// checkNewStoreDir refuses to turn a directory that holds other things into
// a store: a mistyped --store pointing at a home or project directory should
// fail, not sprout objects/ and tmp/ there. A directory holding only store
// subdirectories is a store that a concurrent Open is creating right now.
func checkNewStoreDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, formatFile)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !slices.Contains(storeDirs, e.Name()) && e.Name() != readmeFile && e.Name() != formatFile {
			return fmt.Errorf("not a degen store (no %s) and not empty (has %s); use an empty or new directory", formatFile, e.Name())
		}
	}
	return nil
}

// installSmallFile writes b to a temp file and links it to path; an existing
// path is left alone.
func installSmallFile(dir, path string, b []byte) error {
	tmp, err := writeTemp(filepath.Join(dir, tmpDir), "small-*", b)
	if err != nil {
		return err
	}
	err = linkFile(tmp, path)
	if errors.Is(err, fs.ErrExist) {
		err = nil
	}
	os.Remove(tmp)
	return err
}

// replaceFile installs b as path in the store at dir: temp file, fsync,
// rename, fsync the directory. rename(2) replaces atomically, so a reader sees
// the old content, the new one, or none, never a mixture; after a crash the
// new content is either durable or absent. Entries, run logs, pins and side
// files (manifests) are all written this way.
func replaceFile(dir, path, pattern string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := writeTemp(filepath.Join(dir, tmpDir), pattern, b)
	if err != nil {
		return err
	}
	if err := renameFile(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

// writeTemp writes b to a new temp file in dir and makes it durable: the
// first step of every commit. It returns the file's name, closed (close
// before rename or link: Windows refuses either on an open file); on error
// nothing is left behind.
func writeTemp(dir, pattern string, b []byte) (string, error) {
	f, err := createTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, err = f.Write(b)
	if err == nil {
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

const readmeText = `This directory is a degen artifact store (format in FORMAT).

objects/ab/<sha256>   immutable blobs (mostly Parquet), named by the SHA-256 of their bytes
actions/ab/<id>       index entries: action ID -> named output objects (text, one per action)
leases/<id>           "being computed by host/pid" markers; safe to delete when nothing runs
tmp/                  writes in progress or debris from crashes; 'degen gc' cleans it
quarantine/           objects that failed a hash check, kept for inspection
runs/                 run logs and pinned runs (gc roots)

Do not edit files here by hand: use 'degen status', 'degen verify' and 'degen gc'.
Any object can be checked with: sha256sum objects/ab/<sha256>
The full format is described in docs/store.md of the degen source.
`

// writeReadme is a courtesy for humans who find the directory; failing to
// write it (read-only store) does not matter.
func writeReadme(dir string) {
	path := filepath.Join(dir, readmeFile)
	if _, err := os.Stat(path); err == nil {
		return
	}
	_ = installSmallFile(dir, path, []byte(readmeText))
}

// shardPath is root/ab/<hex>: 256 shards keep directories small enough for
// fast READDIR on network filesystems.
func (s *Store) shardPath(root, hexID string) string {
	return filepath.Join(s.dir, root, hexID[:2], hexID)
}

// ObjectPath is the path of the object named id (which may not exist).
func (s *Store) ObjectPath(id OutputID) string { return s.shardPath(objectsDir, id.String()) }

// actionPath is the path of a's index entry (which may not exist).
func (s *Store) actionPath(a ActionID) string { return s.shardPath(actionsDir, a.String()) }
