package artifacts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// A GCReport counts what GC kept and deleted (or, in a dry run, would
// delete).
type GCReport struct {
	EntriesKept, EntriesDeleted int
	ObjectsKept, ObjectsDeleted int
	BytesKept, BytesDeleted     int64 // object bytes
	TempDeleted                 int   // files in tmp/ and quarantine/
	TempBytesDeleted            int64
	LeasesDeleted               int // stale leases
}

// gcLeaseName is the lease GC holds so that two collections never sweep the
// same store at once (each would be correct, but their reports would be
// nonsense).
const gcLeaseName = "gc"

// GC deletes what the roots do not need. It keeps the index entries of the
// roots and every object they name; it also keeps anything modified within
// grace of now, entries and objects alike, because another process may be
// between its Put and its Commit, or committing an action of a study that is
// not among these roots. It deletes other entries, unreferenced objects,
// temp files and quarantined objects older than grace, and stale leases.
//
// Concurrent readers are safe: an entry whose object GC deleted is a miss.
// A dry run deletes nothing and reports what would go.
func (s *Store) GC(roots []ActionID, grace time.Duration, dryRun bool) (GCReport, error) {
	if !dryRun {
		l, err := s.tryLease(gcLeaseName, "gc")
		if err != nil {
			return GCReport{}, fmt.Errorf("gc: %w", err)
		}
		defer l.Release()
	}
	g := &collector{s: s, cutoff: s.now().Add(-grace), dryRun: dryRun, marked: map[OutputID]bool{}}
	g.roots = make(map[ActionID]bool, len(roots))
	for _, a := range roots {
		g.roots[a] = true
	}
	steps := []func() error{g.sweepEntries, g.sweepObjects, g.sweepTemp, g.sweepLeases}
	for _, step := range steps {
		if err := step(); err != nil {
			return g.rep, fmt.Errorf("gc: %w", err)
		}
	}
	return g.rep, nil
}

type collector struct {
	s      *Store
	cutoff time.Time
	dryRun bool
	roots  map[ActionID]bool
	marked map[OutputID]bool // objects some kept entry names
	rep    GCReport
}

func (g *collector) old(fi fs.FileInfo) bool { return fi.ModTime().Before(g.cutoff) }

// sweepEntries runs before sweepObjects: an entry must never outlive the
// objects it names by more than the moment between two unlinks.
func (g *collector) sweepEntries() error {
	return g.s.walkShards(actionsDir, func(path, name string, fi fs.FileInfo) error {
		a, err := ParseActionID(name)
		keep := err == nil && (g.roots[a] || !g.old(fi))
		if keep {
			if e, err := g.s.readEntry(a); err == nil {
				for _, o := range e.Blobs() {
					g.marked[o.ID] = true
				}
			} else if g.old(fi) {
				keep = false // a corrupt root entry is a miss; nothing to keep
			}
		}
		if keep {
			g.rep.EntriesKept++
			return nil
		}
		g.rep.EntriesDeleted++
		return g.remove(path)
	})
}

func (g *collector) sweepObjects() error {
	return g.s.walkShards(objectsDir, func(path, name string, fi fs.FileInfo) error {
		id, err := ParseOutputID(name)
		if err == nil && (g.marked[id] || !g.old(fi)) {
			g.rep.ObjectsKept++
			g.rep.BytesKept += fi.Size()
			return nil
		}
		g.rep.ObjectsDeleted++
		g.rep.BytesDeleted += fi.Size()
		return g.remove(path)
	})
}

// sweepTemp deletes old debris: writes that crashed, quarantined objects.
// The grace period protects writes still in progress.
func (g *collector) sweepTemp() error {
	for _, dir := range []string{tmpDir, quarDir} {
		files, err := os.ReadDir(filepath.Join(g.s.dir, dir))
		if err != nil {
			return err
		}
		for _, f := range files {
			fi, err := f.Info()
			if errors.Is(err, fs.ErrNotExist) || err == nil && !g.old(fi) {
				continue
			}
			if err != nil {
				return err
			}
			g.rep.TempDeleted++
			g.rep.TempBytesDeleted += fi.Size()
			if err := g.remove(filepath.Join(g.s.dir, dir, f.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *collector) sweepLeases() error {
	dir := filepath.Join(g.s.dir, leasesDir)
	files, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Name() == gcLeaseName {
			continue
		}
		path := filepath.Join(dir, f.Name())
		info, raw, err := g.s.readLease(path)
		if errors.Is(err, fs.ErrNotExist) || err == nil && g.s.leaseLive(info) {
			continue
		}
		if err != nil {
			return err
		}
		g.rep.LeasesDeleted++
		if !g.dryRun {
			if err := g.s.breakLease(path, raw); err != nil && !errors.Is(err, ErrLocked) {
				return err
			}
		}
	}
	return nil
}

// remove deletes path unless this is a dry run. A file already gone was
// deleted by someone else, which is what we wanted.
func (g *collector) remove(path string) error {
	if g.dryRun {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (r GCReport) String() string {
	return fmt.Sprintf("%d entries (kept %d), %d objects of %d bytes (kept %d of %d bytes), %d temp files of %d bytes, %d stale leases",
		r.EntriesDeleted, r.EntriesKept, r.ObjectsDeleted, r.BytesDeleted, r.ObjectsKept, r.BytesKept,
		r.TempDeleted, r.TempBytesDeleted, r.LeasesDeleted)
}
