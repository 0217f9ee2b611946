package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests drive `degen submit` with fake sbatch scripts on PATH and run
// the workers by hand: no Slurm needed. slurm_test.go does the same through
// a real Slurm.

var smokeRef struct {
	once sync.Once
	dir  string
	out  map[string]string
}

// smokeReference is the smoke study computed by a plain local `degen run`,
// once per test binary: the bytes every cluster execution must reproduce.
func smokeReference(t *testing.T) (store string, outputs map[string]string) {
	t.Helper()
	smokeRef.once.Do(func() {
		dir, err := os.MkdirTemp(filepath.Dir(degenBin), "smoke-ref-") // removed by TestMain
		if err != nil {
			t.Fatal(err)
		}
		mustBase(t, dir, "run")
		smokeRef.dir, smokeRef.out = dir, outputsOf(t, dir, "--config", baseSmokeConfig(t))
	})
	if smokeRef.out == nil {
		t.Fatal("the reference run failed in an earlier test")
	}
	return smokeRef.dir, smokeRef.out
}

// fakeSbatch puts an sbatch script with the given body on a fresh PATH
// directory (with nothing else on it) and returns the env to run degen with.
func fakeSbatch(t *testing.T, body string) []string {
	t.Helper()
	bin := t.TempDir()
	script := "#!/bin/sh\nPATH=/usr/bin:/bin\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(bin, "sbatch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + bin}
}

// recordingSbatch records each call's argv (NUL-separated, one file per
// call) in dir and answers with job IDs 100, 101, ...
func recordingSbatch(t *testing.T, dir string) []string {
	return fakeSbatch(t, fmt.Sprintf(`n=$(ls %[1]q | wc -l)
for a in "$@"; do printf '%%s\0' "$a"; done > %[1]q/call.$n
echo $((100 + n))`, dir))
}

func readArgv(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// snapshot describes every file under dir (path, mode, size, SHA-256) so a
// test can assert a command left a store exactly as it was.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		line := fmt.Sprintf("%s %v %d", rel, fi.Mode(), fi.Size())
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			line += " " + hex.EncodeToString(sum[:8])
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// copyStore copies a store (objects keep their read-only mode).
func copyStore(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o777)
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, fi.Mode())
		if err != nil {
			return err
		}
		_, err = io.Copy(out, src)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

var manifestLine = regexp.MustCompile(`(?m)^manifest (\S+): (\d+) actions in (\d+) tasks`)

// submitted parses submit's output: the manifest ID, its action and task
// counts, and the job IDs.
func submitted(t *testing.T, r result) (id string, actions, tasks int, jobs []string) {
	t.Helper()
	m := manifestLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("submit printed no manifest line:\n%s%s", r.stdout, r.stderr)
	}
	fmt.Sscan(m[2], &actions)
	fmt.Sscan(m[3], &tasks)
	for _, j := range regexp.MustCompile(`(?m)^submitted job (\d+):`).FindAllStringSubmatch(r.stdout, -1) {
		jobs = append(jobs, j[1])
	}
	return m[1], actions, tasks, jobs
}

func TestSubmitWithoutSbatchTouchesNothing(t *testing.T) {
	ref, _ := smokeReference(t)
	store := copyStore(t, ref)
	before := snapshot(t, store)
	r := degenEnv(t, []string{"PATH=" + t.TempDir()}, "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke",
		"--store", store, "--set", "metrics.score.bootstrap=60")
	if r.code != 1 || !strings.Contains(r.stderr, "sbatch not found on PATH") {
		t.Fatalf("exit %d, want 1 and 'sbatch not found on PATH':\n%s%s", r.code, r.stdout, r.stderr)
	}
	if after := snapshot(t, store); after != before {
		t.Errorf("the store changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// --dry-run needs no sbatch, prints the command lines and writes nothing.
	r = degenEnv(t, []string{"PATH=" + t.TempDir()}, "submit", "--slurm", "--dry-run", "--config", baseSmokeConfig(t), "--preset", "smoke",
		"--store", store, "--set", "metrics.score.bootstrap=60")
	if r.code != 0 || !strings.Contains(r.stdout, "sbatch --parsable --array=0-0 ") || !strings.Contains(r.stdout, "dry run: 8 actions in 1 tasks") {
		t.Errorf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if after := snapshot(t, store); after != before {
		t.Errorf("the dry run changed the store")
	}
	// And no store is created where there was none.
	fresh := filepath.Join(t.TempDir(), "new")
	degenEnv(t, []string{"PATH=" + t.TempDir()}, "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", fresh)
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("submit without sbatch created %s", fresh)
	}
}

func TestSubmitRefusedBySbatchTouchesNothing(t *testing.T) {
	ref, _ := smokeReference(t)
	store := copyStore(t, ref)
	before := snapshot(t, store)
	env := fakeSbatch(t, `echo "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2; exit 1`)
	r := degenEnv(t, env, "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store,
		"--set", "metrics.score.bootstrap=60", "--partition", "nosuch")
	if r.code != 1 || !strings.Contains(r.stderr, "Invalid partition name specified") || !strings.Contains(r.stderr, "nothing was submitted") {
		t.Fatalf("exit %d, want 1 with sbatch's message:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if after := snapshot(t, store); after != before {
		t.Errorf("the store changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// A second array refused after the first was queued: the first is
	// cancelled (scancel) and the store is still untouched.
	calls := t.TempDir()
	env = fakeSbatch(t, fmt.Sprintf(`if [ -e %[1]q/first ]; then echo "sbatch: error: QOSMaxSubmitJobPerUserLimit" >&2; exit 1; fi
touch %[1]q/first; echo 7`, calls))
	os.WriteFile(filepath.Join(strings.TrimPrefix(env[0], "PATH="), "scancel"), []byte(fmt.Sprintf("#!/bin/sh\necho \"$@\" > %q/scancel\n", calls)), 0o755)
	r = degenEnv(t, env, "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store,
		"--set", "metrics.score.bootstrap=60", "--actions-per-task", "1", "--max-array-size", "2")
	if r.code != 1 || !strings.Contains(r.stderr, "QOSMaxSubmitJobPerUserLimit") {
		t.Fatalf("exit %d, want 1 with sbatch's message:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(calls, "scancel")); strings.TrimSpace(string(b)) != "7" {
		t.Errorf("scancel got %q, want the queued job 7", b)
	}
	if after := snapshot(t, store); after != before {
		t.Errorf("the store changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestSubmitArgvAndWorkersWithoutSlurm(t *testing.T) {
	_, want := smokeReference(t)
	store := t.TempDir()
	calls := t.TempDir()
	// Hostile values reach sbatch as single arguments, never via a shell.
	hostile := `--comment=a b; touch ` + filepath.Join(calls, "pwned") + ` $(id) "q"`
	r := degenEnv(t, recordingSbatch(t, calls), "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store,
		"--partition", "gpu_2", "--time", "1-02:00:00", "--cpus-per-task", "2", "--actions-per-task", "6",
		"--max-array-size", "4", "--throttle", "3", "--sbatch-arg", hostile)
	if r.code != 0 {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	id, actions, tasks, jobs := submitted(t, r)
	// 60 actions / 6 per task = 10 tasks, in arrays of at most 4.
	if actions != 60 || tasks != 10 || strings.Join(jobs, " ") != "100 101 102" {
		t.Fatalf("submitted %d actions in %d tasks as jobs %v; want 60 in 10 as 100 101 102\n%s", actions, tasks, jobs, r.stdout)
	}
	manifest := filepath.Join(store, "manifests", id+".json")
	firsts := []string{"0", "4", "8"}
	for i, first := range firsts {
		argv := readArgv(t, filepath.Join(calls, fmt.Sprintf("call.%d", i)))
		count := map[int]string{0: "0-3%3", 1: "0-3%3", 2: "0-1%3"}[i]
		wantArgs := []string{"--parsable", "--array=" + count, "--job-name=degen-" + id,
			"--output=" + filepath.Join(store, "manifests", id, "logs") + "/%A_%a.log", "--open-mode=append", "--requeue",
			"--cpus-per-task=2", "--partition=gpu_2", "--time=1-02:00:00", hostile,
			filepath.Join(store, "manifests", id, "worker.sh"), degenBin, "work", "--manifest", manifest, "--offset", first}
		if strings.Join(argv, "\n") != strings.Join(wantArgs, "\n") {
			t.Errorf("sbatch call %d:\n got %q\nwant %q", i, argv, wantArgs)
		}
	}
	if _, err := os.Stat(filepath.Join(calls, "pwned")); err == nil {
		t.Error("a shell ran the --sbatch-arg value")
	}
	// Run the 10 workers by hand, all at once: they must complete the plan
	// with the bytes of a local run, each action computed exactly once.
	var wg sync.WaitGroup
	outs := make([]result, tasks)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Odd workers compute two actions at once.
			outs[i] = degen(t, "work", "--manifest", manifest, "--index", fmt.Sprint(i), "-j", fmt.Sprint(1+i%2))
		}()
	}
	wg.Wait()
	ran := 0
	for i, o := range outs {
		if o.code != 0 {
			t.Errorf("worker %d: exit %d\n%s%s", i, o.code, o.stdout, o.stderr)
		}
		ran += countRan(o.stdout)
	}
	if ran != 60 {
		t.Errorf("the workers ran %d actions in all, want each of the 60 once", ran)
	}
	sameOutputs(t, outputsOf(t, store, "--config", baseSmokeConfig(t)), want)
	st := mustBase(t, store, "status", "--manifest", id)
	if !strings.Contains(st.stdout, fmt.Sprintf("%-9s %7d %7d %7d %7d", "total", 60, 0, 0, 0)) || !strings.Contains(st.stdout, "jobs 100 101 102") {
		t.Errorf("status --manifest:\n%s", st.stdout)
	}
	// Nothing is left to submit.
	r = degenEnv(t, recordingSbatch(t, t.TempDir()), "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store)
	if r.code != 0 || !strings.Contains(r.stdout, "nothing to submit") {
		t.Errorf("second submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// countRan counts the actions a worker's output says it computed.
func countRan(out string) int {
	return len(regexp.MustCompile(`(?m)^ran `).FindAllString(out, -1))
}

func TestManifestFromAnotherStoreIsRefused(t *testing.T) {
	ref, _ := smokeReference(t)
	a := copyStore(t, ref)
	r := degenEnv(t, recordingSbatch(t, t.TempDir()), "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke",
		"--store", a, "--set", "metrics.score.bootstrap=60")
	id, _, _, _ := submitted(t, r)
	manifest := filepath.Join(a, "manifests", id+".json")
	b := copyStore(t, ref)
	// A copy of the manifest inside b's manifests/ is refused too.
	os.MkdirAll(filepath.Join(b, "manifests"), 0o777)
	data, _ := os.ReadFile(manifest)
	copied := filepath.Join(b, "manifests", id+".json")
	os.WriteFile(copied, data, 0o644)
	before := snapshot(t, b)
	cases := [][]string{
		{"work", "--manifest", manifest, "--store", b, "--index", "0"},
		{"work", "--manifest", copied, "--index", "0"},
		{"status", "--manifest", copied},
		{"status", "--store", b, "--manifest", id},
		{"submit", "--slurm", "--resume", "--store", b, "--manifest", id},
		{"submit", "--slurm", "--resume", "--store", b, "--manifest", manifest},
	}
	for _, args := range cases {
		r := degenEnv(t, recordingSbatch(t, t.TempDir()), args...)
		if r.code != 2 || !strings.Contains(r.stderr, "belongs to the store "+a) {
			t.Errorf("degen %s: exit %d, want 2 naming the manifest's store:\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	if after := snapshot(t, b); after != before {
		t.Errorf("store b changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestGCKeepsWhatLiveManifestsNeed(t *testing.T) {
	ref, _ := smokeReference(t)
	for _, tc := range []struct {
		ttl      string
		keepsAll bool
	}{{"720h", true}, {"0s", false}} {
		t.Run("ttl="+tc.ttl, func(t *testing.T) {
			store := copyStore(t, ref)
			// The manifest's score actions are pending; everything before
			// them is cached and is what its workers will read.
			set := "metrics.score.bootstrap=60"
			r := degenEnv(t, recordingSbatch(t, t.TempDir()), "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke",
				"--store", store, "--set", set)
			// 4 scores, and the figures and report actions that read them.
			if _, n, _, _ := submitted(t, r); n != 8 {
				t.Fatalf("submitted %d actions, want the 4 scores and 4 figures/report actions", n)
			}
			// gc with a configuration that needs only the pi study.
			mustBase(t, store, "gc", "--grace", "0s", "--manifest-ttl", tc.ttl, "--set", `study.smoke.tasks=["pi"]`)
			pending := 0
			for _, l := range planBase(t, store, "--set", set) {
				if l.State != "cached" {
					pending++
				}
			}
			if tc.keepsAll && pending != 8 {
				t.Errorf("after gc, %d actions of the live manifest's plan are pending, want only its 8", pending)
			}
			if !tc.keepsAll && pending <= 8 {
				t.Errorf("after gc with the manifest expired, %d pending: gc kept what nothing needs", pending)
			}
		})
	}
}

func TestSubmitBadFlagsExit2(t *testing.T) {
	store := t.TempDir()
	env := recordingSbatch(t, t.TempDir())
	for _, args := range [][]string{
		{"--time", "2h"},
		{"--partition", "a b"},
		{"--cpus-per-task", "0"},
		{"--actions-per-task", "0"},
	} {
		r := degenEnv(t, env, append([]string{"submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, args[0]) {
			t.Errorf("submit %v: exit %d, want 2 naming %s:\n%s", args, r.code, args[0], r.stderr)
		}
	}
	if r := degenEnv(t, env, "submit", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store); r.code != 2 {
		t.Errorf("submit without --slurm: exit %d, want 2", r.code)
	}
	if names, _ := os.ReadDir(store); len(names) != 0 {
		t.Errorf("bad flags created %v in the store", names)
	}
	if r := degen(t, "work", "--help"); r.code != 0 || !strings.Contains(r.stderr, "pulls work") {
		t.Errorf("work --help: exit %d\n%s", r.code, r.stderr)
	}
}

func TestFailedActionBlocksItsDependents(t *testing.T) {
	store := t.TempDir()
	r := degenEnv(t, recordingSbatch(t, t.TempDir()), "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke",
		"--store", store, "--max-tasks", "1")
	id, _, _, _ := submitted(t, r)
	manifest := filepath.Join(store, "manifests", id+".json")
	w := degenEnv(t, []string{"DEGEN_TEST_FAIL_STAGE=train"}, "work", "--manifest", manifest, "--index", "0")
	// 4 generates run; 12 trains fail; the 44 actions after them are blocked.
	want := "ran 4, done elsewhere 0, failed 12, blocked 44"
	if w.code != 1 || !strings.Contains(w.stdout, want) {
		t.Fatalf("worker: exit %d, want 1 and %q:\n%s%s", w.code, want, w.stdout, w.stderr)
	}
	st := mustBase(t, store, "status", "--manifest", id)
	if !strings.Contains(st.stdout, fmt.Sprintf("%-9s %7d %7d %7d %7d", "total", 4, 0, 44, 12)) {
		t.Errorf("status:\n%s", st.stdout)
	}
	// A second worker on the same manifest retries nothing that failed.
	w = degen(t, "work", "--manifest", manifest, "--index", "0")
	if w.code != 1 || countRan(w.stdout) != 0 {
		t.Errorf("second worker: exit %d, ran %d, want 1 and 0:\n%s", w.code, countRan(w.stdout), w.stdout)
	}
	r = degenEnv(t, recordingSbatch(t, t.TempDir()), "submit", "--slurm", "--resume", "--store", store)
	if _, n, _, _ := submitted(t, r); n != 56 {
		t.Errorf("--resume submitted %d actions, want the 56 not committed", n)
	}
}

func TestWorkerRespectsLiveLeaseAndLeavesWhenIdle(t *testing.T) {
	store := t.TempDir()
	r := degenEnv(t, recordingSbatch(t, t.TempDir()), "submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke",
		"--store", store, "--max-tasks", "1")
	id, _, _, _ := submitted(t, r)
	// This test process "computes" generate pi: a live lease on this host.
	var gen planLine
	for _, l := range planBase(t, store) {
		if l.Stage == "generate" && strings.HasPrefix(l.Label, "pi") {
			gen = l
		}
	}
	host, _ := os.Hostname()
	lease := fmt.Sprintf(`{"owner":"test","host":%q,"pid":%d,"token":"t","heartbeat":%q}`+"\n",
		host, os.Getpid(), time.Now().UTC().Format(time.RFC3339Nano))
	if err := os.WriteFile(filepath.Join(store, "leases", gen.Action), []byte(lease), 0o644); err != nil {
		t.Fatal(err)
	}
	w := degen(t, "work", "--manifest", filepath.Join(store, "manifests", id+".json"), "--index", "0", "--idle-exit", "1s")
	// generate pi, the 9 actions that read its probe set and the 4 figures
	// and report actions after them wait for the lease holder; the other 46
	// (pi's trainings among them) run.
	want := "ran 46, done elsewhere 0, failed 0, blocked 0, left to other workers 14"
	if w.code != 0 || !strings.Contains(w.stdout, want) {
		t.Fatalf("worker: exit %d, want 0 and %q:\n%s%s", w.code, want, w.stdout, w.stderr)
	}
	st := mustBase(t, store, "status", "--manifest", id)
	if !strings.Contains(st.stdout, fmt.Sprintf("%-9s %7d %7d %7d %7d", "total", 46, 1, 13, 0)) || !strings.Contains(st.stdout, "running  generate pi") {
		t.Errorf("status:\n%s", st.stdout)
	}
}
