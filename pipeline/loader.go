package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"degen/tasks"
)

// A layer is one parsed source: its generic tree, merged in order.
type layer struct {
	src  *source
	tree map[string]any
}

// loader layers sources: built-in preset, then the file, then --set flags.
// Each layer is checked strictly on its own (so its errors carry its own line
// numbers), then the trees are merged and decoded once.
type loader struct {
	layers []layer
}

func (l *loader) add(s *source) error {
	ly, err := parseLayer(s)
	if err != nil {
		return err
	}
	l.layers = append(l.layers, ly)
	return nil
}

func (l *loader) addFirst(s *source) error {
	ly, err := parseLayer(s)
	if err != nil {
		return err
	}
	l.layers = append([]layer{ly}, l.layers...)
	return nil
}

func parseLayer(s *source) (layer, error) {
	var tree map[string]any
	if _, err := toml.Decode(s.text, &tree); err != nil {
		return layer{}, tomlError(s, err)
	}
	if err := checkTaskKeys(s, tree); err != nil {
		return layer{}, err
	}
	var probe Config
	md, err := toml.Decode(s.text, &probe)
	if err != nil {
		return layer{}, tomlError(s, err)
	}
	for _, k := range md.Undecoded() {
		key := k.String()
		if len(k) >= 3 && k[0] == "study" && k[2] == "set" {
			continue // free-form dotted keys, checked when conditions resolve
		}
		return layer{}, unknownKey(s.where(key), k)
	}
	if err := checkPerTaskOnly(s, tree); err != nil {
		return layer{}, err
	}
	return layer{src: s, tree: tree}, nil
}

// tomlError gives a decoder error its file and line.
func tomlError(s *source, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		where := s.at(pe.Position.Line)
		msg := pe.Message
		if pe.LastKey != "" {
			return &ConfigError{Where: where, Key: pe.LastKey, Msg: msg}
		}
		return &ConfigError{Where: where, Msg: msg}
	}
	// Type mismatches come as plain errors: "toml: line 4 (last key "a.b"): …".
	if m := decodeErrRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ConfigError{Where: s.at(line), Key: m[2], Msg: m[3]}
	}
	return &ConfigError{Where: s.name, Msg: err.Error()}
}

var decodeErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// checkTaskKeys rejects keys that exist in tasks.Params but not for this task
// (delay_max under [task.flipflop]): they would be silently ignored.
func checkTaskKeys(s *source, tree map[string]any) error {
	tt, _ := tree["task"].(map[string]any)
	for _, name := range sortedKeys(tt) {
		valid, ok := taskKeys(name)
		if !ok {
			return &ConfigError{Where: s.where("task." + name), Key: "task." + name, Msg: fmt.Sprintf("unknown task %q; valid: %s", name, strings.Join(TaskNames, ", "))}
		}
		tbl, _ := tt[name].(map[string]any)
		for _, k := range sortedKeys(tbl) {
			if !contains(valid, k) {
				key := "task." + name + "." + k
				return &ConfigError{Where: s.where(key), Key: key, Msg: fmt.Sprintf("not a %s key; valid: %s", name, strings.Join(valid, ", "))}
			}
		}
	}
	return nil
}

// checkPerTaskOnly rejects [train] lr and threshold: both are set per task.
func checkPerTaskOnly(s *source, tree map[string]any) error {
	tr, _ := tree["train"].(map[string]any)
	for _, k := range []string{"lr", "threshold"} {
		if _, ok := tr[k]; ok {
			return &ConfigError{Where: s.where("train." + k), Key: "train." + k, Msg: fmt.Sprintf("set per task, e.g. [train.flipflop] %s = …", k)}
		}
	}
	return nil
}

// taskKeys lists a task's own keys: those its canonical JSON carries.
func taskKeys(name string) ([]string, bool) {
	p, err := tasks.Defaults(name)
	if err != nil {
		return nil, false
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	delete(m, "task")
	return sortedKeys(m), true
}

// decode merges the layers (and extra, a tree of overrides) into defaults.
func (l *loader) decode(extra map[string]any) (*Config, error) {
	merged := map[string]any{}
	for _, ly := range l.layers {
		mergeTree(merged, ly.tree)
	}
	if extra != nil {
		mergeTree(merged, extra)
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(merged); err != nil {
		return nil, &ConfigError{Where: "config", Msg: err.Error()}
	}
	cfg := Defaults()
	md, err := toml.Decode(buf.String(), cfg)
	if err != nil {
		return nil, &ConfigError{Where: "config", Msg: err.Error()}
	}
	for _, k := range md.Undecoded() {
		if len(k) >= 3 && k[0] == "study" && k[2] == "set" {
			continue
		}
		return nil, unknownKey(l.where(k.String()), k)
	}
	return cfg, nil
}

// where names the last layer that defines key (the one whose value won).
func (l *loader) where(key string) string {
	for i := len(l.layers) - 1; i >= 0; i-- {
		if hasKey(l.layers[i].tree, key) {
			return l.layers[i].src.where(key)
		}
	}
	if len(l.layers) > 0 {
		return l.layers[len(l.layers)-1].src.name
	}
	return "defaults"
}

func hasKey(tree map[string]any, key string) bool {
	parts := strings.Split(key, ".")
	var cur any = tree
	for _, p := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[p]; !ok {
			return false
		}
	}
	return true
}

// mergeTree merges src into dst: tables merge key by key, anything else
// (values, arrays) replaces.
func mergeTree(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeTree(dm, sm)
				continue
			}
			cp := map[string]any{}
			mergeTree(cp, sm)
			dst[k] = cp
			continue
		}
		dst[k] = v
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int) string { return fmt.Sprint(n) }
