package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"degen/artifacts"
	"degen/rnn/kernels"
	"degen/stages"
)

// KeyFormat versions the canonical key encoding (docs/keys.md). Bumping it
// changes every ActionID.
const KeyFormat = "degen-key v1"

// Version is degen's artifact format version, recorded in every artifact. It
// is bumped by hand with the on-disk table conventions, not with every commit,
// so that a rebuild from a newer checkout gives the same bytes.
const Version = "degen 0.1"

// Salt is the toolchain part of every ActionID: results computed by another Go
// version, architecture or kernel path never share an ActionID (they may still
// share OutputIDs, since equal bytes are equal objects). It is not part of the
// artifact bytes.
func Salt() string {
	amd64 := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOAMD64" {
				amd64 = s.Value
			}
		}
	}
	return fmt.Sprintf("go=%s arch=%s goamd64=%s kernels=%s", runtime.Version(), runtime.GOARCH, amd64, kernels.Path())
}

// A keyLine is one hash input: explain prints them, plan diffs them.
type keyLine struct{ Name, Value string }

// An input is one resolved dependency output: the part of a key that names
// upstream bytes.
type input struct {
	Dep    string
	Output string
	ID     artifacts.OutputID
	Size   int64
}

// canonicalParams is the canonical JSON of an action's parameters: the
// encoding/json form of a struct (fields in declaration order, shortest
// round-trip floats, no insignificant space).
func canonicalParams(p any) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("params of type %T: %w", p, err)
	}
	return string(b), nil
}

// keyLines lists the salt-free inputs of an action's key: everything that
// determines its outputs. Only explain and plan's explanations build them;
// keys are hashed without materializing them (nodeKey), because an align
// action of seed j has O(j) input lines and a condition O(seeds²) in all.
func keyLines(a *stages.Action, params string, ins []input) []keyLine {
	ls := headLines(a, params)
	for _, in := range ins {
		ls = append(ls, keyLine{"input", string(appendInput(nil, in.Dep, in.Output, in.ID, in.Size))})
	}
	return ls
}

// headLines are the key lines before the inputs.
func headLines(a *stages.Action, params string) []keyLine {
	return []keyLine{
		{"format", KeyFormat},
		{"stage", a.Stage.Name()},
		{"version", strconv.Itoa(a.Stage.Version())},
		{"params", params},
	}
}

// appendInput appends an input line's value: "<dep> <output> <id hex> <size>".
func appendInput(b []byte, dep, output string, id artifacts.OutputID, size int64) []byte {
	b = append(append(append(b, dep...), ' '), output...)
	b = hex.AppendEncode(append(b, ' '), id[:])
	return strconv.AppendInt(append(b, ' '), size, 10)
}

// A keyHasher hashes key lines in order, each "name <len(value)> value\n"
// (the length makes line sets unambiguous), with one reused buffer. Input
// lines also go into a second hash, the inputs digest the run log keeps in
// place of the lines themselves.
type keyHasher struct {
	key, ins hash.Hash
	buf, val []byte
}

func newKeyHasher() *keyHasher { return &keyHasher{key: sha256.New(), ins: sha256.New()} }

func (k *keyHasher) line(name string, value []byte) {
	k.buf = append(append(k.buf[:0], name...), ' ')
	k.buf = strconv.AppendInt(k.buf, int64(len(value)), 10)
	k.buf = append(append(append(k.buf, ' '), value...), '\n')
	k.key.Write(k.buf)
}

func (k *keyHasher) input(dep string, o artifacts.Output) {
	k.val = appendInput(k.val[:0], dep, o.Name, o.ID, o.Size)
	k.line("input", k.val)
	k.ins.Write(k.buf)
}

func (k *keyHasher) sums() (key, ins [32]byte) {
	k.key.Sum(key[:0])
	k.ins.Sum(ins[:0])
	return key, ins
}

// hashLines hashes key lines in order (keyHasher).
func hashLines(ls []keyLine) [32]byte {
	k := newKeyHasher()
	for _, l := range ls {
		k.line(l.Name, []byte(l.Value))
	}
	key, _ := k.sums()
	return key
}

// nodeKey is n's action key, hashed straight from its dependencies' entries
// (entry(d) for each of n.Deps; nil if not computed), and the digest of its
// input lines. ok is false if a dependency has no entry.
func nodeKey(n *Node, entry func(d *Node) *artifacts.Entry) (key, ins [32]byte, ok bool) {
	k := newKeyHasher()
	for _, l := range headLines(n.Action, n.Params) {
		k.line(l.Name, []byte(l.Value))
	}
	for i, d := range n.Deps {
		e := entry(d)
		if e == nil {
			return key, ins, false
		}
		for _, o := range e.Outputs {
			k.input(n.Action.Deps[i].Name, o)
		}
	}
	key, ins = k.sums()
	return key, ins, true
}

// nodeInputs lists n's inputs: its dependencies' outputs, in dependency
// order and each dependency's own output order. ok is false if a dependency
// has no entry.
func nodeInputs(n *Node, entry func(d *Node) *artifacts.Entry) (ins []input, ok bool) {
	for i, d := range n.Deps {
		e := entry(d)
		if e == nil {
			return nil, false
		}
		for _, o := range e.Outputs {
			ins = append(ins, input{Dep: n.Action.Deps[i].Name, Output: o.Name, ID: o.ID, Size: o.Size})
		}
	}
	return ins, true
}

// actionKey is the salt-free key recorded inside artifacts; the ActionID adds
// the salt.
func actionKey(ls []keyLine) [32]byte { return hashLines(ls) }

func actionID(salt string, key [32]byte) artifacts.ActionID {
	return artifacts.ActionID(hashLines([]keyLine{{"salt", salt}, {"key", hex.EncodeToString(key[:])}}))
}

// recipeOf is an action's recipe: its key lines with each dependency named
// by its recipe instead of its outputs ("dep <name> <recipe>"), computable
// before anything runs, so the DAG and plan can name actions whose inputs do
// not exist yet.
func recipeOf(a *stages.Action, params string, deps []*Node) [32]byte {
	k := newKeyHasher()
	for _, l := range headLines(a, params) {
		k.line(l.Name, []byte(l.Value))
	}
	for i, d := range a.Deps {
		k.val = append(append(append(k.val[:0], d.Name...), ' '), deps[i].Recipe...)
		k.line("dep", k.val)
	}
	key, _ := k.sums()
	return key
}

func attrString(as []stages.Attr) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Key + "=" + a.Value
	}
	return strings.Join(parts, " ")
}
