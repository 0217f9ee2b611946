package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// reference runs the smoke study once, uninterrupted, and returns its outputs.
func reference(t *testing.T) map[string]string {
	t.Helper()
	store := t.TempDir()
	mustSmoke(t, store, "run")
	return outputsOf(t, store)
}

func TestKill9ThenRerunCompletesIdentically(t *testing.T) {
	want := reference(t)
	store := t.TempDir()
	args := []string{"run", "--config", repoConfig(t), "--preset", "smoke", "--store", store, "-j2"}
	// Kill at several moments: before the first commit, mid-training, during
	// the later stages. Each kill leaves whatever it leaves; the next start
	// picks up from the store.
	for _, after := range []time.Duration{30 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond} {
		cmd := exec.Command(degenBin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	mustSmoke(t, store, "run")
	sameOutputs(t, outputsOf(t, store), want)
	if r := smoke(t, store, "verify"); r.code != 0 {
		t.Fatalf("verify after crashes: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Debris is confined to tmp/ (and leases/): nothing half-written is an
	// object or an entry.
	for _, dir := range []string{"objects", "actions"} {
		filepath.Walk(filepath.Join(store, dir), func(p string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() && (strings.Contains(fi.Name(), "tmp") || strings.HasPrefix(fi.Name(), ".")) {
				t.Errorf("temp debris visible as a result: %s", p)
			}
			return nil
		})
	}
}

func TestConcurrentRunsOnOneStore(t *testing.T) {
	want := reference(t)
	store := t.TempDir()
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = smoke(t, store, "run", "-j1")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", i, r.code, r.stdout, r.stderr)
		}
	}
	sameOutputs(t, outputsOf(t, store), want)
	if r := smoke(t, store, "verify"); r.code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Every action was committed once: one entry per action, and the two runs
	// between them computed each action at most... once each, never with
	// different bytes (sameOutputs above), so ran counts add up to at least
	// the number of actions.
	ran := strings.Count(results[0].stdout, " ran ") + strings.Count(results[1].stdout, " ran ")
	if ran < len(want) {
		t.Errorf("the two runs computed %d actions between them, want ≥ %d", ran, len(want))
	}
	entries := 0
	filepath.Walk(filepath.Join(store, "actions"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			entries++
		}
		return nil
	})
	if entries != len(want) {
		t.Errorf("%d index entries, want %d (one per action)", entries, len(want))
	}
}

// flipByte changes one byte of a stored object in place (objects are
// read-only; a disk error does not ask).
func flipByte(t *testing.T, path string, truncate bool) {
	t.Helper()
	os.Chmod(path, 0o644)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if truncate {
		b = b[:len(b)-1]
	} else {
		b[len(b)/2] ^= 0x40
	}
	if err := os.WriteFile(path, b, 0o444); err != nil {
		t.Fatal(err)
	}
}

func objectPath(store, id string) string {
	return filepath.Join(store, "objects", id[:2], id)
}

func TestFlippedByteIsCaughtAndRecomputed(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	want := outputsOf(t, store)
	var trainWeights string
	for _, l := range plan(t, store) {
		if l.Stage == "train" && trainWeights == "" {
			trainWeights = l.Outputs["weights_final"]
		}
	}
	// Same size, one bit changed: only a full hash sees it. verify must fail,
	// quarantine the object and leave it to the next run.
	flipByte(t, objectPath(store, trainWeights), false)
	if r := smoke(t, store, "verify"); r.code != 1 || !strings.Contains(r.stdout+r.stderr, "corrupt") {
		t.Fatalf("verify with a flipped byte: exit %d, want 1 naming the corrupt object\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustSmoke(t, store, "run")
	sameOutputs(t, outputsOf(t, store), want)

	// A size change is caught by any read: the entry is a miss and reruns.
	flipByte(t, objectPath(store, trainWeights), true)
	r := mustSmoke(t, store, "run")
	if !strings.Contains(r.stdout, " ran ") {
		t.Fatalf("truncated object was not recomputed:\n%s", r.stdout)
	}
	sameOutputs(t, outputsOf(t, store), want)
	if r := smoke(t, store, "verify"); r.code != 0 {
		t.Fatalf("verify after repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestFlippedInputIsNeverUsed(t *testing.T) {
	// A same-size flip in an input the next computation reads: the runner
	// re-hashes inputs before use, recomputes the producer, and goes on.
	store := t.TempDir()
	mustSmoke(t, store, "run")
	want := outputsOf(t, store)
	// The base flip-flop condition is shared with the factor studies; its
	// label is the first study's (complexity: "flipflop/channels=1").
	const label = "flipflop/channels=1 seed=0"
	var weights string
	for _, l := range plan(t, store) {
		if l.Stage == "train" && l.Label == label {
			weights = l.Outputs["weights_final"]
		}
	}
	if weights == "" {
		t.Fatalf("no train action labelled %q", label)
	}
	flipByte(t, objectPath(store, weights), false)
	// Force the record actions of flipflop to run again by removing their entries.
	for _, l := range plan(t, store) {
		if l.Stage == "record" && l.Label == label {
			os.Remove(filepath.Join(store, "actions", l.Action[:2], l.Action))
		}
	}
	mustSmoke(t, store, "run")
	sameOutputs(t, outputsOf(t, store), want)
}
