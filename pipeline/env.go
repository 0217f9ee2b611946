package pipeline

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"degen/artifacts"
)

// env is what a running action sees (stages.Env): its inputs by name, and a
// writer that stores each output table with the provenance metadata.
type env struct {
	r       *Runner
	res     *Result
	ins     []input
	verify  bool // hash outputs without storing them
	outputs []artifacts.Output
	logs    []string
}

func (r *Runner) newEnv(res *Result, ins []input, verify bool) *env {
	return &env{r: r, res: res, ins: ins, verify: verify}
}

// beforeRead runs between an action's key lookup and each read of one of
// its inputs: a test seam, where another action's repair may quarantine the
// object (issue #10).
var beforeRead = func(*artifacts.Store, artifacts.Output) {} // Overridden by tests.

func (e *env) Input(dep, output string) (*artifacts.Table, error) {
	for _, in := range e.ins {
		if in.Dep == dep && in.Output == output {
			o := artifacts.Output{Name: in.Output, ID: in.ID, Size: in.Size}
			beforeRead(e.r.Store, o)
			return e.r.tables.get(e.r.Store, o)
		}
	}
	return nil, fmt.Errorf("%s: no input %s/%s", e.res.Node.Name(), dep, output)
}

func (e *env) Write(output string, t *artifacts.Table) error {
	meta, err := e.metadata(output)
	if err != nil {
		return err
	}
	var id artifacts.OutputID
	var size int64
	if e.verify {
		id, size, err = artifacts.HashOutput(parquetReader(t, meta))
	} else {
		id, size, err = e.r.Store.PutTable(t, meta)
	}
	if err != nil {
		return fmt.Errorf("%s: write %s: %w", e.res.Node.Name(), output, err)
	}
	e.outputs = append(e.outputs, artifacts.Output{Name: output, ID: id, Size: size})
	return nil
}

// parquetReader streams a table's Parquet bytes, for hashing without storing.
func parquetReader(t *artifacts.Table, meta []artifacts.KV) io.Reader {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(artifacts.WriteParquet(pw, t, meta)) }()
	return pr
}

func (e *env) Logf(format string, args ...any) {
	e.logs = append(e.logs, fmt.Sprintf(format, args...))
}

// metadata is the provenance every artifact carries in its Parquet key-value
// metadata: enough to know what made it, nothing that varies between runs
// (no clock, no host, no salt).
func (e *env) metadata(output string) ([]artifacts.KV, error) {
	n := e.res.Node
	type inputJSON struct {
		Dep    string `json:"dep"`
		Output string `json:"output"`
		ID     string `json:"id"`
	}
	ins := make([]inputJSON, len(e.ins))
	for i, in := range e.ins {
		ins[i] = inputJSON{in.Dep, in.Output, in.ID.String()}
	}
	insJSON, err := json.Marshal(ins)
	if err != nil {
		return nil, err
	}
	return []artifacts.KV{
		{Key: "degen.version", Value: Version},
		{Key: "degen.stage", Value: n.Action.Stage.Name()},
		{Key: "degen.stage_version", Value: strconv.Itoa(n.Action.Stage.Version())},
		{Key: "degen.output", Value: output},
		{Key: "degen.action_key", Value: hex.EncodeToString(e.res.Key[:])},
		{Key: "degen.params", Value: n.Params},
		{Key: "degen.inputs", Value: string(insJSON)},
	}, nil
}

// provenance is the record of one computation that may vary between runs:
// who, where, when, how long. It is stored beside the outputs, never in them.
type provenance struct {
	Action   string   `json:"action"`
	Key      string   `json:"action_key"`
	Salt     string   `json:"salt"`
	Stage    string   `json:"stage"`
	Label    string   `json:"label"`
	Host     string   `json:"host"`
	PID      int      `json:"pid"`
	Revision string   `json:"revision,omitempty"`
	Modified bool     `json:"modified,omitempty"`
	Started  string   `json:"started"`
	Seconds  float64  `json:"seconds"`
	Log      []string `json:"log,omitempty"`
}

// readProvenance reads the provenance record o (an entry's Prov).
func readProvenance(st *artifacts.Store, o artifacts.Output) (provenance, error) {
	var p provenance
	f, err := st.OpenObject(o)
	if err != nil {
		return p, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&p)
	return p, err
}

func (r *Runner) putProvenance(res *Result, e *env, started time.Time) (*artifacts.Output, error) {
	host, _ := os.Hostname()
	p := provenance{
		Action: res.ID.String(), Key: hex.EncodeToString(res.Key[:]), Salt: r.Salt,
		Stage: res.Node.Action.Stage.Name(), Label: res.Node.Action.Label,
		Host: host, PID: os.Getpid(),
		Started: started.UTC().Format(time.RFC3339Nano), Seconds: time.Since(started).Seconds(),
		Log: e.logs,
	}
	p.Revision, p.Modified = vcsRevision()
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	id, size, err := r.Store.Put(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return &artifacts.Output{Name: "prov", ID: id, Size: size}, nil
}

func vcsRevision() (rev string, modified bool) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	return rev, modified
}

// verify recomputes a cached node without storing anything and compares
// each output's hash with the entry's. Objects are first re-hashed: a corrupt
// one is quarantined and its entry dropped, so the next run recomputes it.
func (r *Runner) verify(ctx context.Context, i int) error {
	res := r.results[i]
	for _, o := range res.Entry.Outputs {
		if err := r.Store.VerifyObject(o); err != nil {
			r.Store.QuarantineObject(o.ID)
			r.Store.RemoveAction(res.ID)
			res.State = Mismatch
			res.Err = fmt.Errorf("stored object %s (%s) is corrupt; quarantined, the next run recomputes it: %w", o.Name, o.ID, err)
			return nil
		}
	}
	ins, err := r.inputs(res.Node)
	if err != nil {
		return err
	}
	e := r.newEnv(res, ins, true)
	if err := runStage(ctx, res.Node, e); err != nil {
		return err
	}
	res.State = Verified
	if len(e.outputs) != len(res.Entry.Outputs) {
		res.State, res.Err = Mismatch, fmt.Errorf("recomputed %d outputs, stored %d", len(e.outputs), len(res.Entry.Outputs))
		return nil
	}
	for k, o := range e.outputs {
		s := res.Entry.Outputs[k]
		if o.Name != s.Name || o.ID != s.ID {
			res.State = Mismatch
			res.Err = fmt.Errorf("output %s: recomputed %s, stored %s", o.Name, o.ID, s.ID)
			return nil
		}
	}
	return nil
}

// tableCache keeps recently read input tables: the align stage reads each
// network's weights once per pair.
type tableCache struct {
	mu    sync.Mutex
	limit int64
	size  int64
	order []artifacts.OutputID
	m     map[artifacts.OutputID]*artifacts.Table
	sizes map[artifacts.OutputID]int64
}

func newTableCache(limit int64) *tableCache {
	return &tableCache{limit: limit, m: map[artifacts.OutputID]*artifacts.Table{}, sizes: map[artifacts.OutputID]int64{}}
}

func (c *tableCache) get(s *artifacts.Store, o artifacts.Output) (*artifacts.Table, error) {
	c.mu.Lock()
	if t, ok := c.m[o.ID]; ok {
		c.mu.Unlock()
		return t, nil
	}
	c.mu.Unlock()
	t, _, err := s.ReadTable(o)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[o.ID]; !ok {
		c.m[o.ID], c.sizes[o.ID] = t, o.Size
		c.order = append(c.order, o.ID)
		c.size += o.Size
		for c.size > c.limit && len(c.order) > 1 {
			old := c.order[0]
			c.order = c.order[1:]
			c.size -= c.sizes[old]
			delete(c.m, old)
			delete(c.sizes, old)
		}
	}
	return t, nil
}
