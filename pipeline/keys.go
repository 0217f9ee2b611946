package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
// determines its outputs.
func keyLines(a *stages.Action, params string, ins []input) []keyLine {
	ls := []keyLine{
		{"format", KeyFormat},
		{"stage", a.Stage.Name()},
		{"version", strconv.Itoa(a.Stage.Version())},
		{"params", params},
	}
	for _, in := range ins {
		ls = append(ls, keyLine{"input", fmt.Sprintf("%s %s %s %d", in.Dep, in.Output, in.ID, in.Size)})
	}
	return ls
}

// hashLines hashes key lines in order, each "name value\n" with the value's
// length first so no two line sets collide.
func hashLines(ls []keyLine) [32]byte {
	h := sha256.New()
	for _, l := range ls {
		fmt.Fprintf(h, "%s %d %s\n", l.Name, len(l.Value), l.Value)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// actionKey is the salt-free key recorded inside artifacts; the ActionID adds
// the salt.
func actionKey(ls []keyLine) [32]byte { return hashLines(ls) }

func actionID(salt string, key [32]byte) artifacts.ActionID {
	return artifacts.ActionID(hashLines([]keyLine{{"salt", salt}, {"key", hex.EncodeToString(key[:])}}))
}

// recipeLines are an action's key lines with each dependency named by its
// recipe instead of its outputs: computable before anything runs, so the DAG
// and plan can name actions whose inputs do not exist yet.
func recipeLines(a *stages.Action, params string, deps []string) []keyLine {
	ls := []keyLine{
		{"format", KeyFormat},
		{"stage", a.Stage.Name()},
		{"version", strconv.Itoa(a.Stage.Version())},
		{"params", params},
	}
	for i, d := range a.Deps {
		ls = append(ls, keyLine{"dep", d.Name + " " + deps[i]})
	}
	return ls
}

func attrString(as []stages.Attr) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Key + "=" + a.Value
	}
	return strings.Join(parts, " ")
}
