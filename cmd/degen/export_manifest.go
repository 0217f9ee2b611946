package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"degen/pipeline"
	"degen/stages"
)

// manifestName is the export's record of itself: which configuration it
// shows, whether it is complete, and every file degen wrote there. The next
// export replaces or removes exactly those files and nothing else.
const manifestName = "MANIFEST.json"

// legacyMarker marked exports made before MANIFEST.json; their part files
// are taken as degen's once, then the marker is removed.
const legacyMarker = ".degen-export"

type manifest struct {
	Format   string         `json:"format"`
	Complete bool           `json:"complete"` // every action computed and every object verified
	Config   manifestConfig `json:"config"`
	Actions  manifestCounts `json:"actions"`
	Bad      []string       `json:"quarantined,omitempty"` // objects that failed their hash check
	Files    []manifestFile `json:"files"`
}

type manifestConfig struct {
	File   string   `json:"file"`
	Preset string   `json:"preset"`
	Set    []string `json:"set"`
	Hash   string   `json:"hash"` // SHA-256 of the resolved configuration (JSON)
}

type manifestCounts struct {
	Total   int `json:"total"`
	Cached  int `json:"cached"`
	Pending int `json:"pending"`
	Files   int `json:"files"`
}

// A manifestFile is one file degen wrote: its path under the export, its
// own hash, and the store object it was made from.
type manifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size,omitempty"`
	Object string `json:"object,omitempty"` // the OutputID in the store
	Stage  string `json:"stage,omitempty"`
	Output string `json:"output,omitempty"`
	Action string `json:"action,omitempty"` // the ActionID
}

func newManifest(s *pipeline.Session, cf configFlags, total, pending int) *manifest {
	b, _ := json.Marshal(s.Config) // maps encode in key order: a stable hash
	sum := sha256.Sum256(b)
	sets := append([]string{}, cf.sets...)
	return &manifest{
		Format:  "degen-export v1",
		Config:  manifestConfig{File: cf.config, Preset: s.Config.Preset, Set: sets, Hash: hex.EncodeToString(sum[:])},
		Actions: manifestCounts{Total: total, Cached: total - pending, Pending: pending},
	}
}

// begin reads what the previous export wrote, refuses to overwrite any file
// it did not write, and records the union of old and new paths as an
// incomplete manifest: if this export dies midway, the next one still knows
// every file that may be degen's.
func (x *exporter) begin(js []exportJob) error {
	prev, err := readPrevious(x.out)
	if err != nil {
		return err
	}
	x.prev = prev
	for _, j := range js {
		p := nativePath(x.out, j.Rel)
		if _, err := os.Lstat(p); err == nil && !prev[j.Rel] {
			return fmt.Errorf("%s exists and was not written by degen export (not in %s): move it, or choose another --out", p, manifestName)
		}
	}
	interim := &manifest{Format: "degen-export v1"}
	for _, p := range sortedPaths(prev, js) {
		interim.Files = append(interim.Files, manifestFile{Path: p})
	}
	return writeManifest(x.out, interim)
}

// readPrevious lists the files a previous export wrote into out.
func readPrevious(out string) (map[string]bool, error) {
	prev := map[string]bool{}
	b, err := os.ReadFile(filepath.Join(out, manifestName))
	switch {
	case err == nil:
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %v: it lists the files degen may replace; fix or remove it", filepath.Join(out, manifestName), err)
		}
		for _, f := range m.Files {
			if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
				return nil, fmt.Errorf("%s lists %q, outside the export", filepath.Join(out, manifestName), f.Path)
			}
			prev[f.Path] = true
		}
		return prev, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(out, legacyMarker)); err != nil {
		return prev, nil
	}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "part-") {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		prev[filepath.ToSlash(rel)] = true
		return nil
	})
	return prev, err
}

func sortedPaths(prev map[string]bool, js []exportJob) []string {
	all := map[string]bool{}
	for p := range prev {
		all[p] = true
	}
	for _, j := range js {
		all[j.Rel] = true
	}
	out := make([]string, 0, len(all))
	for p := range all {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// finish removes the files of the previous export that this one did not
// write (and folders they leave empty), then writes the manifest.
func (x *exporter) finish(m *manifest) error {
	sort.Slice(m.Files, func(a, b int) bool { return m.Files[a].Path < m.Files[b].Path })
	m.Actions.Files = len(m.Files)
	now := map[string]bool{}
	dirs := map[string]bool{}
	for _, f := range m.Files {
		now[f.Path] = true
		dirs[filepath.Dir(nativePath(x.out, f.Path))] = true
	}
	for p := range x.prev {
		if now[p] {
			continue
		}
		if err := os.Remove(nativePath(x.out, p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removeEmptyParents(x.out, filepath.Dir(nativePath(x.out, p)))
	}
	for d := range dirs {
		debris, _ := filepath.Glob(filepath.Join(d, tmpPrefix+"*"))
		for _, f := range debris {
			os.Remove(f)
		}
	}
	if err := writeManifest(x.out, m); err != nil {
		return err
	}
	os.Remove(filepath.Join(x.out, legacyMarker))
	return nil
}

// removeEmptyParents removes dir and its parents below out while they are
// empty; os.Remove refuses a folder that holds anything, a user's file
// included.
func removeEmptyParents(out, dir string) {
	for dir != filepath.Clean(out) && strings.HasPrefix(dir, filepath.Clean(out)) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

func writeManifest(out string, m *manifest) error {
	if m.Files == nil {
		m.Files = []manifestFile{}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(out, manifestName), append(b, '\n'))
}

// networkIDs names the network of every per-network node (train, record,
// dsafit: stages.NetworkOf). Nodes that depend on several networks (align,
// score) or none (generate) get none.
func networkIDs(items []*pipeline.PlanItem) map[*pipeline.Node]string {
	out := map[*pipeline.Node]string{}
	for _, it := range items {
		if p, ok := stages.NetworkOf(it.Node.Action); ok {
			if id, err := stages.NetworkID(p); err == nil {
				out[it.Node] = id
			}
		}
	}
	return out
}
