package artifacts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// OpenObject opens o's object for reading after checking that its size is
// o.Size: a short object is one a crash or a full disk cut off. It returns
// ErrNotFound if the object is missing and ErrIntegrity if its size is
// wrong. It does not re-hash; VerifyObject and ReadTable do.
func (s *Store) OpenObject(o Output) (*os.File, error) {
	f, err := os.Open(s.ObjectPath(o.ID))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open object %s (%s): %w", o.ID, o.Name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open object: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() != o.Size {
		err = fmt.Errorf("object %s (%s) has %d bytes, want %d: %w", o.ID, o.Name, fi.Size(), o.Size, ErrIntegrity)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// VerifyObject re-hashes o's object and returns ErrIntegrity unless its bytes
// hash to o.ID and number o.Size.
func (s *Store) VerifyObject(o Output) error {
	f, err := s.OpenObject(o)
	if err != nil {
		return err
	}
	defer f.Close()
	id, n, err := HashOutput(f)
	if err != nil {
		return fmt.Errorf("verify object %s: %w", o.ID, err)
	}
	if id != o.ID || n != o.Size {
		return fmt.Errorf("object %s (%s) hashes to %s (%d bytes): %w", o.ID, o.Name, id, n, ErrIntegrity)
	}
	return nil
}

// QuarantineObject moves the object named id out of objects/ into
// quarantine/, for a caller that found it damaged. Every entry naming it
// becomes a miss, so the actions that produced it are recomputed and Put
// installs a good copy. Quarantining a missing object is not an error.
func (s *Store) QuarantineObject(id OutputID) error {
	dst := filepath.Join(s.dir, quarDir, id.String())
	err := renameFile(s.ObjectPath(id), dst)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("quarantine object %s: %w", id, err)
	}
	return syncDir(filepath.Dir(s.ObjectPath(id)))
}
