package pipeline

import (
	"encoding/hex"
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
	Entry  *artifacts.Entry
	Reason string

	items []*PlanItem // the whole plan, to rebuild this item's key lines on demand
}

// Plan decides, without writing anything, which nodes are cached and why the
// others would run. st may be nil (no store yet); last is the previous run's
// log, used to name what changed.
func (s *Session) Plan(st *artifacts.Store, last *RunLog) ([]*PlanItem, error) {
	lookup := func(*Node, artifacts.ActionID) (*artifacts.Entry, error) { return nil, artifacts.ErrNotFound }
	if st != nil {
		lookup = func(_ *Node, id artifacts.ActionID) (*artifacts.Entry, error) { return st.Lookup(id) }
	}
	return s.plan(lookup, last)
}

// plan is Plan over any index: tests plan against an in-memory one. Its
// memory is linear in the number of actions: keys are hashed from the
// dependencies' entries without building their lines (nodeKey).
func (s *Session) plan(lookup func(*Node, artifacts.ActionID) (*artifacts.Entry, error), last *RunLog) ([]*PlanItem, error) {
	items := make([]*PlanItem, len(s.Graph.Nodes))
	entry := func(d *Node) *artifacts.Entry { return items[d.Index].Entry }
	for i, n := range s.Graph.Nodes {
		it := &PlanItem{Node: n, State: Pending, items: items}
		items[i] = it
		key, ins, ok := nodeKey(n, entry)
		if !ok {
			it.Reason = "input " + blockedInput(n, entry) + " will be recomputed"
			continue
		}
		id := actionID(s.Salt, key)
		it.Key, it.ID = key, &id
		e, err := lookup(n, id)
		if err == nil {
			it.State, it.Entry, it.Reason = Cached, e, "cached"
			continue
		}
		if !errors.Is(err, artifacts.ErrNotFound) {
			return nil, err
		}
		it.Reason = last.why(n, ins, entry, s.Salt)
	}
	return items, nil
}

// blockedInput names the first dependency of n that has no entry.
func blockedInput(n *Node, entry func(*Node) *artifacts.Entry) string {
	for k, d := range n.Deps {
		if entry(d) == nil {
			return n.Action.Deps[k].Name + " (" + d.Name() + ")"
		}
	}
	return ""
}

// why names the key part that changed since the last run of the same node:
// its head lines, compared line by line, and its inputs, compared by digest
// and then, to name them, with the outputs the log recorded for each
// dependency.
func (l *RunLog) why(n *Node, ins [32]byte, entry func(*Node) *artifacts.Entry, salt string) string {
	prev, ok := l.lookup(n.Name())
	if !ok {
		return "not computed before"
	}
	if prev.Salt != salt {
		return "toolchain changed: " + prev.Salt + " → " + salt
	}
	var diffs []string
	lines := headLines(n.Action, n.Params)
	for _, name := range []string{"stage", "version", "params"} {
		a, b := linesNamed(prev.Lines, name), linesNamed(lines, name)
		if strings.Join(a, "\n") == strings.Join(b, "\n") {
			continue
		}
		switch name {
		case "params":
			diffs = append(diffs, "params changed: "+paramDiff(a, b))
		default:
			diffs = append(diffs, fmt.Sprintf("%s %s → %s", name, strings.Join(a, ","), strings.Join(b, ",")))
		}
	}
	if prev.Inputs != hex.EncodeToString(ins[:]) {
		diffs = append(diffs, "input changed: "+l.inputDiff(n, entry))
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

// inputDiff names the dependency outputs whose bytes differ from what the
// last run recorded for that dependency: "train:3/weights_final".
func (l *RunLog) inputDiff(n *Node, entry func(*Node) *artifacts.Entry) string {
	var out []string
	for k, d := range n.Deps {
		prev, _ := l.lookup(d.Name())
		for _, o := range entry(d).Outputs {
			if prev.Outputs[o.Name] != o.ID.String() {
				out = append(out, n.Action.Deps[k].Name+"/"+o.Name)
			}
		}
	}
	if len(out) == 0 {
		return "(the last run's log does not say which)"
	}
	sort.Strings(out)
	if len(out) > 4 {
		out = append(out[:4], fmt.Sprintf("and %d more", len(out)-4))
	}
	return strings.Join(out, ", ")
}

// Lines are the item's key lines: its head, then one line per input, or
// only the head while an input is not computed yet.
func (it *PlanItem) Lines() []keyLine {
	n := it.Node
	ins, _ := nodeInputs(n, func(d *Node) *artifacts.Entry { return it.items[d.Index].Entry })
	return keyLines(n.Action, n.Params, ins)
}

// HashInputs lists every input of the item's ActionID in hashing order, like
// Go's GODEBUG=gocachehash=1: the key lines, then the salt and the key they
// hash to.
func (it *PlanItem) HashInputs(salt string) []string {
	var out []string
	for _, l := range it.Lines() {
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
