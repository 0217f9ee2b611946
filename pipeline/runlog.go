package pipeline

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"degen/artifacts"
)

// A RunLog records, per node name, the key of its last computation: plan
// diffs against it to say why a node would rerun, and gc keeps its actions
// (and pinned ones) as roots. It lives in the store's runs/ (artifacts'
// WriteRun: durable and atomic, like an index entry) and is a convenience:
// deleting it loses explanations, never results.
//
// It is linear in the number of actions: a node's input lines (O(seeds) for
// an align batch, O(seeds²) per condition) are kept as one digest, and the
// inputs that changed are named by comparing each dependency's outputs with
// the ones the log recorded for it.
type RunLog struct {
	Version int                    `json:"version"`
	Nodes   map[string]RunLogEntry `json:"nodes"`
}

// RunLogEntry is one node's last key.
type RunLogEntry struct {
	Action  string            `json:"action"`
	Salt    string            `json:"salt"`
	Lines   []keyLine         `json:"lines"`   // the head lines: format, stage, version, params
	Inputs  string            `json:"inputs"`  // hex SHA-256 of the input lines
	Outputs map[string]string `json:"outputs"` // output name → OutputID hex
}

// runLogVersion 2: head lines, an inputs digest and outputs per node. A log
// of version 1 (every key line) reads as empty: it only loses explanations.
const runLogVersion = 2

// Run log names: the last run, and pins (`run --pin NAME`), the GC roots.
const (
	LatestRun = "latest"
	pinPrefix = "pin-"
)

// PinName is the run log name of pin name.
func PinName(name string) string { return pinPrefix + name }

func (l *RunLog) lookup(name string) (RunLogEntry, bool) {
	if l == nil {
		return RunLogEntry{}, false
	}
	e, ok := l.Nodes[name]
	return e, ok
}

func emptyRunLog() *RunLog { return &RunLog{Version: runLogVersion, Nodes: map[string]RunLogEntry{}} }

// ReadRunLog reads the run log name from st. A missing store or log, or a
// damaged or older one, is empty, not an error.
func ReadRunLog(st *artifacts.Store, name string) (*RunLog, error) {
	if st == nil {
		return emptyRunLog(), nil
	}
	b, err := st.ReadRun(name)
	if errors.Is(err, artifacts.ErrNotFound) {
		return emptyRunLog(), nil
	}
	if err != nil {
		return nil, err
	}
	var l RunLog
	if err := json.Unmarshal(b, &l); err != nil || l.Nodes == nil || l.Version != runLogVersion {
		return emptyRunLog(), nil // a damaged or old log only loses explanations
	}
	return &l, nil
}

// WriteRunLog records results with entries as the run log name, through the
// store's durable write.
func WriteRunLog(st *artifacts.Store, name, salt string, results []*Result) error {
	l := emptyRunLog()
	for _, r := range results {
		if r.Entry == nil || r.Key == ([32]byte{}) {
			continue
		}
		outs := make(map[string]string, len(r.Entry.Outputs))
		for _, o := range r.Entry.Outputs {
			outs[o.Name] = o.ID.String()
		}
		l.Nodes[r.Node.Name()] = RunLogEntry{Action: r.ID.String(), Salt: salt,
			Lines: headLines(r.Node.Action, r.Node.Params), Inputs: hex.EncodeToString(r.Inputs[:]), Outputs: outs}
	}
	b, err := json.MarshalIndent(l, "", " ")
	if err != nil {
		return err
	}
	return st.WriteRun(name, b)
}

// PinnedRoots lists the actions of every pinned run (`run --pin NAME`
// writes the run log pin-NAME), for gc.
func PinnedRoots(st *artifacts.Store) ([]artifacts.ActionID, error) {
	names, err := st.Runs()
	if err != nil {
		return nil, err
	}
	seen := map[artifacts.ActionID]bool{}
	for _, name := range names {
		if !strings.HasPrefix(name, pinPrefix) {
			continue
		}
		b, err := st.ReadRun(name)
		if errors.Is(err, artifacts.ErrNotFound) {
			continue // unpinned meanwhile
		}
		if err != nil {
			return nil, err
		}
		// Only the actions matter here, and every version of the log
		// has them: a pin written by an older degen still protects.
		var l struct {
			Nodes map[string]struct{ Action string } `json:"nodes"`
		}
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("pinned run %s is damaged (%v); repair or delete it before gc", name, err)
		}
		for _, n := range l.Nodes {
			if id, err := artifacts.ParseActionID(n.Action); err == nil {
				seen[id] = true
			}
		}
	}
	ids := make([]artifacts.ActionID, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b artifacts.ActionID) int { return strings.Compare(a.String(), b.String()) })
	return ids, nil
}
