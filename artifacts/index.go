package artifacts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Commit records e as the result of e.Action. Every object e names must
// already be in the store with its recorded size (Put them first): the entry
// is the last thing written, so a reader that sees it can trust it. Two
// processes committing the same action both succeed; the later entry wins,
// which for a deterministic action is the same entry.
func (s *Store) Commit(e *Entry) error {
	b, err := encodeEntry(e)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := s.checkBlobs(e); err != nil {
		return fmt.Errorf("commit %s: %w", e.Action, err)
	}
	if err := s.writeEntry(e.Action, b); err != nil {
		return fmt.Errorf("commit %s: %w", e.Action, err)
	}
	return nil
}

// writeEntry installs b as a's entry durably and atomically (replaceFile).
func (s *Store) writeEntry(a ActionID, b []byte) error {
	return replaceFile(s.dir, s.actionPath(a), s.tempPattern("act"), b)
}

// Lookup returns a's entry if it is complete: it parses, its sum matches,
// and every object it names exists with the recorded size. Anything else
// returns an error wrapping ErrNotFound, whose text says which; when an
// entry exists but is unusable (corrupt, or naming a vanished or truncated
// object) the error also wraps ErrDamaged.
func (s *Store) Lookup(a ActionID) (*Entry, error) {
	e, err := s.readEntry(a)
	if err != nil {
		return nil, fmt.Errorf("lookup %s: %w", a, err)
	}
	if err := s.checkBlobs(e); err != nil {
		if errors.Is(err, ErrNotFound) {
			err = fmt.Errorf("%w: %w", ErrDamaged, err)
		}
		return nil, fmt.Errorf("lookup %s: %w", a, err)
	}
	return e, nil
}

// readEntry parses a's entry without looking at its objects.
func (s *Store) readEntry(a ActionID) (*Entry, error) {
	f, err := os.Open(s.actionPath(a))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxEntrySize+1))
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, []byte(entryMagicV1)) {
		// Written before entries had sums: not damaged, just not
		// trustworthy enough to use; recomputing rewrites it.
		return nil, fmt.Errorf("%w: %s: entry grammar v1 (no sum)", ErrNotFound, s.actionPath(a))
	}
	e, err := parseEntry(b)
	if err == nil && e.Action != a {
		err = fmt.Errorf("%w: entry is for action %s", errEntry, e.Action)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w: %s: %v", ErrNotFound, ErrDamaged, s.actionPath(a), err)
	}
	return e, nil
}

// checkBlobs returns ErrNotFound unless every object of e exists with its
// recorded size.
func (s *Store) checkBlobs(e *Entry) error {
	for _, o := range e.Blobs() {
		fi, err := os.Stat(s.ObjectPath(o.ID))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: object %s (%s) is missing", ErrNotFound, o.ID, o.Name)
		}
		if err != nil {
			return err
		}
		if fi.Size() != o.Size {
			return fmt.Errorf("%w: object %s (%s) has %d bytes, want %d", ErrNotFound, o.ID, o.Name, fi.Size(), o.Size)
		}
	}
	return nil
}

// RemoveAction deletes a's entry, so that a is recomputed; its objects stay
// until GC. Removing a missing entry is not an error.
func (s *Store) RemoveAction(a ActionID) error {
	err := os.Remove(s.actionPath(a))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove action %s: %w", a, err)
	}
	return nil
}

// Actions lists the ActionIDs that have an index entry, in ascending order.
// An entry listed here may still be incomplete (Lookup decides); files whose
// names are not action IDs are ignored.
func (s *Store) Actions() ([]ActionID, error) {
	var ids []ActionID
	err := s.walkShards(actionsDir, func(_, name string, _ fs.FileInfo) error {
		if a, err := ParseActionID(name); err == nil {
			ids = append(ids, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	slices.SortFunc(ids, func(x, y ActionID) int { return bytes.Compare(x[:], y[:]) })
	return ids, nil
}

// walkShards calls fn for every regular file in root/*/, shard by shard,
// with its path and name.
// Files that vanish during the walk (a concurrent GC) are skipped.
func (s *Store) walkShards(root string, fn func(path, name string, fi fs.FileInfo) error) error {
	shards, err := os.ReadDir(filepath.Join(s.dir, root))
	if err != nil {
		return err
	}
	for _, sh := range shards {
		if !sh.IsDir() {
			continue
		}
		shard := filepath.Join(s.dir, root, sh.Name())
		files, err := os.ReadDir(shard)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, f := range files {
			fi, err := f.Info()
			if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.Mode().IsRegular() {
				continue
			}
			if err != nil {
				return err
			}
			if err := fn(filepath.Join(shard, f.Name()), f.Name(), fi); err != nil {
				return err
			}
		}
	}
	return nil
}

// RemoveDamaged looks up every entry in the store, whichever configuration
// it belongs to, and removes each damaged one (ErrDamaged: it fails its sum
// or does not parse, or names a missing or truncated object), so that it is
// never used. It returns what was wrong with each, for verify to report.
func (s *Store) RemoveDamaged() ([]error, error) {
	ids, err := s.Actions()
	if err != nil {
		return nil, err
	}
	var found []error
	for _, a := range ids {
		_, err := s.Lookup(a)
		if !errors.Is(err, ErrDamaged) {
			continue
		}
		if rerr := s.RemoveAction(a); rerr != nil {
			return found, rerr
		}
		found = append(found, err)
	}
	return found, nil
}
