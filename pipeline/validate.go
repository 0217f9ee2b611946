package pipeline

import (
	"fmt"
	"strings"
	"unicode"
)

// A check is one rule: the key it guards, whether the value is fine, and what
// would be valid.
type check struct {
	key   string
	ok    bool
	value any
	valid string
}

// validate applies every range rule; the first failure is reported with the
// file and line of the layer that set the key.
func (l *loader) validate(c *Config) error {
	if err := l.firstFailure(append(finiteChecks(c), baseChecks(c)...)); err != nil {
		return err
	}
	for _, n := range TaskNames {
		if err := c.Task.get(n).Validate(); err != nil {
			key := "task." + n + "." + leadingKey(err.Error())
			return &ConfigError{Where: l.where(key), Key: "task." + n, Msg: err.Error()}
		}
	}
	if err := c.Metrics.DSA.Validate(); err != nil {
		key := "metrics.dsa." + leadingKey(err.Error())
		return &ConfigError{Where: l.where(key), Key: "metrics.dsa", Msg: err.Error()}
	}
	if err := c.Metrics.PIF.Validate(); err != nil {
		key := "metrics.pif." + leadingKey(err.Error())
		return &ConfigError{Where: l.where(key), Key: "metrics.pif", Msg: err.Error()}
	}
	if err := c.Metrics.Null.Validate(); err != nil {
		key := "metrics.null." + leadingKey(err.Error())
		return &ConfigError{Where: l.where(key), Key: "metrics.null", Msg: err.Error()}
	}
	if len(c.Study) == 0 {
		return &ConfigError{Where: l.where("study"), Key: "study", Msg: "no study defined; add a [study.NAME] table with tasks and seeds"}
	}
	for _, name := range sortedKeys(c.Study) {
		if err := l.firstFailure(studyChecks(name, c.Study[name])); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) firstFailure(cs []check) error {
	for _, c := range cs {
		if !c.ok {
			return &ConfigError{Where: l.where(c.key), Key: c.key, Msg: fmt.Sprintf("%v is out of range: must be %s", c.value, c.valid)}
		}
	}
	return nil
}

func baseChecks(c *Config) []check {
	m, t := c.Model, c.Train
	cs := []check{
		{"store.dir", c.Store.Dir != "", c.Store.Dir, "a directory path"},
		{"model.param", m.Param == "sp" || m.Param == "mup", fmt.Sprintf("%q", m.Param), `"sp" or "mup"`},
		{"model.n", m.N >= 1, m.N, "≥ 1"},
		{"model.gamma", m.Gamma > 0, m.Gamma, "> 0"},
		{"model.tau", m.Tau > 0 && m.Tau <= 1, m.Tau, "in (0, 1]"},
		{"train.beta1", t.Beta1 >= 0 && t.Beta1 < 1, t.Beta1, "in [0, 1)"},
		{"train.beta2", t.Beta2 >= 0 && t.Beta2 < 1, t.Beta2, "in [0, 1)"},
		{"train.eps", t.Eps > 0, t.Eps, "> 0"},
		{"train.batch", t.Batch >= 1, t.Batch, "≥ 1"},
		{"train.steps_per_epoch", t.StepsPerEpoch >= 1, t.StepsPerEpoch, "≥ 1"},
		{"train.max_epochs", t.MaxEpochs >= 1, t.MaxEpochs, "≥ 1"},
		{"train.patience", t.Patience >= 0, t.Patience, "≥ 0"},
		{"train.clip", t.Clip >= 0, t.Clip, "≥ 0 (0 turns clipping off)"},
		{"train.plateau_factor", t.PlateauFactor > 0 && t.PlateauFactor < 1, t.PlateauFactor, "in (0, 1)"},
		{"train.plateau_patience", t.PlateauPatience >= 0, t.PlateauPatience, "≥ 0"},
		{"train.l1", t.L1 >= 0, t.L1, "≥ 0"},
		{"train.nuclear", t.Nuclear >= 0, t.Nuclear, "≥ 0"},
		{"record.ntk_trials", c.Record.Trials >= 1, c.Record.Trials, "≥ 1"},
		{"record.ntk_steps", c.Record.Steps >= 1, c.Record.Steps, "≥ 1"},
		{"metrics.score.bootstrap", c.Metrics.Score.Bootstrap >= 0, c.Metrics.Score.Bootstrap, "≥ 0 (0 turns CIs off)"},
	}
	for _, n := range TaskNames {
		tt := c.Train.get(n)
		cs = append(cs,
			check{"train." + n + ".lr", tt.LR > 0, tt.LR, "> 0"},
			check{"train." + n + ".threshold", tt.Threshold > 0, tt.Threshold, "> 0"})
	}
	return cs
}

func studyChecks(name string, s Study) []check {
	k := "study." + name
	cs := []check{
		{k + ".tasks", len(s.Tasks) > 0, "[]", "a non-empty list of " + strings.Join(TaskNames, ", ")},
	}
	for _, t := range s.Tasks {
		cs = append(cs, check{k + ".tasks", contains(TaskNames, t), fmt.Sprintf("%q", t), "one of " + strings.Join(TaskNames, ", ")})
	}
	switch {
	case s.NSeeds != 0 && len(s.Seeds) != 0:
		cs = append(cs, check{k + ".seeds", false, "seeds and n_seeds", "one of the two, not both"})
	case s.NSeeds == 0:
		cs = append(cs, check{k + ".seeds", len(s.Seeds) > 0, "[]", "a non-empty list of seeds (or n_seeds = N)"})
	default:
		cs = append(cs, check{k + ".n_seeds", s.NSeeds >= 1 && s.NSeeds <= maxSeeds, s.NSeeds, "in [1, 100000]"})
	}
	seen := map[int]bool{}
	for _, sd := range s.Seeds {
		cs = append(cs,
			check{k + ".seeds", sd >= 0, sd, "≥ 0"},
			check{k + ".seeds", !seen[sd], sd, "unique (listed twice)"})
		seen[sd] = true
	}
	cs = append(cs,
		check{k + ".vary", (s.Vary == "") == (len(s.Values) == 0), fmt.Sprintf("vary=%q with %d values", s.Vary, len(s.Values)), "both vary and a non-empty values list, or neither"},
		check{k + ".vary", s.Vary == "" || overridable(s.Vary), fmt.Sprintf("%q", s.Vary), "a key under task., model., train., record. or metrics."})
	for _, key := range sortedKeys(s.Set) {
		cs = append(cs, check{k + ".set", overridable(key), fmt.Sprintf("%q", key), "a key under task., model., train., record. or metrics."})
	}
	return cs
}

// maxSeeds bounds a study's replicates: 100k networks per condition is far
// beyond any sweep, and the bound keeps a typo from exhausting memory.
const maxSeeds = 100000

// overridable reports whether a study may set or vary key.
func overridable(key string) bool {
	for _, p := range []string{"task.", "model.", "train.", "record.", "metrics."} {
		if strings.HasPrefix(key, p) && len(key) > len(p) {
			return true
		}
	}
	return false
}

// leadingKey takes the key a validation message starts with ("channels = 0:
// must be ≥ 1" → "channels").
func leadingKey(msg string) string {
	end := strings.IndexFunc(msg, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') })
	if end < 0 {
		return msg
	}
	return msg[:end]
}
