package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A small valid configuration; each case below breaks one line of it.
const goodConfig = `preset = "smoke"

[task.flipflop]
channels = 2
p_pulse = 0.3

[study.smoke]
tasks = ["flipflop"]
seeds = [0, 1]
`

func TestBadConfigExits2NamingFileLineKey(t *testing.T) {
	cases := []struct {
		name, old, new string
		line           int
		want           []string // substrings of stderr besides file:line
	}{
		{"syntax error", "p_pulse = 0.3", "p_pulse = = 0.3", 5, nil},
		{"unknown key", "p_pulse = 0.3", "p_puls = 0.3", 5, []string{"task.flipflop.p_puls", "unknown", "p_pulse"}},
		{"key of another task", "p_pulse = 0.3", "delay_max = 40", 5, []string{"task.flipflop.delay_max", "not a flipflop key"}},
		{"wrong type", "channels = 2", `channels = "two"`, 4, []string{"channels"}},
		{"channels zero", "channels = 2", "channels = 0", 4, []string{"channels", "≥ 1"}},
		{"channels negative", "channels = 2", "channels = -3", 4, []string{"channels"}},
		{"p_pulse above 1", "p_pulse = 0.3", "p_pulse = 1.5", 5, []string{"p_pulse", "1.5"}},
		{"empty seed list", "seeds = [0, 1]", "seeds = []", 9, []string{"study.smoke.seeds", "non-empty"}},
		{"unknown task in study", `tasks = ["flipflop"]`, `tasks = ["flipflap"]`, 8, []string{"study.smoke.tasks", "flipflop, dd, sine, pi"}},
		{"unknown task table", "[task.flipflop]", "[task.flipflap]", 3, []string{"task.flipflap", "unknown task"}},
		{"unknown preset", `preset = "smoke"`, `preset = "smok"`, 1, []string{"preset", "quick"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "pipeline.toml")
			text := strings.Replace(goodConfig, c.old, c.new, 1)
			if text == goodConfig {
				t.Fatalf("case does not change the config")
			}
			if err := os.WriteFile(cfg, []byte(text), 0o666); err != nil {
				t.Fatal(err)
			}
			store := filepath.Join(dir, "store")
			for _, cmd := range []string{"run", "plan", "status"} {
				r := degen(t, cmd, "--config", cfg, "--store", store)
				if r.code != 2 {
					t.Fatalf("%s: exit %d, want 2\nstderr: %s", cmd, r.code, r.stderr)
				}
				where := cfg + ":" + itoa(c.line)
				if !strings.Contains(r.stderr, where) {
					t.Errorf("%s: stderr %q does not name %s", cmd, r.stderr, where)
				}
				for _, w := range c.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s: stderr %q does not mention %q", cmd, r.stderr, w)
					}
				}
			}
			if _, err := os.Stat(store); !os.IsNotExist(err) {
				t.Errorf("store %s was touched (stat: %v)", store, err)
			}
		})
	}
}

func TestGoodConfigIsAccepted(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "pipeline.toml")
	os.WriteFile(cfg, []byte(goodConfig), 0o666)
	if r := degen(t, "plan", "--config", cfg, "--store", filepath.Join(dir, "s")); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

func TestBadSetAndUsageExit2(t *testing.T) {
	store := filepath.Join(t.TempDir(), "s")
	for _, args := range [][]string{
		{"run", "--set", "task.flipflop.channels=0"},
		{"run", "--set", "nonsense"},
		{"run", "--set", "model.bogus=1"},
		{"run", "--nonexistent-flag"},
		{"explain"},
	} {
		r := degen(t, append(args[:1:1], append([]string{"--config", repoConfig(t), "--preset", "smoke", "--store", store}, args[1:]...)...)...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
		if strings.Contains(strings.Join(args, " "), "--set") && !strings.Contains(r.stderr, "--set") {
			t.Errorf("%v: stderr %q does not name the --set flag", args, r.stderr)
		}
	}
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("store was touched")
	}
	if r := degen(t, "bogus"); r.code != 2 {
		t.Errorf("unknown command: exit %d, want 2", r.code)
	}
	if r := degen(t, "run", "--help"); r.code != 0 || !strings.Contains(r.stderr, "usage: degen run") {
		t.Errorf("run --help: exit %d, stderr %q", r.code, r.stderr)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
