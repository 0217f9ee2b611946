package pipeline

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"degen/metrics/dsa"
	"degen/metrics/weights"
	"degen/rnn"
	"degen/stages"
	"degen/tasks"
)

// Config is pipeline.toml after presets, the file and --set flags are layered
// and defaults applied. Every field is a key a user can set; docs/config.md
// lists them.
type Config struct {
	Preset  string           `toml:"preset"`
	Store   StoreConfig      `toml:"store"`
	Task    TaskTables       `toml:"task"`
	Model   rnn.ModelParams  `toml:"model"`
	Train   TrainConfig      `toml:"train"`
	Record  RecordConfig     `toml:"record"`
	Metrics MetricsConfig    `toml:"metrics"`
	Study   map[string]Study `toml:"study"`

	origin *loader // where each key came from, for error messages
	// skipMemory turns off the memory bound (checkMemory): for commands that
	// only read results computed elsewhere, perhaps on a bigger machine.
	skipMemory bool
}

// StoreConfig locates the artifact store. Relative paths are relative to the
// config file's directory; --store and DEGEN_STORE override it.
type StoreConfig struct {
	Dir string `toml:"dir"`
}

// TaskTables hold each task's parameters; a study picks tasks by name.
type TaskTables struct {
	Flipflop tasks.Params `toml:"flipflop"`
	DD       tasks.Params `toml:"dd"`
	Sine     tasks.Params `toml:"sine"`
	PI       tasks.Params `toml:"pi"`
}

// TaskNames are the valid task names, in canonical order.
var TaskNames = []string{"flipflop", "dd", "sine", "pi"}

func (t *TaskTables) get(name string) *tasks.Params {
	return byTask(name, &t.Flipflop, &t.DD, &t.Sine, &t.PI)
}

// byTask picks the per-task field named by a task name (nil if unknown).
func byTask[T any](name string, flipflop, dd, sine, pi *T) *T {
	switch name {
	case "flipflop":
		return flipflop
	case "dd":
		return dd
	case "sine":
		return sine
	case "pi":
		return pi
	}
	return nil
}

// TrainConfig is the [train] table: shared optimiser settings plus, per task,
// the learning rate and stopping threshold (the paper tunes both per task).
type TrainConfig struct {
	rnn.TrainParams
	Flipflop TaskTrain `toml:"flipflop"`
	DD       TaskTrain `toml:"dd"`
	Sine     TaskTrain `toml:"sine"`
	PI       TaskTrain `toml:"pi"`
}

// TaskTrain is a task's own learning rate and threshold.
type TaskTrain struct {
	LR        float64 `toml:"lr"`
	Threshold float64 `toml:"threshold"`
}

func (t *TrainConfig) get(name string) *TaskTrain {
	return byTask(name, &t.Flipflop, &t.DD, &t.Sine, &t.PI)
}

// RecordConfig sets the record stage's feature-learning probes (SPEC §4).
type RecordConfig = stages.NTKParams

// MetricsConfig holds every metric parameter; changing one reruns only
// dsafit/align/score.
type MetricsConfig struct {
	DSA   dsa.Params     `toml:"dsa"`
	PIF   weights.Params `toml:"pif"`
	Score ScoreConfig    `toml:"score"`
	Null  NullConfig     `toml:"null"`
}

// NullConfig sets the DSA null distribution (stages.DSANull): how many
// networks per condition, on how many resampled probe sets.
type NullConfig = stages.NullParams

// ScoreConfig sets the statistics of the score stage.
type ScoreConfig = stages.ScoreParams

// A Study is one sweep: tasks × values of one varied key, each condition
// trained from every seed. Set fixes keys for the whole study.
type Study struct {
	Tasks  []string       `toml:"tasks"`
	Seeds  []int          `toml:"seeds"`
	NSeeds int            `toml:"n_seeds"`
	Set    map[string]any `toml:"set"`
	Vary   string         `toml:"vary"`
	Values []any          `toml:"values"`
}

// A ConfigError names where a bad key is and what would be valid.
type ConfigError struct {
	Where string // "pipeline.toml:12"
	Key   string
	Msg   string
}

func (e *ConfigError) Error() string {
	if e.Key == "" {
		return e.Where + ": " + e.Msg
	}
	return e.Where + ": " + e.Key + ": " + e.Msg
}

// ErrConfig is matched by every configuration error (errors.Is); the CLI
// turns it into exit status 2.
var ErrConfig = errors.New("configuration error")

func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// LoadOptions select the layers of a configuration.
type LoadOptions struct {
	Path   string   // pipeline.toml; "" means presets only
	Preset string   // overrides the file's preset key
	Sets   []string // --set key=value, applied last, in order

	// ReadOnly is for commands that compute nothing (export): a condition
	// too big for this machine's memory is not an error for them.
	ReadOnly bool
}

// Load reads, layers, checks and validates a configuration. It touches no
// file but the ones it reads.
func Load(opt LoadOptions) (*Config, error) {
	text := ""
	if opt.Path != "" {
		b, err := os.ReadFile(opt.Path)
		if err != nil {
			return nil, &ConfigError{Where: opt.Path, Msg: err.Error()}
		}
		text = string(b)
	}
	return load(opt, text)
}

// load is Load with the file's text given (the fuzz target calls it).
func load(opt LoadOptions, text string) (*Config, error) {
	l := &loader{}
	if opt.Path != "" {
		if err := l.add(newSource(opt.Path, text)); err != nil {
			return nil, err
		}
	}
	preset := opt.Preset
	if preset == "" && len(l.layers) > 0 {
		preset, _ = l.layers[0].tree["preset"].(string)
	}
	if preset != "" {
		text, ok := presetText(preset)
		if !ok {
			where := "--preset"
			if opt.Preset == "" && len(l.layers) > 0 {
				where = l.layers[0].src.where("preset")
			}
			return nil, &ConfigError{Where: where, Key: "preset", Msg: fmt.Sprintf("unknown preset %q; valid: %s", preset, strings.Join(PresetNames(), ", "))}
		}
		ps := newSource("preset "+preset, text)
		if err := l.addFirst(ps); err != nil {
			return nil, err
		}
		if len(l.layers) > 1 && l.layers[1].tree["study"] != nil {
			// The file says what to run: its studies replace the preset's
			// (--set layers still add to them).
			delete(l.layers[0].tree, "study")
		}
	}
	for _, s := range opt.Sets {
		src, err := setSource(s)
		if err != nil {
			return nil, err
		}
		if err := l.add(src); err != nil {
			return nil, err
		}
	}
	cfg, err := l.decode(nil)
	if err != nil {
		return nil, err
	}
	if preset != "" {
		cfg.Preset = preset
	}
	if err := l.validate(cfg); err != nil {
		return nil, err
	}
	cfg.origin = l
	cfg.skipMemory = opt.ReadOnly
	return cfg, nil
}

// setSource turns "key=value" into a one-line TOML source. A value that is not
// valid TOML is taken as a string, so --set model.param=mup works unquoted.
func setSource(s string) (*source, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return nil, &ConfigError{Where: "--set " + s, Msg: "want key=value, e.g. --set task.flipflop.p_pulse=0.2"}
	}
	v = strings.TrimSpace(v)
	line := k + " = " + v
	var probe map[string]any
	if _, err := toml.Decode(line, &probe); err != nil {
		line = k + " = " + fmt.Sprintf("%q", v)
	}
	return newSource("--set "+s, line), nil
}

// PresetNames lists the built-in presets.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
