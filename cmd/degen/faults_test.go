package main

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Faults of issue #10 (store and engine half), each injected as a user or a
// disk would; docs/store.md lists them in "Faults we test".

func actionPath(store, id string) string { return filepath.Join(store, "actions", id[:2], id) }

// TestRepairRaceUnderJ2: a flipped byte in a network's weights, then a -j2
// run in which several actions (its record and every align batch of its
// condition) read them at once. Whichever finds the damage quarantines and
// recomputes; the others must repair too, never fail with "not found".
func TestRepairRaceUnderJ2(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	want := outputsOf(t, store)
	for trial := range 3 {
		var weights, label string
		for _, l := range plan(t, store) {
			if l.Stage == "train" && strings.HasPrefix(l.Label, "flipflop") && strings.HasSuffix(l.Label, " seed=0") && weights == "" {
				weights, label = l.Outputs["weights_final"], l.Label
			}
		}
		flipByte(t, objectPath(store, weights), false)
		for _, l := range plan(t, store) {
			if strings.HasPrefix(l.Label, "flipflop") && (l.Stage == "align" || l.Stage == "record" && l.Label == label) {
				os.Remove(actionPath(store, l.Action))
			}
		}
		if r := smoke(t, store, "run", "-j2"); r.code != 0 {
			t.Fatalf("trial %d: run -j2 with a corrupt shared input: exit %d\n%s%s", trial, r.code, r.stdout, r.stderr)
		}
		sameOutputs(t, outputsOf(t, store), want)
	}
}

// TestVerifyFailsOnDamagedStore: verify exits 1 whenever something was
// wrong, says what, and removes the damaged entry; the next run repairs it
// and verify is clean again.
func TestVerifyFailsOnDamagedStore(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	want := outputsOf(t, store)
	pick := func(stage, output string) (action, object string) {
		for _, l := range plan(t, store) {
			if l.Stage == stage && l.Label == "sine seed=1" {
				return l.Action, l.Outputs[output]
			}
		}
		t.Fatalf("no %s sine seed=1", stage)
		return "", ""
	}
	stranger := fmt.Sprintf("%x", sha256.Sum256([]byte("an action of another configuration")))
	// Each damage returns the entry verify must remove.
	tests := []struct {
		name   string
		damage func() string
	}{
		{"truncated object", func() string {
			a, o := pick("train", "curve")
			flipByte(t, objectPath(store, o), true)
			return a
		}},
		{"deleted object", func() string {
			a, o := pick("record", "trajectories")
			os.Remove(objectPath(store, o))
			return a
		}},
		{"garbage entry", func() string {
			a, _ := pick("dsafit", "")
			os.WriteFile(actionPath(store, a), []byte("garbage\n"), 0o644)
			return a
		}},
		{"bit flipped in an entry", func() string {
			a, _ := pick("train", "")
			b, _ := os.ReadFile(actionPath(store, a))
			b[len(b)/3] ^= 0x01
			os.WriteFile(actionPath(store, a), b, 0o644)
			return a
		}},
		{"garbage entry of another configuration", func() string {
			os.MkdirAll(filepath.Dir(actionPath(store, stranger)), 0o777)
			os.WriteFile(actionPath(store, stranger), []byte("degen-action v2 \x00\n"), 0o644)
			return stranger
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			damaged := tt.damage()
			r := smoke(t, store, "verify")
			if r.code != 1 || !strings.Contains(r.stdout, "damaged") {
				t.Fatalf("verify of a store with a %s: exit %d, want 1 naming the damage\n%s%s", tt.name, r.code, r.stdout, r.stderr)
			}
			if _, err := os.Stat(actionPath(store, damaged)); err == nil {
				t.Errorf("verify left the damaged entry %s in place", damaged)
			}
			mustSmoke(t, store, "run")
			sameOutputs(t, outputsOf(t, store), want)
			if r := smoke(t, store, "verify"); r.code != 0 {
				t.Fatalf("verify after the repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestInterruptExits130: SIGINT ends a run with one line on stderr and exit
// status 130 (issue #10: it printed a "context canceled" line per action and
// exited 1); the next run resumes and completes.
func TestInterruptExits130(t *testing.T) {
	store := t.TempDir()
	cmd := exec.Command(degenBin, "run", "--config", repoConfig(t), "--preset", "smoke", "--store", store, "-j2",
		"--set", "study.smoke.n_seeds=12")
	var errb strings.Builder
	cmd.Stderr = &errb
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once some action has committed (its "ran" line), so the
	// rerun has something to find cached.
	var out strings.Builder
	ran := make(chan struct{})
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if !signalled && strings.Contains(sc.Text(), "] ran ") {
				close(ran)
				signalled = true
			}
		}
	}()
	select {
	case <-ran:
	case <-copied:
		t.Fatalf("the run ended before any action committed:\n%s", errb.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("no action committed within 2 minutes")
	}
	cmd.Process.Signal(syscall.SIGINT)
	<-copied
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if code != 130 {
		t.Fatalf("run interrupted: exit %d, want 130\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	m := regexp.MustCompile(`^interrupted; (\d+) actions committed, rerun to resume\n$`).FindStringSubmatch(errb.String())
	if m == nil {
		t.Fatalf("stderr = %q, want the one line \"interrupted; N actions committed, rerun to resume\"", errb.String())
	}
	if strings.Contains(out.String(), "context canceled") || strings.Contains(out.String(), "failed") {
		t.Errorf("stdout reports cancelled actions as failures:\n%s", out.String())
	}
	if m[1] == "0" {
		t.Errorf("interrupted after an action committed, but the line says 0 actions committed")
	}
	r := mustSmoke(t, store, "run", "--set", "study.smoke.n_seeds=12")
	if want := " " + m[1] + " cached"; !strings.Contains(r.stdout, want) {
		t.Errorf("rerun after the interrupt: want %q (the committed actions)\n%s", want, r.stdout)
	}
}

func TestCountFlagsAreValidated(t *testing.T) {
	store := filepath.Join(t.TempDir(), "s")
	for _, args := range [][]string{
		{"run", "-j", "0"},
		{"run", "-j", "-1"},
		{"run", "-j0"},
		{"verify", "-j", "0"},
		{"verify", "--sample", "-3"},
		{"verify", "--sample", "x"},
	} {
		r := smoke(t, store, args[0], args[1:]...)
		if r.code != 2 || !strings.Contains(r.stderr, "usage") {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("store was touched")
	}
}

// TestSharedActionFoundByEachLabel: a study that resolves to the smoke
// study's flipflop condition under another label (flipflop/channels=1)
// shares its actions; explain finds them by either label, with flags after
// the label, and gc counts each root once.
func TestSharedActionFoundByEachLabel(t *testing.T) {
	store := t.TempDir()
	twin := []string{"--set", `study.twin.tasks=["flipflop"]`, "--set", "study.twin.n_seeds=3",
		"--set", "study.twin.vary=task.channels", "--set", "study.twin.values=[1]"}
	mustSmoke(t, store, "run", append(twin, "--pin", "both")...)
	var train string
	for _, label := range []string{"train flipflop seed=0", "train flipflop/channels=1 seed=0"} {
		r := degen(t, append([]string{"explain", label, "--config", repoConfig(t), "--preset", "smoke", "--store", store}, twin...)...)
		if r.code != 0 {
			t.Fatalf("explain %q (flags after it): exit %d\n%s", label, r.code, r.stderr)
		}
		first := strings.SplitN(r.stdout, "\n", 2)[0]
		if train != "" && first != train {
			t.Errorf("explain %q found %q, want the shared %q", label, first, train)
		}
		train = first
		if !strings.Contains(r.stdout, "flipflop/channels=1 seed=0") {
			t.Errorf("explain %q does not list the twin study's label:\n%s", label, r.stdout)
		}
	}
	n := len(plan(t, store, twin...))
	r := mustSmoke(t, store, "gc", append(twin, "--dry-run")...)
	if !strings.HasPrefix(r.stdout, fmt.Sprintf("%d roots;", n)) {
		t.Errorf("gc: %q, want %d roots (the configuration's actions, pinned too, each once)", r.stdout, n)
	}
}

// TestStoreFilesFollowUmask: under umask 002 (a lab's shared store) every
// file a run writes is group-readable: entries, run logs, pins, FORMAT
// (issue #10: they were 0600).
func TestStoreFilesFollowUmask(t *testing.T) {
	if os.Getenv("DEGEN_TEST_EXEC") != "" {
		t.Skip("the emulator wrapper runs without a shell")
	}
	store := filepath.Join(t.TempDir(), "lab")
	line := fmt.Sprintf("umask 002 && exec %q run --config %q --preset smoke --store %q --pin lab", degenBin, repoConfig(t), store)
	if out, err := exec.Command("sh", "-c", line).CombinedOutput(); err != nil {
		t.Fatalf("run under umask 002: %v\n%s", err, out)
	}
	err := filepath.Walk(store, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := os.FileMode(0o664)
		switch {
		case fi.IsDir():
			want = 0o775
		case strings.Contains(p, "/objects/"):
			want = 0o444
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
