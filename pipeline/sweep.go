package pipeline

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"degen/stages"
)

// Conditions expands every study into its conditions: tasks × values of the
// varied key, each with the study's seeds. Studies are taken in name order,
// tasks in canonical order, values as listed. Two studies that resolve to the
// same condition share its actions (same keys), so editing one study never
// reruns another's work.
func (c *Config) Conditions() ([]stages.Condition, error) {
	var out []stages.Condition
	for _, name := range sortedKeys(c.Study) {
		s := c.Study[name]
		levels := s.Values
		if s.Vary == "" {
			levels = []any{nil}
		}
		for _, task := range TaskNames {
			if !contains(s.Tasks, task) {
				continue
			}
			for _, level := range levels {
				cond, err := c.resolve(name, s, task, level)
				if err != nil {
					return nil, err
				}
				out = append(out, cond)
			}
		}
	}
	return out, nil
}

func (c *Config) resolve(study string, s Study, task string, level any) (stages.Condition, error) {
	where := c.origin.where("study." + study)
	extra := map[string]any{}
	for _, key := range sortedKeys(s.Set) {
		if err := setOverride(extra, key, task, s.Set[key]); err != nil {
			return stages.Condition{}, &ConfigError{Where: c.origin.where("study." + study + ".set"), Key: "study." + study + ".set", Msg: err.Error()}
		}
	}
	cond := stages.Condition{Study: study, Name: task}
	if s.Vary != "" {
		if err := setOverride(extra, s.Vary, task, level); err != nil {
			return cond, &ConfigError{Where: c.origin.where("study." + study + ".vary"), Key: "study." + study + ".vary", Msg: err.Error()}
		}
		cond.Factor, cond.Level = s.Vary, formatLevel(level)
		cond.Name = task + "/" + shortKey(s.Vary) + "=" + cond.Level
	}
	rc, err := c.origin.decode(extra)
	if err != nil {
		return cond, studyError(where, study, err)
	}
	sub := &loader{layers: c.origin.layers}
	if err := sub.validate(rc); err != nil {
		return cond, studyError(where, study, err)
	}
	cond.Task = *rc.Task.get(task)
	cond.Model = rc.Model
	if cond.Model.Param == "sp" {
		// γ and τ belong to µP only: keep them out of SP keys.
		cond.Model.Gamma, cond.Model.Tau = 0, 0
	}
	cond.Train = rc.Train.TrainParams
	tt := rc.Train.get(task)
	cond.Train.LR, cond.Train.Threshold = tt.LR, tt.Threshold
	cond.NTK = rc.Record
	cond.DSA = rc.Metrics.DSA
	cond.PIF = rc.Metrics.PIF
	cond.Score = rc.Metrics.Score
	cond.Null = rc.Metrics.Null
	cond.Seeds = seedList(s)
	return cond, c.checkMemory(study, s, &cond)
}

func studyError(where, study string, err error) error {
	if ce, ok := err.(*ConfigError); ok {
		return &ConfigError{Where: where, Key: "study." + study, Msg: "resolves " + ce.Key + ": " + ce.Msg}
	}
	return err
}

// setOverride places a study's dotted key into an override tree. task.X and
// train.lr / train.threshold address the condition's own task.
func setOverride(tree map[string]any, key, task string, v any) error {
	parts := strings.Split(key, ".")
	switch {
	case parts[0] == "task":
		if len(parts) != 2 {
			return fmt.Errorf("%s: want task.KEY", key)
		}
		valid, _ := taskKeys(task)
		if !contains(valid, parts[1]) {
			return fmt.Errorf("%s is not a %s key; valid: %s", key, task, strings.Join(valid, ", "))
		}
		parts = []string{"task", task, parts[1]}
	case parts[0] == "train" && len(parts) == 2 && (parts[1] == "lr" || parts[1] == "threshold"):
		parts = []string{"train", task, parts[1]}
	}
	m := tree
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
	return nil
}

func seedList(s Study) []int {
	seeds := append([]int(nil), s.Seeds...)
	if len(seeds) == 0 {
		for i := 0; i < s.NSeeds; i++ {
			seeds = append(seeds, i)
		}
	}
	sort.Ints(seeds)
	return seeds
}

func formatLevel(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

func shortKey(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}
