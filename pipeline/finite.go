package pipeline

import (
	"math"
	"reflect"
	"strings"
)

// finiteChecks requires every float key of c to be finite. TOML spells inf
// and nan; no degen parameter means either, and a non-finite value would
// otherwise pass a range rule written as `x >= 0` and then fail much later,
// when encoding/json refuses it while the action key is built (exit 1, no
// line). Keys come from the toml tags, so a new float key is covered
// without a new rule.
func finiteChecks(c *Config) []check {
	var cs []check
	walkFloats("", reflect.ValueOf(c).Elem(), func(key string, x float64) {
		cs = append(cs, check{key, !math.IsNaN(x) && !math.IsInf(x, 0), x, "a finite number"})
	})
	return cs
}

// walkFloats calls fn for every float field reachable through toml-tagged
// struct fields (embedded structs flatten into their parent, as in TOML).
// Maps (the studies) are skipped: a study's values are checked when each of
// its conditions resolves to a Config of its own.
func walkFloats(prefix string, v reflect.Value, fn func(string, float64)) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		fn(prefix, v.Float())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Anonymous {
				walkFloats(prefix, v.Field(i), fn)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if name == "" || name == "-" {
				continue
			}
			key := name
			if prefix != "" {
				key = prefix + "." + name
			}
			walkFloats(key, v.Field(i), fn)
		}
	}
}
