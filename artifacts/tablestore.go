package artifacts

import (
	"bytes"
	"fmt"
	"io"
)

// PutTable writes t as Parquet (WriteParquet) straight into the store and
// returns the object's ID and size. The file streams through a temp file;
// it is never held in memory whole.
func (s *Store) PutTable(t *Table, meta []KV) (OutputID, int64, error) {
	return s.put(func(w io.Writer) error { return WriteParquet(w, t, meta) })
}

// ReadTable reads the table stored as o, after checking the bytes hash to
// o.ID: a flipped bit is reported (ErrIntegrity) rather than read as data.
// The whole object is read into memory, which the table needs anyway.
func (s *Store) ReadTable(o Output) (*Table, []KV, error) {
	f, err := s.OpenObject(o)
	if err != nil {
		return nil, nil, err
	}
	b := make([]byte, o.Size)
	_, err = io.ReadFull(f, b)
	f.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("read table %s (%s): %w", o.ID, o.Name, err)
	}
	if got := HashBytes(b); got != o.ID {
		return nil, nil, fmt.Errorf("read table %s (%s): bytes hash to %s: %w", o.ID, o.Name, got, ErrIntegrity)
	}
	t, kv, err := ReadParquet(bytes.NewReader(b), o.Size)
	if err != nil {
		return nil, nil, fmt.Errorf("read table %s (%s): %w", o.ID, o.Name, err)
	}
	return t, kv, nil
}
