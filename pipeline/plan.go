package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"degen/artifacts"
)

// A PlanItem says what a run would do with one node, and why.
type PlanItem struct {
	Node   *Node
	State  State // Cached or Pending
	ID     *artifacts.ActionID
	Key    [32]byte
	Lines  []keyLine
	Entry  *artifacts.Entry
	Reason string
}

// Plan decides, without writing anything, which nodes are cached and why the
// others would run. st may be nil (no store yet); last is the previous run's
// log, used to name what changed.
func (s *Session) Plan(st *artifacts.Store, last *RunLog) ([]*PlanItem, error) {
	items := make([]*PlanItem, len(s.Graph.Nodes))
	for i, n := range s.Graph.Nodes {
		it := &PlanItem{Node: n, State: Pending}
		items[i] = it
		ins, blocked := planInputs(n, items)
		if blocked != "" {
			it.Reason = "input " + blocked + " will be recomputed"
			continue
		}
		it.Lines = keyLines(n.Action, n.Params, ins)
		it.Key = actionKey(it.Lines)
		id := actionID(s.Salt, it.Key)
		it.ID = &id
		if st != nil {
			e, err := st.Lookup(id)
			if err == nil {
				it.State, it.Entry, it.Reason = Cached, e, "cached"
				continue
			}
			if !errors.Is(err, artifacts.ErrNotFound) {
				return nil, err
			}
		}
		it.Reason = last.why(n, it.Lines, s.Salt)
	}
	return items, nil
}

func planInputs(n *Node, items []*PlanItem) ([]input, string) {
	var ins []input
	for k, d := range n.Deps {
		di := items[d.Index]
		if di.Entry == nil {
			return nil, n.Action.Deps[k].Name + " (" + d.Name() + ")"
		}
		for _, o := range di.Entry.Outputs {
			ins = append(ins, input{Dep: n.Action.Deps[k].Name, Output: o.Name, ID: o.ID, Size: o.Size})
		}
	}
	return ins, ""
}

// why names the key part that changed since the last run of the same node.
func (l *RunLog) why(n *Node, lines []keyLine, salt string) string {
	prev, ok := l.lookup(n.Name())
	if !ok {
		return "not computed before"
	}
	if prev.Salt != salt {
		return "toolchain changed: " + prev.Salt + " → " + salt
	}
	var diffs []string
	for _, name := range []string{"stage", "version", "params", "input"} {
		a, b := linesNamed(prev.Lines, name), linesNamed(lines, name)
		if strings.Join(a, "\n") == strings.Join(b, "\n") {
			continue
		}
		switch name {
		case "params":
			diffs = append(diffs, "params changed: "+paramDiff(a, b))
		case "input":
			diffs = append(diffs, "input changed: "+inputDiff(a, b))
		default:
			diffs = append(diffs, fmt.Sprintf("%s %s → %s", name, strings.Join(a, ","), strings.Join(b, ",")))
		}
	}
	if len(diffs) == 0 {
		return "entry missing from the store (removed, collected or corrupt)"
	}
	return strings.Join(diffs, "; ")
}

func linesNamed(ls []keyLine, name string) []string {
	var out []string
	for _, l := range ls {
		if l.Name == name {
			out = append(out, l.Value)
		}
	}
	return out
}

// paramDiff lists the JSON leaves that differ: "task.p_pulse 0.3 → 0.2".
func paramDiff(a, b []string) string {
	fa, fb := map[string]string{}, map[string]string{}
	if len(a) == 1 {
		flattenJSON(a[0], fa)
	}
	if len(b) == 1 {
		flattenJSON(b[0], fb)
	}
	keys := map[string]bool{}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	var out []string
	for _, k := range sortedKeys(keys) {
		if fa[k] != fb[k] {
			out = append(out, fmt.Sprintf("%s %s → %s", k, orNone(fa[k]), orNone(fb[k])))
		}
	}
	return strings.Join(out, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func flattenJSON(s string, out map[string]string) {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		out[""] = s
		return
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, c)
			}
		default:
			b, _ := json.Marshal(x)
			out[prefix] = string(b)
		}
	}
	walk("", v)
}

// inputDiff names the dependency outputs whose bytes changed.
func inputDiff(a, b []string) string {
	name := func(l string) string { // "dep output id size" → "dep/output"
		f := strings.Fields(l)
		if len(f) < 2 {
			return l
		}
		return f[0] + "/" + f[1]
	}
	prev := map[string]string{}
	for _, l := range a {
		prev[name(l)] = l
	}
	var out []string
	for _, l := range b {
		if prev[name(l)] != l {
			out = append(out, name(l))
		}
	}
	sort.Strings(out)
	if len(out) > 4 {
		out = append(out[:4], fmt.Sprintf("and %d more", len(out)-4))
	}
	return strings.Join(out, ", ")
}

// HashInputs lists every input of the item's ActionID in hashing order, like
// Go's GODEBUG=gocachehash=1: the key lines, then the salt and the key they
// hash to.
func (it *PlanItem) HashInputs(salt string) []string {
	var out []string
	for _, l := range it.Lines {
		out = append(out, fmt.Sprintf("HASH[key] %s %q", l.Name, l.Value))
	}
	if it.ID == nil {
		return append(out, "(inputs not computed yet: the ActionID is not known)")
	}
	out = append(out,
		fmt.Sprintf("HASH[key] = %x", it.Key),
		fmt.Sprintf("HASH[action] salt %q", salt),
		fmt.Sprintf("HASH[action] key %x", it.Key),
		fmt.Sprintf("HASH[action] = %s", it.ID))
	return out
}
