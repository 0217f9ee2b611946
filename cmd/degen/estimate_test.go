package main

import (
	"regexp"
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
