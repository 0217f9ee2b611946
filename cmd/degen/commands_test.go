package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestStoreLocation(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, "from-env")
	cmd := exec.Command(degenBin, "plan", "--config", repoConfig(t), "--preset", "smoke")
	cmd.Env = append(os.Environ(), "DEGEN_STORE="+env)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	if _, err := os.Stat(env); !os.IsNotExist(err) {
		t.Errorf("plan created the store at %s", env)
	}
	cmd = exec.Command(degenBin, "run", "--config", repoConfig(t), "--preset", "smoke", "--set", `study.smoke.tasks=["flipflop"]`)
	cmd.Env = append(os.Environ(), "DEGEN_STORE="+env)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(env, "FORMAT")); err != nil {
		t.Errorf("DEGEN_STORE not used: %v", err)
	}
	// --store beats DEGEN_STORE.
	flag := filepath.Join(dir, "from-flag")
	cmd = exec.Command(degenBin, "run", "--config", repoConfig(t), "--preset", "smoke", "--store", flag, "--set", `study.smoke.tasks=["flipflop"]`)
	cmd.Env = append(os.Environ(), "DEGEN_STORE="+env)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(flag, "FORMAT")); err != nil {
		t.Errorf("--store not used: %v", err)
	}
}

func TestStatusAndExplain(t *testing.T) {
	store := t.TempDir()
	before := mustSmoke(t, store, "status")
	if !strings.Contains(before.stdout, "train") || !strings.Contains(before.stdout, "total") {
		t.Fatalf("status:\n%s", before.stdout)
	}
	mustSmoke(t, store, "run")
	after := mustSmoke(t, store, "status")
	lines := plan(t, store)
	last := strings.Fields(strings.TrimSpace(after.stdout[strings.LastIndex(after.stdout, "total"):]))
	if len(last) != 3 || last[1] != itoa(len(lines)) || last[2] != "0" {
		t.Errorf("status after run: total line %v, want %d cached 0 pending:\n%s", last, len(lines), after.stdout)
	}
	var rec planLine
	for _, l := range lines {
		if l.Stage == "record" {
			rec = l
			break
		}
	}
	ex := mustSmoke(t, store, "explain", rec.Action[:12])
	for _, w := range []string{"HASH[key] stage \"record\"", "HASH[key] params", "HASH[key] input \"train weights_final", "HASH[action] salt", "HASH[action] = " + rec.Action, "output trajectories"} {
		if !strings.Contains(ex.stdout, w) {
			t.Errorf("explain lacks %q:\n%s", w, ex.stdout)
		}
	}
	if r := smoke(t, store, "explain", "0"); r.code != 2 {
		t.Errorf("ambiguous prefix: exit %d, want 2", r.code)
	}
}

func TestWorkComputesOneAction(t *testing.T) {
	store := t.TempDir()
	var target planLine
	for _, l := range plan(t, store) {
		if l.Stage == "train" {
			target = l
			break
		}
	}
	r := mustSmoke(t, store, "work", "--action", target.Recipe[:16])
	if strings.Count(r.stdout, " ran ") != 1 {
		t.Fatalf("work ran %d actions, want 1:\n%s", strings.Count(r.stdout, " ran "), r.stdout)
	}
	states := map[string]int{}
	for _, l := range plan(t, store) {
		states[l.State]++
		if l.Recipe == target.Recipe && l.State != "cached" {
			t.Errorf("the worked action is %s", l.State)
		}
	}
	if states["cached"] != 1 {
		t.Errorf("%d actions cached after one work, want 1", states["cached"])
	}
	// An action whose inputs are not computed is refused.
	for _, l := range plan(t, store) {
		if l.Stage == "score" {
			if r := smoke(t, store, "work", "--action", l.Recipe); r.code != 1 || !strings.Contains(r.stdout+r.stderr, "not computed yet") {
				t.Errorf("work on a score with missing inputs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			break
		}
	}
}

func TestGCKeepsRootsAndDeletesTheRest(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run", "--set", "task.flipflop.p_pulse=0.4")
	mustSmoke(t, store, "run")
	old := countFiles(t, filepath.Join(store, "actions"))
	dry := mustSmoke(t, store, "gc", "--dry-run", "--grace", "0s")
	if !strings.Contains(dry.stdout, "would delete") || countFiles(t, filepath.Join(store, "actions")) != old {
		t.Fatalf("dry run deleted something:\n%s", dry.stdout)
	}
	mustSmoke(t, store, "gc", "--grace", "0s")
	left := countFiles(t, filepath.Join(store, "actions"))
	if left >= old {
		t.Errorf("gc left %d of %d entries", left, old)
	}
	for _, l := range plan(t, store) {
		if l.State != "cached" {
			t.Errorf("after gc, %s %s is %s (a root was collected)", l.Stage, l.Label, l.State)
		}
	}
	if r := smoke(t, store, "verify"); r.code != 0 {
		t.Errorf("verify after gc: exit %d\n%s", r.code, r.stderr)
	}
	// Young entries survive the default grace period.
	mustSmoke(t, store, "run", "--set", "task.flipflop.p_pulse=0.4")
	n := countFiles(t, filepath.Join(store, "actions"))
	mustSmoke(t, store, "gc")
	if countFiles(t, filepath.Join(store, "actions")) != n {
		t.Errorf("gc with the default grace deleted fresh entries")
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n++
		}
		return nil
	})
	return n
}
