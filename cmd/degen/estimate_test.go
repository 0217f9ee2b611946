package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The paper preset is never run in CI, but planning it must work and say
// what it would cost: 68 conditions × 50 seeds, an estimate per stage.
func TestPlanPaperPrintsCountAndEstimate(t *testing.T) {
	store := t.TempDir()
	r := degen(t, "plan", "--config", repoConfig(t), "--preset", "paper", "--store", store)
	if r.code != 0 {
		t.Fatalf("plan --preset paper: exit %d\n%s", r.code, r.stderr)
	}
	counts := regexp.MustCompile(`(?m)^(\d+) actions: 0 cached, (\d+) pending$`).FindStringSubmatch(r.stdout)
	if counts == nil || counts[1] != counts[2] {
		t.Fatalf("no action count line in:\n%s", tail(r.stdout, 12))
	}
	est := regexp.MustCompile(`(?m)^estimated cost of the pending actions: ([0-9.]+) core-hours \(([0-9.]+) if every network trains to max_epochs\)$`).FindStringSubmatch(r.stdout)
	if est == nil {
		t.Fatalf("no estimate line in:\n%s", tail(r.stdout, 12))
	}
	// docs/perf.md quotes these: 13,769 actions, 109 core-hours, bound 1,649.
	if counts[1] != "13769" {
		t.Errorf("paper plan has %s actions, want 13769 (docs/perf.md, docs/cluster.md quote it)", counts[1])
	}
	hours, _ := strconv.ParseFloat(est[1], 64)
	bound, _ := strconv.ParseFloat(est[2], 64)
	if hours < 100 || hours > 120 || bound < 1500 || bound > 1800 {
		t.Errorf("paper estimate %g core-hours (bound %g), want about 109 (1,649) as docs/perf.md says", hours, bound)
	}
	if !regexp.MustCompile(`(?m)^  train +3400 `).MatchString(r.stdout) {
		t.Errorf("want 3,400 pending train actions (68 conditions × 50 seeds):\n%s", tail(r.stdout, 12))
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestPlanMeasuresRatesOnCachedActions: on a finished plan, plan fits each
// stage's rate to the provenance records of its cached actions (six train
// actions in the golden configuration) instead of using the reference.
func TestPlanMeasuresRatesOnCachedActions(t *testing.T) {
	cfg, _ := filepath.Abs("testdata/golden.toml")
	store := t.TempDir()
	if r := degen(t, "run", "--config", cfg, "--store", store); r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	r := degen(t, "plan", "--config", cfg, "--store", store)
	if r.code != 0 {
		t.Fatalf("plan: exit %d\n%s", r.code, r.stderr)
	}
	m := regexp.MustCompile(`(?m)^  train +0 +0 +([0-9.e+-]+) \(measured on 6 cached\)$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("want train's rate measured on its 6 cached actions:\n%s", tail(r.stdout, 12))
	}
	if rate, err := strconv.ParseFloat(m[1], 64); err != nil || rate <= 0 {
		t.Errorf("measured train rate %q, want a positive number", m[1])
	}
}
