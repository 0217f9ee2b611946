package pipeline

import (
	"embed"
	"strings"
)

// The built-in presets, layered under pipeline.toml (its `preset` key) or
// chosen with --preset. Each is a complete, valid configuration.
//
//go:embed presets/*.toml
var presetFS embed.FS

var presets = func() map[string]bool {
	m := map[string]bool{}
	entries, _ := presetFS.ReadDir("presets")
	for _, e := range entries {
		m[strings.TrimSuffix(e.Name(), ".toml")] = true
	}
	return m
}()

func presetText(name string) (string, bool) {
	if !presets[name] {
		return "", false
	}
	b, err := presetFS.ReadFile("presets/" + name + ".toml")
	return string(b), err == nil
}
