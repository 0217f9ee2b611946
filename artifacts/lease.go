package artifacts

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// LeaseRefresh is how often a lease holder should call Refresh. A minute
// keeps the write load on a shared filesystem negligible even with thousands
// of workers.
const LeaseRefresh = time.Minute

// LeaseStale is how old a heartbeat must be before anyone may break the
// lease. Ten missed refreshes: generous enough for clock skew between hosts
// and NFS attribute caching (up to ~60 s), short enough that a crashed Slurm
// task delays its action by minutes, not hours. restic uses 30 min for locks
// that guard correctness; ours only save duplicate work, so erring short is
// cheap.
const LeaseStale = 10 * time.Minute

// A LeaseInfo is the content of a lease file (JSON).
type LeaseInfo struct {
	Owner     string    `json:"owner"` // free text from the holder, e.g. a Slurm job and task ID
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Token     string    `json:"token"` // random; tells two leases of one process apart
	Heartbeat time.Time `json:"heartbeat"`
	// The holder's Slurm job, array job and array task IDs, when it runs
	// under Slurm: for `degen status` and for a person deciding whether a
	// holder is still alive (squeue -j), like host and pid.
	Job       string `json:"slurm_job,omitempty"`
	ArrayJob  string `json:"slurm_array_job,omitempty"`
	ArrayTask string `json:"slurm_array_task,omitempty"`
}

// A Lease is a claim to compute one action. Leases are an optimisation
// only: a worker that finds an action leased skips it for now, but two
// workers that both compute it (a lease broken while its holder was alive
// but slow) just Commit the same entry twice.
type Lease struct {
	s    *Store
	path string
	raw  []byte // the file content we last wrote; anything else means lost
}

var pidAlive = processAlive // Overridden by tests.

// TryLease claims action a for owner. It returns ErrLocked if a live holder
// has it. A lease is stale, and is broken, if its heartbeat is older than
// LeaseStale or if it was taken on this host by a process that has exited.
func (s *Store) TryLease(a ActionID, owner string) (*Lease, error) {
	l, err := s.tryLease(a.String(), owner)
	if err != nil {
		return nil, fmt.Errorf("lease %s: %w", a, err)
	}
	return l, nil
}

func (s *Store) tryLease(name, owner string) (*Lease, error) {
	path := filepath.Join(s.dir, leasesDir, name)
	for range 2 {
		l, err := s.createLease(path, owner)
		if !errors.Is(err, fs.ErrExist) {
			return l, err
		}
		info, raw, err := s.readLease(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released between our create and read
		}
		if err != nil {
			return nil, err
		}
		if s.leaseLive(info) {
			return nil, fmt.Errorf("%w by %s (pid %d on %s, heartbeat %s)", ErrLocked,
				info.Owner, info.PID, info.Host, info.Heartbeat.UTC().Format(time.RFC3339))
		}
		if err := s.breakLease(path, raw); err != nil {
			return nil, err
		}
	}
	return nil, ErrLocked
}

// createLease creates path with O_EXCL, which is atomic on local
// filesystems and on NFSv3 and later.
func (s *Store) createLease(path, owner string) (*Lease, error) {
	raw, err := s.leaseContent(owner, randomToken())
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err != nil {
		return nil, err
	}
	_, err = f.Write(raw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return &Lease{s: s, path: path, raw: raw}, nil
}

func (s *Store) leaseContent(owner, token string) ([]byte, error) {
	info := LeaseInfo{Owner: owner, Host: s.host, PID: s.pid, Token: token, Heartbeat: s.now().UTC()}
	info.Job, info.ArrayJob, info.ArrayTask = slurmIDs()
	b, err := json.Marshal(info)
	return append(b, '\n'), err
}

func randomToken() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// readLease reads a lease file. One that does not parse (a holder caught
// between create and write, or garbage) gets its file time as heartbeat, so
// it is respected for LeaseStale and then broken.
func (s *Store) readLease(path string) (LeaseInfo, []byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return LeaseInfo{}, nil, err
	}
	var info LeaseInfo
	if json.Unmarshal(raw, &info) != nil || info.Heartbeat.IsZero() {
		fi, err := os.Stat(path)
		if err != nil {
			return LeaseInfo{}, nil, err
		}
		info = LeaseInfo{Owner: "(unreadable lease)", Heartbeat: fi.ModTime()}
	}
	return info, raw, nil
}

func (s *Store) leaseLive(info LeaseInfo) bool {
	if s.now().Sub(info.Heartbeat) > LeaseStale {
		return false
	}
	if info.Host != "" && info.Host == s.host && info.PID > 0 && !pidAlive(info.PID) {
		return false
	}
	return true
}

// breakLease removes the stale lease whose content is raw. It first moves
// the file aside, then checks it moved what it judged stale: two workers
// breaking the same lease must not delete the fresh lease one of them just
// took. If it moved someone else's fresh lease, it puts it back.
func (s *Store) breakLease(path string, raw []byte) error {
	f, err := createTemp(filepath.Join(s.dir, tmpDir), s.tempPattern("lease"))
	if err != nil {
		return err
	}
	aside := f.Name()
	f.Close()
	if err := renameFile(path, aside); err != nil {
		os.Remove(aside)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // someone else broke or released it
		}
		return err
	}
	moved, err := os.ReadFile(aside)
	if err == nil && !bytes.Equal(moved, raw) {
		linkFile(aside, path) // EEXIST: yet another worker holds it now; fine
		err = ErrLocked
	}
	os.Remove(aside)
	return err
}

// Refresh renews the heartbeat. It returns ErrLocked if the lease was
// broken and perhaps taken by someone else: the holder may finish its work
// (committing is always safe) but has lost its claim.
func (l *Lease) Refresh() error {
	cur, err := os.ReadFile(l.path)
	if err != nil || !bytes.Equal(cur, l.raw) {
		return fmt.Errorf("refresh lease %s: lost: %w", filepath.Base(l.path), ErrLocked)
	}
	var info LeaseInfo
	if err := json.Unmarshal(l.raw, &info); err != nil {
		return fmt.Errorf("refresh lease %s: %w", filepath.Base(l.path), err)
	}
	raw, err := l.s.leaseContent(info.Owner, info.Token)
	if err != nil {
		return err
	}
	if err := l.s.replaceLease(l.path, raw); err != nil {
		return fmt.Errorf("refresh lease %s: %w", filepath.Base(l.path), err)
	}
	l.raw = raw
	return nil
}

// replaceLease rewrites a lease atomically, so a reader never sees it empty.
func (s *Store) replaceLease(path string, raw []byte) error {
	f, err := createTemp(filepath.Join(s.dir, tmpDir), s.tempPattern("lease"))
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(raw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = renameFile(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// Release gives the lease up. Releasing a lease that was broken meanwhile
// leaves the new holder's file alone and is not an error.
func (l *Lease) Release() error {
	cur, err := os.ReadFile(l.path)
	if err != nil || !bytes.Equal(cur, l.raw) {
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("release lease %s: %w", filepath.Base(l.path), err)
	}
	return nil
}

// ReadLease reports who holds a's lease and whether it is live; it returns
// ErrNotFound if there is no lease file. For status displays.
func (s *Store) ReadLease(a ActionID) (info LeaseInfo, live bool, err error) {
	info, _, err = s.readLease(filepath.Join(s.dir, leasesDir, a.String()))
	if errors.Is(err, fs.ErrNotExist) {
		return LeaseInfo{}, false, fmt.Errorf("lease %s: %w", a, ErrNotFound)
	}
	if err != nil {
		return LeaseInfo{}, false, fmt.Errorf("lease %s: %w", a, err)
	}
	return info, s.leaseLive(info), nil
}
