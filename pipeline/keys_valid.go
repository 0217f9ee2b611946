package pipeline

import (
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// unknownKey reports an undecoded key at its first unknown part, listing what
// is valid there: `nosuch.key` names `nosuch` and the top-level keys.
func unknownKey(where string, k toml.Key) error {
	bad := len(k) - 1
	for i := 0; i < len(k)-1; i++ {
		if i == 1 && k[0] == "study" {
			continue // [study.NAME]: the name is free
		}
		if !contains(strings.Split(validKeys(k[:i]), ", "), k[i]) {
			bad = i
			break
		}
	}
	return &ConfigError{Where: where, Key: k[:bad+1].String(), Msg: "unknown key; valid here: " + validKeys(k[:bad])}
}

// validKeys lists the keys a table accepts, for "unknown key" errors.
func validKeys(table toml.Key) string {
	if len(table) == 2 && table[0] == "task" {
		if ks, ok := taskKeys(table[1]); ok {
			return strings.Join(ks, ", ")
		}
	}
	t := reflect.TypeOf(Config{})
	for _, part := range table {
		t = deref(t)
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem() // [study.NAME]: the name is free
		case reflect.Struct:
			f, ok := fieldByTag(t, part)
			if !ok {
				return "(none)"
			}
			t = f.Type
		default:
			return "(none)"
		}
	}
	t = deref(t)
	if t.Kind() != reflect.Struct {
		return "(none)"
	}
	ks := tagsOf(t)
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			if g, ok := fieldByTag(deref(f.Type), tag); ok {
				return g, true
			}
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("toml"), ","); name == tag {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tagsOf(t reflect.Type) []string {
	var ks []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			ks = append(ks, tagsOf(deref(f.Type))...)
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("toml"), ","); name != "" && name != "-" && f.IsExported() {
			ks = append(ks, name)
		}
	}
	return ks
}
