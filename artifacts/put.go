package artifacts

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Put stores the bytes of r as an object and returns their OutputID and
// size. Putting bytes that are already stored is cheap on disk (the new copy
// is discarded) and always succeeds.
func (s *Store) Put(r io.Reader) (OutputID, int64, error) {
	// Hide r's WriteTo (os.File has one) so the copy uses our large buffer.
	r = struct{ io.Reader }{r}
	return s.put(func(w io.Writer) error {
		_, err := io.CopyBuffer(w, r, make([]byte, copyBufSize))
		return err
	})
}

// put is the one write path into objects/: write streams the content, which
// is hashed on the way into a temp file in tmp/ (same filesystem, so it can
// be linked), then installed under its hash.
func (s *Store) put(write func(io.Writer) error) (OutputID, int64, error) {
	f, err := createTemp(filepath.Join(s.dir, tmpDir), s.tempPattern("obj"))
	if err != nil {
		return OutputID{}, 0, fmt.Errorf("put: %w", err)
	}
	tmp := f.Name()
	id, n, err := writeHashed(f, write)
	if err == nil {
		// Objects are immutable; read-only is a guard against accidents,
		// and chmod before link gives the object its mode atomically.
		err = makeReadOnly(tmp)
	}
	if err == nil {
		err = s.install(tmp, id, n)
	}
	os.Remove(tmp)
	if err != nil {
		return OutputID{}, 0, fmt.Errorf("put: %w", err)
	}
	return id, n, nil
}

// writeHashed runs write into f while hashing, then fsyncs and closes f. The
// data must be durable before the link makes it visible under its name.
func writeHashed(f *os.File, write func(io.Writer) error) (OutputID, int64, error) {
	h := sha256.New()
	cw := &countingWriter{w: &hashingWriter{w: f, h: h}}
	bw := bufio.NewWriterSize(cw, copyBufSize)
	err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var id OutputID
	h.Sum(id[:0])
	return id, cw.n, err
}

// install links tmp (holding n bytes that hash to id) to id's object path.
// link(2), unlike rename(2), fails if the name exists: the first writer wins
// and nobody replaces an object another process may be reading.
func (s *Store) install(tmp string, id OutputID, n int64) error {
	dst := s.ObjectPath(id)
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return err
	}
	// Two rounds: the second runs only after a damaged object was moved aside.
	for range 2 {
		err := linkFile(tmp, dst)
		if err == nil {
			return syncDir(filepath.Dir(dst))
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		fi, err := os.Stat(dst)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed by GC between our link and stat: link again
		}
		if err != nil {
			return err
		}
		if fi.Size() == n {
			s.touch(dst)
			return nil
		}
		// Same name, wrong size: the existing object is damaged.
		if err := s.QuarantineObject(id); err != nil {
			return err
		}
	}
	return fmt.Errorf("install object %s: %w: it keeps reappearing with the wrong size", id, ErrIntegrity)
}

// touch marks an existing object as recently wanted, so that a GC running
// between our Put and our Commit keeps it (GC spares anything younger than
// its grace period). Only the owner may set times; for other users of a
// shared store this silently does nothing and the grace period is all the
// protection there is.
func (s *Store) touch(path string) {
	t := s.now()
	_ = os.Chtimes(path, t, t)
}

// tempPattern names temp files after their writer, so debris in tmp/ on a
// shared store says which host left it.
func (s *Store) tempPattern(kind string) string {
	host := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s.host)
	return fmt.Sprintf("%s.%s.%d.*", kind, host, s.pid)
}

// hashingWriter writes to w and hashes in parallel: SHA-256 of a 1 MiB
// chunk takes about as long as writing it to the page cache, so overlapping
// the two nearly halves Put's time on a machine with a spare core.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	done := make(chan struct{})
	go func() {
		hw.h.Write(p)
		close(done)
	}()
	n, err := hw.w.Write(p)
	<-done
	return n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
