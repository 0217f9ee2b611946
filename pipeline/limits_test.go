package pipeline

import (
	"errors"
	"strings"
	"testing"
)

// Non-finite floats used to pass the range rules (`x >= 0`) and fail later,
// when encoding/json refused them while building a key: exit 1, no line.
func TestNonFiniteFloatsAreConfigErrors(t *testing.T) {
	for _, key := range []string{
		"train.clip", "train.eps", "train.l1", "train.nuclear", "train.flipflop.lr", "train.dd.threshold",
		"model.gamma", "model.tau", "metrics.pif.tol", "metrics.dsa.tol", "metrics.dsa.lambda",
		"task.flipflop.p_pulse", "task.sine.dt",
	} {
		for _, v := range []string{"inf", "-inf", "nan"} {
			set := key + "=" + v
			_, err := Load(LoadOptions{Preset: "smoke", Sets: []string{set}})
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Where != "--set "+set || !strings.Contains(ce.Error(), key) {
				t.Errorf("--set %s: err = %v, want a config error at --set %s naming %s", set, err, set, key)
			}
		}
	}
	// In a file: file:line; in a study's set: the study's line.
	path := writeConfig(t, "preset = \"smoke\"\n[train]\nclip = inf\n")
	if _, err := Load(LoadOptions{Path: path}); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path+":3: train.clip") {
		t.Errorf("file: err = %v, want %s:3: train.clip", err, path)
	}
	path = writeConfig(t, "preset = \"smoke\"\n[study.s]\ntasks = [\"dd\"]\nn_seeds = 2\nset = { \"train.l1\" = nan }\n")
	cfg, err := Load(LoadOptions{Path: path})
	if err == nil {
		_, err = cfg.Conditions()
	}
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path+":2") || !strings.Contains(err.Error(), "train.l1") {
		t.Errorf("study set: err = %v, want a config error at %s:2 naming train.l1", err, path)
	}
}

func TestUnknownKeyListsValidKeysAtItsLevel(t *testing.T) {
	cases := map[string]string{
		"nosuch.key=1":       "nosuch: unknown key; valid here: metrics, model, preset, record, store, study, task, train",
		"metrics.nope.x=1":   "metrics.nope: unknown key; valid here: dsa, null, pif, score",
		"model.bogus=1":      "model.bogus: unknown key; valid here: gamma, n, param, tau",
		"study.smoke.bogs=1": "study.smoke.bogs: unknown key; valid here: n_seeds, seeds, set, tasks, values, vary",
	}
	for set, want := range cases {
		_, err := Load(LoadOptions{Preset: "smoke", Sets: []string{set}})
		if err == nil || err.Error() != "--set "+set+": "+want {
			t.Errorf("--set %s: err = %v, want %q", set, err, "--set "+set+": "+want)
		}
	}
}

// Sizes that validate but cannot fit used to panic in makeslice or be
// killed for memory mid-run; now they are config errors before anything runs.
func TestOversizedConfigIsConfigError(t *testing.T) {
	t.Setenv(MemoryLimitEnv, "64G")
	for set, key := range map[string]string{
		"model.n=100000000":                "model.n",
		"task.flipflop.channels=100000000": "task.flipflop.channels",
		"task.sine.t=1000000000":           "task.sine.t",
		"task.dd.delay_max=2000000000":     "task.dd.delay_max",
		"train.batch=1000000000":           "train.batch",
	} {
		cfg, err := Load(LoadOptions{Preset: "smoke", Sets: []string{set}})
		if err == nil {
			_, err = cfg.Conditions()
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Where != "--set "+set || ce.Key != key || !strings.Contains(ce.Msg, "64.0 GiB available ("+MemoryLimitEnv+"=64G)") {
			t.Errorf("--set %s: err = %v, want a config error at --set %s on %s with the limit", set, err, set, key)
		}
	}
	// A command that computes nothing (export) does not judge memory.
	if cfg, err := Load(LoadOptions{Preset: "smoke", Sets: []string{"model.n=100000000"}, ReadOnly: true}); err != nil {
		t.Errorf("read-only load: %v", err)
	} else if _, err := cfg.Conditions(); err != nil {
		t.Errorf("read-only conditions: %v", err)
	}
	// Varied by a study: the study's line.
	path := writeConfig(t, "preset = \"smoke\"\n[study.wide]\ntasks = [\"flipflop\"]\nn_seeds = 2\nvary = \"model.n\"\nvalues = [16, 50000000]\n")
	cfg, err := Load(LoadOptions{Path: path})
	if err == nil {
		_, err = cfg.Conditions()
	}
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path+":2: model.n") || !strings.Contains(err.Error(), "flipflop/n=50000000") {
		t.Errorf("study vary: err = %v, want %s:2: model.n for flipflop/n=50000000", err, path)
	}
}

// The presets, and the paper's largest network (n = 512 on dd with delay 60,
// 50 seeds), fit in a laptop's memory even with align comparing a pair per
// core on a 64-core node: the bound stops absurd sizes, not real studies.
func TestRealStudiesFitTheMemoryBound(t *testing.T) {
	t.Setenv(MemoryLimitEnv, "16G")
	for _, p := range PresetNames() {
		cfg, err := Load(LoadOptions{Preset: p})
		if err == nil {
			_, err = cfg.Conditions()
		}
		if err != nil {
			t.Errorf("preset %s: %v", p, err)
		}
	}
	cfg, err := Load(LoadOptions{Preset: "smoke", Sets: []string{"model.n=512", "task.dd.delay_max=60", "train.batch=64", "study.smoke.n_seeds=50"}})
	if err == nil {
		_, err = cfg.Conditions()
	}
	if err != nil {
		t.Errorf("paper-sized condition: %v", err)
	}
}

func TestParseBytes(t *testing.T) {
	for s, want := range map[string]int64{"123": 123, "2K": 2048, "8G": 8 << 30, "8GiB": 8 << 30, "1.5m": 3 << 19} {
		if got, err := parseBytes(s); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "x", "-1G", "0"} {
		if _, err := parseBytes(s); err == nil {
			t.Errorf("parseBytes(%q) accepted", s)
		}
	}
}

// A --set flag is its own place: no ":1" after it, whichever check fails.
func TestSetErrorsNameTheFlag(t *testing.T) {
	for _, set := range []string{"model.n=abc", "task.flipflop.channels=1.5", "model.n=0", "model.bogus=1"} {
		_, err := Load(LoadOptions{Preset: "smoke", Sets: []string{set}})
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Where != "--set "+set {
			t.Errorf("--set %s: err = %v, want the place --set %s", set, err, set)
		}
	}
}
