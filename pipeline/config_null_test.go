package pipeline

import (
	"errors"
	"strings"
	"testing"

	"degen/stages"
)

// TestNullConfig: [metrics.null] defaults to 2 networks × 4 resamples,
// reaches every condition, and a value with no null pair is a config error
// naming the key.
func TestNullConfig(t *testing.T) {
	cfg, err := Load(LoadOptions{Preset: "quick"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Metrics.Null != stages.DefaultNullParams() {
		t.Errorf("quick null %+v, want the default %+v", cfg.Metrics.Null, stages.DefaultNullParams())
	}
	conds, err := cfg.Conditions()
	if err != nil {
		t.Fatal(err)
	}
	if conds[0].Null != cfg.Metrics.Null {
		t.Errorf("condition null %+v, want %+v", conds[0].Null, cfg.Metrics.Null)
	}
	for _, set := range []string{"metrics.null.resamples=1", "metrics.null.networks=-1"} {
		_, err := Load(LoadOptions{Preset: "smoke", Sets: []string{set}})
		key, _, _ := strings.Cut(set, "=")
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("--set %s: %v, want a config error naming %s", set, err, key)
		}
	}
}
