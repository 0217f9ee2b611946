package artifacts

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testClock is a fake clock shared by the tests: far enough from real time
// that a file's real mtime never looks "just written" unless a test says so.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time          { return c.t }
func (c *testClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newStore(t *testing.T) (*Store, *testClock) {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Now()}
	s.now = clock.now
	return s, clock
}

func actionID(i int) ActionID { return ActionID(sha256.Sum256([]byte{'a', byte(i), byte(i >> 8)})) }

func put(t *testing.T, s *Store, data string) Output {
	t.Helper()
	id, n, err := s.Put(bytes.NewReader([]byte(data)))
	if err != nil {
		t.Fatal(err)
	}
	return Output{Name: "out", ID: id, Size: n}
}

// commit puts each datum as an output named o0, o1, ... and commits them.
func commit(t *testing.T, s *Store, a ActionID, data ...string) *Entry {
	t.Helper()
	e := &Entry{Action: a}
	for i, d := range data {
		o := put(t, s, d)
		o.Name = "o" + string(rune('0'+i))
		e.Outputs = append(e.Outputs, o)
	}
	if err := s.Commit(e); err != nil {
		t.Fatal(err)
	}
	return e
}

func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestOpenLayout(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	for _, d := range storeDirs {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("%s: not a directory after Open (%v)", d, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "FORMAT")); string(b) != "degen-store 2\n" {
		t.Errorf("FORMAT = %q, want %q", b, "degen-store 2\n")
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		t.Errorf("README: %v", err)
	}
	if _, err := Open(dir); err != nil {
		t.Errorf("reopen: %v", err)
	}
	notStore := t.TempDir()
	os.WriteFile(filepath.Join(notStore, "thesis.tex"), nil, 0o666)
	if _, err := Open(notStore); err == nil {
		t.Errorf("Open of a non-empty directory without FORMAT succeeded, want an error")
	}
	if _, err := os.Stat(filepath.Join(notStore, "objects")); err == nil {
		t.Errorf("Open created objects/ in a directory it refused")
	}
	// A version 1 store (entries without sums) is upgraded in place.
	os.WriteFile(filepath.Join(dir, "FORMAT"), []byte("degen-store 1\n"), 0o666)
	if _, err := Open(dir); err != nil {
		t.Errorf("Open of a format-1 store: %v, want an upgrade", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "FORMAT")); string(b) != "degen-store 2\n" {
		t.Errorf("FORMAT after upgrade = %q, want %q", b, "degen-store 2\n")
	}
	os.WriteFile(filepath.Join(dir, "FORMAT"), []byte("degen-store 3\n"), 0o666)
	if _, err := Open(dir); err == nil {
		t.Errorf("Open of a format-3 store succeeded, want an error")
	}
}

func TestPutLookup(t *testing.T) {
	s, _ := newStore(t)
	data := "hello, store"
	o := put(t, s, data)
	if want := OutputID(sha256.Sum256([]byte(data))); o.ID != want || o.Size != int64(len(data)) {
		t.Fatalf("Put = %s, %d; want %s, %d", o.ID, o.Size, want, len(data))
	}
	fi, err := os.Stat(s.ObjectPath(o.ID))
	if err != nil || fi.Mode().Perm() != 0o444 {
		t.Fatalf("object mode = %v (%v), want 0444", fi.Mode(), err)
	}
	a := actionID(1)
	if _, err := s.Lookup(a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Lookup before Commit: err = %v, want ErrNotFound", err)
	}
	want := &Entry{Action: a, Outputs: []Output{{Name: "table", ID: o.ID, Size: o.Size}}, Prov: &Output{Name: "prov", ID: o.ID, Size: o.Size}}
	if err := s.Commit(want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Lookup(a)
	if err != nil {
		t.Fatal(err)
	}
	if !entriesEqual(got, want) {
		t.Errorf("Lookup = %+v, want %+v", got, want)
	}
	f, err := s.OpenObject(got.Outputs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	buf.ReadFrom(f)
	if buf.String() != data {
		t.Errorf("object content = %q, want %q", buf.String(), data)
	}
	if files := dirFiles(t, filepath.Join(s.Dir(), tmpDir)); len(files) != 0 {
		t.Errorf("tmp/ holds %v after clean writes, want nothing", files)
	}
}

// entriesEqual compares entries by their unique encoding.
func entriesEqual(a, b *Entry) bool {
	x, err1 := encodeEntry(a)
	y, err2 := encodeEntry(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func TestPutSameBytesConcurrently(t *testing.T) {
	s, _ := newStore(t)
	data := bytes.Repeat([]byte("same bytes "), 10000)
	const writers = 16
	ids := make([]OutputID, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() { ids[i], _, errs[i] = s.Put(bytes.NewReader(data)) })
	}
	wg.Wait()
	want := HashBytes(data)
	for i := range writers {
		if errs[i] != nil || ids[i] != want {
			t.Errorf("writer %d: Put = %s, %v; want %s, nil", i, ids[i], errs[i], want)
		}
	}
	if objs := dirFiles(t, filepath.Join(s.Dir(), objectsDir)); len(objs) != 1 {
		t.Errorf("objects/ holds %d files, want 1: %v", len(objs), objs)
	}
	if files := dirFiles(t, filepath.Join(s.Dir(), tmpDir)); len(files) != 0 {
		t.Errorf("tmp/ holds %v, want nothing", files)
	}
}

func TestLookupMisses(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(s *Store, e *Entry) error
		damaged bool // Lookup(e.Action) also wraps ErrDamaged: verify reports it
	}{
		{"object removed", func(s *Store, e *Entry) error { return os.Remove(s.ObjectPath(e.Outputs[1].ID)) }, true},
		{"object truncated", func(s *Store, e *Entry) error { return os.Truncate(s.ObjectPath(e.Outputs[0].ID), 3) }, true},
		{"object grown", func(s *Store, e *Entry) error {
			p := s.ObjectPath(e.Outputs[0].ID)
			os.Chmod(p, 0o644)
			return os.WriteFile(p, []byte("longer than before"), 0o644)
		}, true},
		{"entry truncated", func(s *Store, e *Entry) error { return os.Truncate(s.actionPath(e.Action), 40) }, true},
		{"entry garbage", func(s *Store, e *Entry) error { return os.WriteFile(s.actionPath(e.Action), []byte("\x00\xff"), 0o644) }, true},
		{"entry bit flipped", func(s *Store, e *Entry) error {
			b, _ := os.ReadFile(s.actionPath(e.Action))
			b[len(b)/2] ^= 1
			return os.WriteFile(s.actionPath(e.Action), b, 0o644)
		}, true},
		{"entry of another action", func(s *Store, e *Entry) error {
			b, _ := os.ReadFile(s.actionPath(e.Action))
			other := actionID(99)
			os.MkdirAll(filepath.Dir(s.actionPath(other)), 0o777)
			os.Remove(s.actionPath(e.Action))
			return os.WriteFile(s.actionPath(other), b, 0o644)
		}, false},
		{"entry in grammar v1", func(s *Store, e *Entry) error {
			v1 := "degen-action v1 " + e.Action.String() + "\nend\n"
			return os.WriteFile(s.actionPath(e.Action), []byte(v1), 0o644)
		}, false},
		{"entry removed", func(s *Store, e *Entry) error { return s.RemoveAction(e.Action) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t)
			e := commit(t, s, actionID(1), "first output", "second output")
			if _, err := s.Lookup(e.Action); err != nil {
				t.Fatalf("Lookup before damage: %v", err)
			}
			if err := tt.damage(s, e); err != nil {
				t.Fatal(err)
			}
			for _, a := range []ActionID{e.Action, actionID(99)} {
				if got, err := s.Lookup(a); !errors.Is(err, ErrNotFound) {
					t.Errorf("Lookup(%.8s) = %v, %v; want ErrNotFound", a, got, err)
				}
			}
			if _, err := s.Lookup(e.Action); errors.Is(err, ErrDamaged) != tt.damaged {
				t.Errorf("Lookup = %v; want ErrDamaged %v", err, tt.damaged)
			}
		})
	}
}

func TestFlippedByte(t *testing.T) {
	s, _ := newStore(t)
	e := commit(t, s, actionID(1), "some precious bytes")
	o := e.Outputs[0]
	if err := s.VerifyObject(o); err != nil {
		t.Fatalf("VerifyObject before damage: %v", err)
	}
	p := s.ObjectPath(o.ID)
	b, _ := os.ReadFile(p)
	b[5] ^= 0x01
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyObject(o); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("VerifyObject of a flipped byte: err = %v, want ErrIntegrity", err)
	}
	// Same size, so Lookup still trusts the entry; verification is what
	// catches it, and quarantine turns it into a miss.
	if err := s.QuarantineObject(o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lookup(e.Action); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Lookup after quarantine: err = %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), quarDir, o.ID.String())); err != nil {
		t.Errorf("quarantined copy: %v", err)
	}
	commit(t, s, e.Action, "some precious bytes")
	if err := s.VerifyObject(o); err != nil {
		t.Errorf("VerifyObject after recompute: %v", err)
	}
}

// A Put of bytes whose object exists but is damaged (wrong size) replaces it.
func TestPutRepairsTruncatedObject(t *testing.T) {
	s, _ := newStore(t)
	o := put(t, s, "0123456789")
	os.Truncate(s.ObjectPath(o.ID), 4)
	if err := s.VerifyObject(o); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("VerifyObject of a truncated object: err = %v, want ErrIntegrity", err)
	}
	if _, err := s.OpenObject(o); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("OpenObject of a truncated object: err = %v, want ErrIntegrity", err)
	}
	put(t, s, "0123456789")
	if err := s.VerifyObject(o); err != nil {
		t.Errorf("VerifyObject after re-Put: %v", err)
	}
}

func TestCommitNeedsObjects(t *testing.T) {
	s, _ := newStore(t)
	o := put(t, s, "x")
	missing := Output{Name: "gone", ID: HashBytes([]byte("never put")), Size: 9}
	tests := []struct {
		name string
		e    *Entry
	}{
		{"missing output", &Entry{Action: actionID(1), Outputs: []Output{o, missing}}},
		{"missing prov", &Entry{Action: actionID(1), Outputs: []Output{o}, Prov: &missing}},
		{"wrong size", &Entry{Action: actionID(1), Outputs: []Output{{Name: "out", ID: o.ID, Size: 2}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Commit(tt.e); !errors.Is(err, ErrNotFound) {
				t.Errorf("Commit: err = %v, want ErrNotFound", err)
			}
			if _, err := os.Stat(s.actionPath(tt.e.Action)); err == nil {
				t.Errorf("an entry was written")
			}
		})
	}
	bad := &Entry{Action: actionID(2), Outputs: []Output{{Name: "has space", ID: o.ID, Size: 1}}}
	if err := s.Commit(bad); err == nil {
		t.Errorf("Commit with output name %q succeeded, want an error", "has space")
	}
}

func TestActions(t *testing.T) {
	s, _ := newStore(t)
	want := map[ActionID]bool{}
	for i := range 20 {
		commit(t, s, actionID(i), "x")
		want[actionID(i)] = true
	}
	os.WriteFile(filepath.Join(s.Dir(), actionsDir, "README"), []byte("junk"), 0o644)
	got, err := s.Actions()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Actions lists %d, want %d", len(got), len(want))
	}
	for i, a := range got {
		if !want[a] {
			t.Errorf("Actions lists unknown %s", a)
		}
		if i > 0 && bytes.Compare(got[i-1][:], a[:]) >= 0 {
			t.Errorf("Actions not ascending at %d", i)
		}
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("disk on fire")
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

// A Put whose reader fails leaves nothing behind: no object, no temp file.
func TestPutReaderError(t *testing.T) {
	s, _ := newStore(t)
	if _, _, err := s.Put(&failingReader{n: 3 << 20}); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	for _, d := range []string{objectsDir, tmpDir} {
		if files := dirFiles(t, filepath.Join(s.Dir(), d)); len(files) != 0 {
			t.Errorf("%s/ holds %v, want nothing", d, files)
		}
	}
}
