package pipeline

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"degen/artifacts"
)

// A Manifest is one submission to a cluster: the configuration (its text,
// not its path, so editing pipeline.toml after submitting changes nothing),
// the actions that were pending when it was planned, and how they were split
// into array tasks. It lives in <store>/manifests/<id>.json, written once;
// its workers, `degen status` and `degen gc` all read it from there.
type Manifest struct {
	Format  string           `json:"format"`
	ID      string           `json:"id"`
	Created time.Time        `json:"created"` // decides liveness for gc (ManifestTTL)
	Store   string           `json:"store"`   // absolute; the store it was planned against
	Salt    string           `json:"salt"`    // workers must have the same toolchain
	Config  ManifestConfig   `json:"config"`
	Resumes string           `json:"resumes,omitempty"` // the manifest this one resubmits
	Actions []ManifestAction `json:"actions"`           // pending at submit, in topological order
	Tasks   int              `json:"tasks"`             // array tasks (workers) in all
	Arrays  []ManifestArray  `json:"arrays"`            // one sbatch --array each
	Slurm   SlurmOptions     `json:"slurm"`
}

// ManifestConfig is what a worker needs to rebuild the submitter's DAG.
type ManifestConfig struct {
	Path   string   `json:"path"` // where the text came from, for messages only
	Text   string   `json:"text"`
	Preset string   `json:"preset,omitempty"`
	Sets   []string `json:"sets,omitempty"`
}

// A ManifestAction names a pending node by recipe: its ActionID is not known
// until its inputs exist.
type ManifestAction struct {
	Recipe string `json:"recipe"`
	Stage  string `json:"stage"`
	Label  string `json:"label"`
}

// A ManifestArray is one sbatch job array: its task i is worker First+i.
type ManifestArray struct {
	First int `json:"first"`
	Count int `json:"count"`
}

const (
	manifestFormat = "degen-manifest 1"
	manifestsDir   = "manifests"
)

// ManifestTTL is how long a manifest stays live for gc after it was
// submitted: its actions and their inputs are roots until then. A month
// outlasts any sane queue wait plus MaxTime; an older one that still matters
// is resubmitted (`submit --resume`), which makes a fresh, live manifest.
const ManifestTTL = 30 * 24 * time.Hour

// ReadManifestConfig reads the configuration a submission will embed, with
// the same layers as Load.
func ReadManifestConfig(opt LoadOptions) (ManifestConfig, error) {
	mc := ManifestConfig{Path: opt.Path, Preset: opt.Preset, Sets: opt.Sets}
	if opt.Path != "" {
		b, err := os.ReadFile(opt.Path)
		if err != nil {
			return mc, &ConfigError{Where: opt.Path, Msg: err.Error()}
		}
		mc.Text = string(b)
	}
	return mc, nil
}

// Session loads the embedded configuration against store.
func (mc ManifestConfig) Session(store string) (*Session, error) {
	cfg, err := load(LoadOptions{Path: mc.Path, Preset: mc.Preset, Sets: mc.Sets}, mc.Text)
	if err != nil {
		return nil, err
	}
	return newSession(cfg, store)
}

// NewManifest plans a submission of the pending items over tasks workers.
func NewManifest(s *Session, mc ManifestConfig, items []*PlanItem, tasks, maxArray int, opt SlurmOptions, now time.Time) (*Manifest, error) {
	store, err := filepath.Abs(s.StoreDir)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Format: manifestFormat, ID: newManifestID(now), Created: now.UTC(), Store: store,
		Salt: s.Salt, Config: mc, Slurm: opt}
	for _, it := range items {
		if it.State == Pending {
			a := it.Node.Action
			m.Actions = append(m.Actions, ManifestAction{Recipe: it.Node.Recipe, Stage: a.Stage.Name(), Label: a.Label})
		}
	}
	m.Tasks = min(tasks, len(m.Actions))
	m.Arrays = chunkArrays(m.Tasks, maxArray)
	return m, nil
}

// chunkArrays splits n tasks into arrays of at most max tasks: Slurm's
// MaxArraySize bounds the highest index (max-1), so each array counts from 0.
func chunkArrays(n, max int) []ManifestArray {
	var out []ManifestArray
	for first := 0; first < n; first += max {
		out = append(out, ManifestArray{First: first, Count: min(max, n-first)})
	}
	return out
}

// newManifestID sorts by submission time and is unique across hosts.
func newManifestID(now time.Time) string {
	b := make([]byte, 3)
	rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// Session rebuilds the submitter's DAG. A worker built from other sources
// (another stage version, Go release or kernel path) would compute other
// ActionIDs, so it is refused rather than left to fill the store with
// results the submitter cannot see.
func (m *Manifest) Session() (*Session, error) {
	s, err := m.Config.Session(m.Store)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", m.ID, err)
	}
	if s.Salt != m.Salt {
		return nil, &ConfigError{Where: "manifest " + m.ID, Key: "salt",
			Msg: fmt.Sprintf("planned by a degen built with %q; this one is %q: run the submitter's binary", m.Salt, s.Salt)}
	}
	return s, nil
}

// Dir is the manifest's side directory (logs, failure records), relative to
// the store.
func (m *Manifest) Dir() string { return manifestsDir + "/" + m.ID }

// Names inside a manifest's directory: the array tasks' batch script, and
// the directory Slurm writes their output to.
const (
	workerScriptName = "worker.sh"
	logsDirName      = "logs"
)

// ScriptPath is the batch script of m's array tasks.
func (m *Manifest) ScriptPath() string {
	return filepath.Join(m.Store, filepath.FromSlash(m.Dir()), workerScriptName)
}

// TaskLog is the output file of array task `task` of array job `job`: with
// "%A", "%a" it is the --output pattern submit gives sbatch.
func (m *Manifest) TaskLog(job, task string) string {
	return filepath.Join(m.Store, filepath.FromSlash(m.Dir()), logsDirName, job+"_"+task+".log")
}

// WriteManifest stores m durably; workers read it from there.
func WriteManifest(st *artifacts.Store, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return st.WriteSideFile(manifestsDir, m.ID+".json", append(b, '\n'))
}

// RemoveManifest undoes a submission that Slurm refused.
func RemoveManifest(st *artifacts.Store, m *Manifest) error {
	if err := st.RemoveSide(m.Dir(), ""); err != nil {
		return err
	}
	if err := st.RemoveSide(manifestsDir, m.ID+".jobs"); err != nil {
		return err
	}
	return st.RemoveSide(manifestsDir, m.ID+".json")
}

// ManifestPath is where m lives.
func ManifestPath(store, id string) string {
	return filepath.Join(store, manifestsDir, id+".json")
}

// WriteJobs records the Slurm job IDs of m's arrays, one per line, in the
// order of m.Arrays.
func WriteJobs(st *artifacts.Store, m *Manifest, jobs []string) error {
	return st.WriteSideFile(manifestsDir, m.ID+".jobs", []byte(strings.Join(jobs, "\n")+"\n"))
}

// ReadJobs returns the job IDs WriteJobs recorded (none if it did not).
func ReadJobs(st *artifacts.Store, m *Manifest) []string {
	b, err := st.ReadSideFile(manifestsDir, m.ID+".jobs")
	if err != nil {
		return nil
	}
	return strings.Fields(string(b))
}

// ReadManifest reads and checks a manifest file. Anything odd is a
// ConfigError naming the file: a manifest is input like pipeline.toml.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Where: path, Msg: err.Error()}
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, &ConfigError{Where: path, Msg: "not a degen manifest: " + err.Error()}
	}
	switch {
	case m.Format != manifestFormat:
		return nil, &ConfigError{Where: path, Key: "format", Msg: fmt.Sprintf("%q; this degen reads %q", m.Format, manifestFormat)}
	case filepath.Base(path) != m.ID+".json":
		return nil, &ConfigError{Where: path, Key: "id", Msg: fmt.Sprintf("%q does not match the file name", m.ID)}
	case !filepath.IsAbs(m.Store):
		return nil, &ConfigError{Where: path, Key: "store", Msg: "want an absolute path"}
	case m.Tasks < 0 || m.Tasks > len(m.Actions):
		return nil, &ConfigError{Where: path, Key: "tasks", Msg: fmt.Sprintf("%d; want 0..%d (one per action at most)", m.Tasks, len(m.Actions))}
	}
	return &m, nil
}

// OpenManifest finds a manifest by path, by ID in store, or ("" or
// "latest") the newest in store, and checks that it belongs to store: a
// manifest copied from another store, or run against one, would compute into
// a store whose plan it never saw.
func OpenManifest(store, ref string) (*Manifest, error) {
	path := ref
	if ref == "" || ref == "latest" {
		names, err := filepath.Glob(filepath.Join(store, manifestsDir, "*.json"))
		if err != nil || len(names) == 0 {
			return nil, &ConfigError{Where: store, Msg: "no submitted manifest in this store (degen submit --slurm)"}
		}
		path = names[len(names)-1] // IDs sort by submission time
	} else if !strings.ContainsRune(ref, os.PathSeparator) && !strings.HasSuffix(ref, ".json") {
		if store == "" {
			return nil, &ConfigError{Where: ref, Msg: "a manifest ID needs --store (or DEGEN_STORE); or give the manifest's path"}
		}
		path = ManifestPath(store, ref)
	}
	m, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	if err := m.checkStore(path, store); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Manifest) checkStore(path, store string) error {
	if !sameDir(filepath.Join(m.Store, manifestsDir), filepath.Dir(path)) {
		return &ConfigError{Where: path, Key: "store", Msg: fmt.Sprintf("manifest %s belongs to the store %s, but lies in %s: submit it again against this store", m.ID, m.Store, filepath.Dir(filepath.Dir(path)))}
	}
	if store != "" && !sameDir(m.Store, store) {
		return &ConfigError{Where: path, Key: "store", Msg: fmt.Sprintf("manifest %s belongs to the store %s, not %s", m.ID, m.Store, store)}
	}
	return nil
}

// sameDir compares directories by identity (device and inode), so symlinks
// and relative spellings do not matter.
func sameDir(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// ManifestRoots lists, for gc, what every live manifest in the store needs:
// the ActionIDs its configuration resolves to now, which are its cached
// inputs and every action its workers have committed. A manifest is live
// until ttl after it was created (ManifestTTL by default). A manifest gc
// cannot read, or one planned by another toolchain (whose ActionIDs this
// binary cannot compute), stops gc: collecting without knowing its roots
// could delete what its workers are about to read.
func ManifestRoots(st *artifacts.Store, now time.Time, ttl time.Duration) ([]artifacts.ActionID, int, error) {
	names, err := st.ListSideFiles(manifestsDir)
	if err != nil {
		return nil, 0, err
	}
	var roots []artifacts.ActionID
	live := 0
	planned := map[string]bool{} // a --resume chain embeds one configuration: plan it once
	for _, name := range names {
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		m, err := ReadManifest(filepath.Join(st.Dir(), manifestsDir, name))
		if err != nil {
			return nil, 0, fmt.Errorf("gc: %w (remove it if it is not a manifest)", err)
		}
		if now.Sub(m.Created) > ttl {
			continue
		}
		live++
		key, _ := json.Marshal(struct {
			Config ManifestConfig
			Salt   string
		}{m.Config, m.Salt})
		if planned[string(key)] {
			continue
		}
		planned[string(key)] = true
		s, err := m.Session()
		if err != nil {
			return nil, 0, fmt.Errorf("gc: live %w; gc with that binary, or remove the manifest", err)
		}
		items, err := s.Plan(st, nil)
		if err != nil {
			return nil, 0, err
		}
		for _, it := range items {
			if it.ID != nil {
				roots = append(roots, *it.ID)
			}
		}
	}
	return roots, live, nil
}

// errNoManifestAction: the manifest names a recipe the rebuilt DAG lacks.
var errNoManifestAction = errors.New("not in the manifest's configuration")

// NewSubmitSession is NewSession for a submission: it also returns the
// configuration text it loaded, which the manifest embeds, so the workers
// rebuild exactly the DAG that was planned.
func NewSubmitSession(opt SessionOptions) (*Session, ManifestConfig, error) {
	mc, err := ReadManifestConfig(opt.LoadOptions)
	if err != nil {
		return nil, mc, err
	}
	cfg, err := load(opt.LoadOptions, mc.Text)
	if err != nil {
		return nil, mc, err
	}
	s, err := newSession(cfg, storeDir(opt, cfg))
	return s, mc, err
}
