package stages

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"degen/artifacts"
)

// memEnv is an in-memory Env for stage tests: inputs are tables keyed
// dep+"/"+output, writes land in written (and their names in order), logs
// are discarded.
type memEnv struct {
	inputs  map[string]*artifacts.Table
	written map[string]*artifacts.Table
	order   []string
}

func newMemEnv() *memEnv {
	return &memEnv{inputs: map[string]*artifacts.Table{}, written: map[string]*artifacts.Table{}}
}

func (e *memEnv) Input(dep, output string) (*artifacts.Table, error) {
	t, ok := e.inputs[dep+"/"+output]
	if !ok {
		return nil, fmt.Errorf("memEnv: no input %s/%s", dep, output)
	}
	return t, nil
}

// Write rejects what the real store would: an invalid table, or a second
// output of the same name.
func (e *memEnv) Write(output string, t *artifacts.Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if _, dup := e.written[output]; dup {
		return fmt.Errorf("memEnv: output %q written twice", output)
	}
	e.written[output] = t
	e.order = append(e.order, output)
	return nil
}

func (e *memEnv) Logf(string, ...any) {}

// tableDigest is a SHA-256 over a table's column names, kinds and values in
// order: a stand-in for the Parquet OutputID in golden tests, independent
// of the writer's encoding.
func tableDigest(t *artifacts.Table) string {
	h := sha256.New()
	var w [8]byte
	put := func(v uint64) { binary.LittleEndian.PutUint64(w[:], v); h.Write(w[:]) }
	str := func(s string) { put(uint64(len(s))); h.Write([]byte(s)) }
	for _, c := range t.Columns {
		str(c.Name)
		put(uint64(c.Kind))
		put(uint64(c.Len()))
		for _, v := range c.Ints {
			put(uint64(v))
		}
		for _, v := range c.F32 {
			put(uint64(math.Float32bits(v)))
		}
		for _, v := range c.F64 {
			put(math.Float64bits(v))
		}
		for _, v := range c.Strs {
			str(v)
		}
		for _, v := range c.Bools {
			if v {
				put(1)
			} else {
				put(0)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
