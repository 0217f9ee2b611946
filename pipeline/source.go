package pipeline

import (
	"bufio"
	"strings"
)

// A source is one layer of configuration text: a built-in preset, the user's
// pipeline.toml, or one --set flag. Its key lines let every error name the
// file and line a user must edit.
type source struct {
	name  string // "pipeline.toml", "preset quick", "--set train.lr=0.1"
	text  string
	lines map[string]int // dotted key → line (1-based)
}

func newSource(name, text string) *source {
	return &source{name: name, text: text, lines: tomlKeyLines(text)}
}

// line returns the line that defines key, or of its nearest defined ancestor
// (inline tables define their inner keys on the parent's line). 0 if unknown.
func (s *source) line(key string) int {
	for k := key; k != ""; {
		if l, ok := s.lines[k]; ok {
			return l
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// where formats "file:line" for a key. A --set flag is one line of its own,
// so its place is the flag itself.
func (s *source) where(key string) string { return s.at(s.line(key)) }

// at formats "file:line" (line 0: the file alone).
func (s *source) at(line int) string {
	if line <= 0 || strings.HasPrefix(s.name, "--set ") {
		return s.name
	}
	return s.name + ":" + itoa(line)
}

// tomlKeyLines maps each dotted key and table header of a TOML text to its line.
// It is a locator for error messages, not a parser: toml.Decode has already
// accepted the text when it is used.
func tomlKeyLines(text string) map[string]int {
	lines := make(map[string]int)
	table := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || l[0] == '#':
			continue
		case strings.HasPrefix(l, "[["), strings.HasPrefix(l, "["):
			h := strings.Trim(stripComment(l), "[] \t")
			table = joinKey(splitKey(h))
			if _, ok := lines[table]; !ok {
				lines[table] = n
			}
		default:
			eq := keyEnd(l)
			if eq < 0 {
				continue
			}
			k := joinKey(splitKey(strings.TrimSpace(l[:eq])))
			if table != "" {
				k = table + "." + k
			}
			if _, ok := lines[k]; !ok {
				lines[k] = n
			}
		}
	}
	return lines
}

// keyEnd finds the '=' that ends a key, skipping quoted key parts.
func keyEnd(l string) int {
	var q byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '=':
			return i
		}
	}
	return -1
}

// splitKey splits a dotted TOML key, keeping dots inside quotes.
func splitKey(k string) []string {
	var parts []string
	var b strings.Builder
	var q byte
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else {
				b.WriteByte(c)
			}
		case c == '"' || c == '\'':
			q = c
		case c == '.':
			parts = append(parts, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, strings.TrimSpace(b.String()))
}

func joinKey(parts []string) string { return strings.Join(parts, ".") }

func stripComment(l string) string {
	if i := strings.IndexByte(l, '#'); i >= 0 {
		return l[:i]
	}
	return l
}
