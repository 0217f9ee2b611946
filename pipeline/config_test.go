package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t testing.TB, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pipeline.toml")
	if err := os.WriteFile(p, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPresetsLoadAndExpand(t *testing.T) {
	for _, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			cfg, err := Load(LoadOptions{Preset: name})
			if err != nil {
				t.Fatal(err)
			}
			conds, err := cfg.Conditions()
			if err != nil {
				t.Fatal(err)
			}
			tasks := map[string]bool{}
			for _, c := range conds {
				tasks[c.Task.Name] = true
				if len(c.Seeds) == 0 {
					t.Errorf("%s/%s has no seeds", c.Study, c.Name)
				}
			}
			for _, task := range TaskNames {
				if !tasks[task] {
					t.Errorf("preset %s never trains %s", name, task)
				}
			}
		})
	}
}

func TestQuickCoversEveryFactor(t *testing.T) {
	cfg, err := Load(LoadOptions{Preset: "quick"})
	if err != nil {
		t.Fatal(err)
	}
	conds, _ := cfg.Conditions()
	factors := map[string]bool{}
	for _, c := range conds {
		factors[c.Factor] = true
	}
	for _, f := range []string{"task.channels", "model.gamma", "model.n", "train.l1", "task.delay_max"} {
		if !factors[f] {
			t.Errorf("quick does not vary %s", f)
		}
	}
}

func TestLayering(t *testing.T) {
	path := writeConfig(t, `preset = "smoke"
[model]
n = 24
[train.flipflop]
lr = 0.02
`)
	cfg, err := Load(LoadOptions{Path: path, Sets: []string{"model.n=40", "task.flipflop.p_pulse=0.25"}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Model.N != 40 {
		t.Errorf("model.n = %d, want 40 (--set beats the file)", cfg.Model.N)
	}
	if cfg.Train.Flipflop.LR != 0.02 {
		t.Errorf("train.flipflop.lr = %v, want 0.02 (the file beats the preset)", cfg.Train.Flipflop.LR)
	}
	if cfg.Task.Flipflop.PPulse != 0.25 {
		t.Errorf("p_pulse = %v, want 0.25", cfg.Task.Flipflop.PPulse)
	}
	smoke, _ := Load(LoadOptions{Preset: "smoke"})
	if cfg.Task.Flipflop.T != smoke.Task.Flipflop.T || cfg.Train.Batch != smoke.Train.Batch {
		t.Errorf("keys the file does not set should come from the preset")
	}
	if _, ok := cfg.Study["smoke"]; !ok {
		t.Errorf("a file without studies keeps the preset's")
	}
}

func TestFileStudiesReplacePresetStudies(t *testing.T) {
	path := writeConfig(t, `preset = "quick"
[study.mine]
tasks = ["sine"]
seeds = [3, 1]
vary = "task.n_freq"
values = [2, 4]
`)
	cfg, err := Load(LoadOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Study) != 1 {
		t.Fatalf("studies %v, want only the file's", sortedKeys(cfg.Study))
	}
	conds, err := cfg.Conditions()
	if err != nil {
		t.Fatal(err)
	}
	if len(conds) != 2 {
		t.Fatalf("%d conditions, want 2", len(conds))
	}
	for i, want := range []int{2, 4} {
		c := conds[i]
		if c.Task.NFreq != want || c.Level != []string{"2", "4"}[i] || c.Name != "sine/n_freq="+c.Level {
			t.Errorf("condition %d: n_freq %d level %q name %q", i, c.Task.NFreq, c.Level, c.Name)
		}
		if got := c.Seeds; len(got) != 2 || got[0] != 1 || got[1] != 3 {
			t.Errorf("seeds %v, want sorted [1 3]", got)
		}
	}
}

func TestSPKeysOmitMuPKnobs(t *testing.T) {
	a, _ := Load(LoadOptions{Preset: "smoke"})
	b, _ := Load(LoadOptions{Preset: "smoke", Sets: []string{"model.gamma=5", "model.tau=0.3"}})
	ca, _ := a.Conditions()
	cb, _ := b.Conditions()
	if ca[0].Model != cb[0].Model {
		t.Errorf("γ and τ changed an SP condition: %+v vs %+v", ca[0].Model, cb[0].Model)
	}
	c, _ := Load(LoadOptions{Preset: "smoke", Sets: []string{"model.param=mup", "model.gamma=5"}})
	cc, _ := c.Conditions()
	if cc[0].Model.Gamma != 5 || cc[0].Model.Tau != 0.1 {
		t.Errorf("µP condition lost γ/τ: %+v", cc[0].Model)
	}
}

func TestStudyErrorsNameTheStudy(t *testing.T) {
	path := writeConfig(t, `preset = "smoke"
[study.bad]
tasks = ["flipflop", "dd"]
n_seeds = 2
vary = "task.delay_max"
values = [10]
`)
	cfg, err := Load(LoadOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.Conditions()
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path+":5") || !strings.Contains(err.Error(), "not a flipflop key") {
		t.Fatalf("err = %v, want a config error at %s:5 saying delay_max is not a flipflop key", err, path)
	}
	path = writeConfig(t, `preset = "smoke"
[study.bad]
tasks = ["flipflop"]
n_seeds = 2
vary = "task.channels"
values = [1, 0]
`)
	cfg, _ = Load(LoadOptions{Path: path})
	if _, err = cfg.Conditions(); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "channels") || !strings.Contains(err.Error(), path+":2") {
		t.Fatalf("err = %v, want channels out of range reported at the study", err)
	}
}

func TestPerTaskKeysOnly(t *testing.T) {
	path := writeConfig(t, "preset = \"smoke\"\n[train]\nlr = 0.1\n")
	_, err := Load(LoadOptions{Path: path})
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path+":3") || !strings.Contains(err.Error(), "[train.flipflop] lr") {
		t.Fatalf("err = %v, want a pointer to the per-task table", err)
	}
}

func FuzzLoad(f *testing.F) {
	for _, name := range PresetNames() {
		text, _ := presetText(name)
		f.Add(text)
	}
	f.Add("preset = \"smoke\"\n[task.flipflop]\nchannels = 0\n")
	f.Add("[study.x]\ntasks=[\"pi\"]\nseeds=[]\n")
	f.Add("a = [1,\n")
	f.Add("[study.q]\ntasks=[\"dd\"]\nn_seeds=2\nvary=\"task.aux\"\nvalues=[true,false]\n")
	f.Fuzz(func(t *testing.T, text string) {
		const p = "fuzz.toml"
		cfg, err := load(LoadOptions{Path: p}, text)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(ce.Where, p) && !strings.HasPrefix(ce.Where, "preset") && ce.Where != "config" && ce.Where != "--preset" {
				t.Fatalf("error %q (%T) does not name the file", err, err)
			}
			return
		}
		if conds, err := cfg.Conditions(); err == nil && len(conds) > 10000 {
			t.Skip()
		}
	})
}
