package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"degen/artifacts"
)

// The CLI tests run the real binary, built once, against stores in temp dirs:
// what a user types is what is tested.

var degenBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "degen-cli-test-")
	if err != nil {
		panic(err)
	}
	degenBin = filepath.Join(dir, "degen")
	build := exec.Command("go", "build", "-o", degenBin, ".")
	if arch := os.Getenv("DEGEN_TEST_GOARCH"); arch != "" {
		// Cross-architecture check: build for arch, run under an emulator
		// (DEGEN_TEST_EXEC, e.g. qemu-aarch64-static); see `just test-cross`.
		build.Env = append(os.Environ(), "GOARCH="+arch)
	}
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build degen: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoConfig is the repository's pipeline.toml; tests layer presets on it.
func repoConfig(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("../../pipeline.toml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type result struct {
	stdout, stderr string
	code           int
}

func degen(t *testing.T, args ...string) result {
	t.Helper()
	return degenEnv(t, nil, args...)
}

// degenEnv runs degen with extra environment variables (KEY=value).
func degenEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(degenBin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	if emu := os.Getenv("DEGEN_TEST_EXEC"); emu != "" {
		cmd = exec.Command(emu, append([]string{degenBin}, args...)...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("degen %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// smoke runs a command on the smoke preset against store.
func smoke(t *testing.T, store string, cmd string, args ...string) result {
	t.Helper()
	return degen(t, append([]string{cmd, "--config", repoConfig(t), "--preset", "smoke", "--store", store}, args...)...)
}

func mustSmoke(t *testing.T, store string, cmd string, args ...string) result {
	t.Helper()
	r := smoke(t, store, cmd, args...)
	if r.code != 0 {
		t.Fatalf("degen %s %v: exit %d\nstdout:\n%s\nstderr:\n%s", cmd, args, r.code, r.stdout, r.stderr)
	}
	return r
}

// planLine is one line of plan --json.
type planLine struct {
	Action  string            `json:"action"`
	Recipe  string            `json:"recipe"`
	Stage   string            `json:"stage"`
	Label   string            `json:"label"`
	State   string            `json:"state"`
	Reason  string            `json:"reason"`
	Outputs map[string]string `json:"outputs"`
}

func plan(t *testing.T, store string, args ...string) []planLine {
	t.Helper()
	r := mustSmoke(t, store, "plan", append([]string{"--json"}, args...)...)
	return parsePlan(t, r.stdout)
}

func parsePlan(t *testing.T, stdout string) []planLine {
	t.Helper()
	var out []planLine
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l planLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("plan --json line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		t.Fatal("plan --json printed nothing")
	}
	return out
}

// outputsOf maps "stage label" → "output=id ..." for every cached action.
func outputsOf(t *testing.T, store string, args ...string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range plan(t, store, args...) {
		if l.State != "cached" {
			t.Fatalf("%s %s is %s (%s), want cached", l.Stage, l.Label, l.State, l.Reason)
		}
		var parts []string
		for name, id := range l.Outputs {
			parts = append(parts, name+"="+id)
		}
		sort.Strings(parts)
		m[l.Stage+" "+l.Label] = l.Action + " " + strings.Join(parts, " ")
	}
	return m
}

func sameOutputs(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d actions, want %d", len(got), len(want))
	}
	for k, w := range want {
		if g := got[k]; g != w {
			t.Errorf("%s:\n got %s\nwant %s", k, g, w)
		}
	}
}

// objectFiles lists the store's objects that are artifacts (not provenance
// records, which hold times) with their bytes' names.
func storeObjects(t *testing.T, store string) []string {
	t.Helper()
	var names []string
	err := filepath.Walk(filepath.Join(store, "objects"), func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(b, []byte("PAR1")) {
			names = append(names, fi.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

func TestSmokeTwiceSecondRunExecutesNothing(t *testing.T) {
	store := t.TempDir()
	first := mustSmoke(t, store, "run")
	if !strings.Contains(first.stdout, " ran") {
		t.Fatalf("first run executed nothing:\n%s", first.stdout)
	}
	second := mustSmoke(t, store, "run")
	if strings.Contains(second.stdout, " ran") || !strings.Contains(second.stdout, "cached") {
		t.Fatalf("second run executed something:\n%s", second.stdout)
	}
	for _, l := range plan(t, store) {
		if l.State != "cached" || l.Action == "" {
			t.Errorf("%s %s: state %s (%s), want cached with an action id", l.Stage, l.Label, l.State, l.Reason)
		}
	}
}

func TestSetRerunsExactlyDownstream(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	before := plan(t, store)
	changed := plan(t, store, "--set", "task.dd.delay_max=6")
	if len(changed) != len(before) {
		t.Fatalf("plan has %d actions after --set, %d before", len(changed), len(before))
	}
	for i, l := range changed {
		// the smoke study's figures draw dd; the report reads every study's figures
		ddWork := strings.HasPrefix(l.Label, "dd") || strings.HasPrefix(l.Label, "smoke figures") || l.Stage == "report"
		switch {
		case ddWork && l.State != "pending":
			t.Errorf("%s %s: %s, want pending (downstream of task.dd.delay_max)", l.Stage, l.Label, l.State)
		case !ddWork && (l.State != "cached" || l.Action != before[i].Action):
			t.Errorf("%s %s: %s, want cached and unchanged", l.Stage, l.Label, l.State)
		}
	}
	// The reason names the key that changed.
	for _, l := range changed {
		if l.Stage == "generate" && strings.HasPrefix(l.Label, "dd") && !strings.Contains(l.Reason, "delay_max 5 → 6") {
			t.Errorf("generate dd reason %q does not name the change", l.Reason)
		}
	}
	r := mustSmoke(t, store, "run", "--set", "task.dd.delay_max=6")
	ran := strings.Count(r.stdout, " ran ")
	pending := 0
	for _, l := range changed {
		if l.State == "pending" {
			pending++
		}
	}
	if ran != pending {
		t.Errorf("run executed %d actions, plan said %d pending\n%s", ran, pending, r.stdout)
	}
}

func TestUnrelatedStudyRerunsNothing(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	before := plan(t, store)
	other := []string{"--set", `study.other.tasks=["flipflop"]`, "--set", "study.other.seeds=[7]"}
	for _, variant := range [][]string{
		other,
		append(other, "--set", `study.other.set={"train.lr" = 0.02}`),
		append(other, "--set", `study.other.vary="task.channels"`, "--set", "study.other.values=[2, 3]"),
	} {
		after := map[string]planLine{}
		for _, l := range plan(t, store, variant...) {
			after[l.Recipe] = l
		}
		if len(after) <= len(before) {
			t.Errorf("%v: the other study added no actions", variant)
		}
		for _, b := range before {
			if b.Stage == "report" {
				continue // it lists the studies: a new study is an input of it
			}
			a, ok := after[b.Recipe]
			if !ok || a.State != "cached" || a.Action != b.Action {
				t.Errorf("%v: smoke's %s %s is %s (%s), want cached and unchanged", variant, b.Stage, b.Label, a.State, a.Reason)
			}
		}
	}
}

func TestWorkerCountDoesNotChangeBytes(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Log("one CPU: -j2 still runs two workers")
	}
	s1, s2 := t.TempDir(), t.TempDir()
	mustSmoke(t, s1, "run", "-j1")
	mustSmoke(t, s2, "run", "-j2")
	sameOutputs(t, outputsOf(t, s2), outputsOf(t, s1))
	o1, o2 := storeObjects(t, s1), storeObjects(t, s2)
	if strings.Join(o1, ",") != strings.Join(o2, ",") {
		t.Errorf("object sets differ: %d vs %d objects", len(o1), len(o2))
	}
}

func TestExportShowsSharedConditionInEveryStudy(t *testing.T) {
	store := t.TempDir()
	// Two studies resolving to the same flipflop condition share its actions;
	// the export lists them under both.
	sets := []string{"--set", `study.twin.tasks=["flipflop"]`, "--set", "study.twin.n_seeds=3"}
	mustSmoke(t, store, "run", sets...)
	out := filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "export", append(sets, "--out", out)...)
	for _, study := range []string{"smoke", "twin"} {
		dir := filepath.Join(out, "score_degeneracy", "study="+study, "task=flipflop")
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("flipflop score missing under study=%s: %v", study, err)
		}
	}
}

// TestSmokePresetConverges: every network of the smoke preset reaches its
// task's threshold (the paper's) within max_epochs, and none diverges.
func TestSmokePresetConverges(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	trains := 0
	for _, l := range plan(t, store) {
		if l.Stage != "train" {
			continue
		}
		trains++
		tab, _, err := artifacts.ReadParquetFile(objectPath(store, l.Outputs["summary"]))
		if err != nil {
			t.Fatal(err)
		}
		conv, div, steps := tab.Col("converged"), tab.Col("diverged"), tab.Col("steps")
		if conv == nil || div == nil || steps == nil || tab.Rows() != 1 {
			t.Fatalf("%s: summary lacks converged/diverged/steps", l.Label)
		}
		const maxSteps = 400 * 16 // smoke's max_epochs × steps_per_epoch
		if !conv.Bools[0] || div.Bools[0] || steps.Ints[0] > maxSteps {
			t.Errorf("%s: converged=%v diverged=%v after %d steps (bound %d)", l.Label, conv.Bools[0], div.Bools[0], steps.Ints[0], maxSteps)
		}
	}
	// 4 tasks × 3 seeds, plus 3 seeds each of flipflop channels=2, γ = 1 and 2,
	// n = 16 and l1 = 1e-3 (the other factor levels are the base condition)
	if trains != 27 {
		t.Errorf("%d networks, want 27", trains)
	}
}

// TestDivergenceIsAnOutcome: a network that diverges is recorded as such;
// the run, and every other network, completes.
func TestDivergenceIsAnOutcome(t *testing.T) {
	store := t.TempDir()
	r := mustSmoke(t, store, "run", "--set", "train.flipflop.lr=1e6")
	if strings.Contains(r.stdout, "failed") || strings.Contains(r.stdout, "skipped") {
		t.Fatalf("a diverging network failed the run:\n%s", r.stdout)
	}
	for _, l := range plan(t, store, "--set", "train.flipflop.lr=1e6") {
		if l.Stage != "train" {
			continue
		}
		tab, _, err := artifacts.ReadParquetFile(objectPath(store, l.Outputs["summary"]))
		if err != nil {
			t.Fatal(err)
		}
		diverged, converged := tab.Col("diverged").Bools[0], tab.Col("converged").Bools[0]
		// the γ study sets its own train.lr, so its networks still converge
		flipflop := strings.HasPrefix(l.Label, "flipflop") && !strings.Contains(l.Label, "gamma=")
		if flipflop != diverged || flipflop == converged {
			t.Errorf("%s: diverged=%v converged=%v", l.Label, diverged, converged)
		}
	}
}

// TestMetricParamsRerunOnlyMetrics: a comparison setting reruns align and
// score; a fit setting also refits; neither retrains or re-records.
func TestMetricParamsRerunOnlyMetrics(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	cases := []struct {
		set     string
		pending map[string]bool
	}{
		{"metrics.dsa.score=euclidean", map[string]bool{"align": true, "score": true, "dsanull": true, "figures": true, "report": true}},
		{"metrics.dsa.random_starts=2", map[string]bool{"align": true, "score": true, "dsanull": true, "figures": true, "report": true}},
		{"metrics.pif.two_opt=false", map[string]bool{"align": true, "score": true, "figures": true, "report": true}},
		{"metrics.dsa.rank=4", map[string]bool{"dsafit": true, "align": true, "score": true, "dsanull": true, "figures": true, "report": true}},
		{"metrics.score.bootstrap=10", map[string]bool{"score": true, "figures": true, "report": true}},
		{"metrics.null.resamples=4", map[string]bool{"dsanull": true, "figures": true, "report": true}},
	}
	for _, c := range cases {
		for _, l := range plan(t, store, "--set", c.set) {
			if want := c.pending[l.Stage]; (l.State == "pending") != want {
				t.Errorf("--set %s: %s %s is %s, want pending=%v", c.set, l.Stage, l.Label, l.State, want)
			}
		}
	}
}

// baseSmokeConfig is a config file holding the smoke preset's base study
// alone (4 tasks × 3 seeds: 60 actions with its null, figures and report), without the factor studies the
// preset also has for the figures: for tests that count actions, tasks or
// roots of one small plan. Pass it after repoConfig (the last --config wins).
func baseSmokeConfig(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "base-smoke.toml")
	text := "preset = \"smoke\"\n\n[study.smoke]\ntasks = [\"flipflop\", \"dd\", \"sine\", \"pi\"]\nn_seeds = 3\n"
	if err := os.WriteFile(p, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustBase is mustSmoke on the base smoke study (baseSmokeConfig).
func mustBase(t *testing.T, store string, cmd string, args ...string) result {
	t.Helper()
	return mustSmoke(t, store, cmd, append([]string{"--config", baseSmokeConfig(t)}, args...)...)
}

// planBase is plan on the base smoke study.
func planBase(t *testing.T, store string, args ...string) []planLine {
	t.Helper()
	return plan(t, store, append([]string{"--config", baseSmokeConfig(t)}, args...)...)
}
