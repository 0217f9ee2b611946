package pipeline

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"degen/artifacts"
)

// A RunLog records, per node name, the key of its last computation: plan
// diffs against it to say why a node would rerun, and gc keeps its actions
// (and pinned ones) as roots. It lives in <store>/runs/ and is a convenience:
// deleting it loses explanations, never results.
type RunLog struct {
	Nodes map[string]RunLogEntry `json:"nodes"`
}

// RunLogEntry is one node's last key.
type RunLogEntry struct {
	Action string    `json:"action"`
	Salt   string    `json:"salt"`
	Lines  []keyLine `json:"lines"`
}

const runsDir = "runs"

func (l *RunLog) lookup(name string) (RunLogEntry, bool) {
	if l == nil {
		return RunLogEntry{}, false
	}
	e, ok := l.Nodes[name]
	return e, ok
}

// ReadRunLog reads runs/<name>.json; a missing log is empty, not an error.
func ReadRunLog(storeDir, name string) (*RunLog, error) {
	b, err := os.ReadFile(filepath.Join(storeDir, runsDir, name+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return &RunLog{Nodes: map[string]RunLogEntry{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var l RunLog
	if err := json.Unmarshal(b, &l); err != nil || l.Nodes == nil {
		return &RunLog{Nodes: map[string]RunLogEntry{}}, nil // a damaged log only loses explanations
	}
	return &l, nil
}

// WriteRunLog records results with entries as runs/<name>.json, atomically.
func WriteRunLog(storeDir, name, salt string, results []*Result) error {
	l := RunLog{Nodes: map[string]RunLogEntry{}}
	for _, r := range results {
		if r.Entry == nil || r.Lines == nil {
			continue
		}
		l.Nodes[r.Node.Name()] = RunLogEntry{Action: r.ID.String(), Salt: salt, Lines: r.Lines}
	}
	b, err := json.MarshalIndent(l, "", " ")
	if err != nil {
		return err
	}
	dir := filepath.Join(storeDir, runsDir)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name+".json"))
}

// PinnedRoots lists the actions of every pinned run (`run --pin NAME`
// writes runs/pin-NAME.json), for gc.
func PinnedRoots(storeDir string) ([]artifacts.ActionID, error) {
	entries, err := os.ReadDir(filepath.Join(storeDir, runsDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	seen := map[artifacts.ActionID]bool{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || !strings.HasPrefix(e.Name(), "pin-") {
			continue
		}
		l, err := ReadRunLog(storeDir, strings.TrimSuffix(e.Name(), ".json"))
		if err != nil {
			return nil, err
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
	sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
	return ids, nil
}
