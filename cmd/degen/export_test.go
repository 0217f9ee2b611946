package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"degen/artifacts"
)

func readManifest(t *testing.T, out string) manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, manifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", manifestName, err)
	}
	return m
}

// exportedFile finds the manifest row of stage/output for a label's place.
func exportedFile(t *testing.T, m manifest, stage, output, contains string) manifestFile {
	t.Helper()
	for _, f := range m.Files {
		if f.Stage == stage && f.Output == output && strings.Contains(f.Path, contains) {
			return f
		}
	}
	t.Fatalf("no %s/%s file containing %q in the manifest", stage, output, contains)
	return manifestFile{}
}

// A flipped byte in an object used to be hard-linked into results/ with exit
// 0. Now export re-hashes every object: the damaged one is quarantined, its
// file is not written, the manifest says incomplete, and the exit is 1;
// after `degen run` repairs it the export is complete again.
func TestExportVerifiesEveryObject(t *testing.T) {
	store, out := t.TempDir(), filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "run")
	mustSmoke(t, store, "export", "--out", out)
	f := exportedFile(t, readManifest(t, out), "train", "summary", "task=dd/factor=none/factor_level=none/seed=0/")
	flipByte(t, objectPath(store, f.Object), false)
	r := smoke(t, store, "export", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "quarantine") {
		t.Fatalf("export of a damaged store: exit %d, stderr %q; want 1 naming the quarantine", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(store, "quarantine", f.Object)); err != nil {
		t.Errorf("damaged object not quarantined: %v", err)
	}
	if _, err := os.Stat(nativePath(out, f.Path)); !os.IsNotExist(err) {
		t.Errorf("the damaged object's file is still in the export (stat: %v)", err)
	}
	if m := readManifest(t, out); m.Complete || len(m.Bad) != 1 || m.Bad[0] != f.Object {
		t.Errorf("manifest complete=%v quarantined=%v, want false and [%s]", m.Complete, m.Bad, f.Object)
	}
	mustSmoke(t, store, "run")
	mustSmoke(t, store, "export", "--out", out)
	if m := readManifest(t, out); !m.Complete {
		t.Errorf("after run, the export is still incomplete")
	}
}

// Exported files are copies: writing into one cannot change the store, and
// each file's bytes are what the manifest says, whatever the worker count.
func TestExportedFilesAreNotTheStore(t *testing.T) {
	store, out, out1 := t.TempDir(), filepath.Join(t.TempDir(), "results"), filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "run")
	mustSmoke(t, store, "export", "--out", out, "-j", "3")
	mustSmoke(t, store, "export", "--out", out1, "-j", "1")
	a, _ := os.ReadFile(filepath.Join(out, manifestName))
	b, _ := os.ReadFile(filepath.Join(out1, manifestName))
	if string(a) != string(b) {
		t.Errorf("-j3 and -j1 exports differ (manifests, with every file's SHA-256)")
	}
	m := readManifest(t, out)
	if len(m.Files) == 0 {
		t.Fatal("nothing exported")
	}
	for _, f := range m.Files {
		p := nativePath(out, f.Path)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := artifacts.HashBytes(b).String(); got != f.SHA256 || int64(len(b)) != f.Size {
			t.Fatalf("%s: sha256 %s size %d, manifest says %s %d", f.Path, got, len(b), f.SHA256, f.Size)
		}
		fi, _ := os.Stat(p)
		oi, err := os.Stat(objectPath(store, f.Object))
		if err != nil || os.SameFile(fi, oi) {
			t.Fatalf("%s is the store object itself (or the object is gone: %v)", f.Path, err)
		}
	}
	f := m.Files[0]
	if err := os.WriteFile(nativePath(out, f.Path), []byte("an analyst's mistake"), 0o666); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(objectPath(store, f.Object))
	if err != nil || artifacts.HashBytes(b).String() != f.Object {
		t.Errorf("writing into the export changed store object %s (%v)", f.Object, err)
	}
}

// Export used to RemoveAll results/: a user's files there vanished. Now it
// replaces and removes only files its manifest lists, and refuses to
// overwrite a file it did not write.
func TestExportKeepsUserFiles(t *testing.T) {
	store, out := t.TempDir(), filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "run")
	mustSmoke(t, store, "export", "--out", out)
	mine := []string{filepath.Join(out, "notes.md"), filepath.Join(out, "score_degeneracy", "my_plot.png")}
	for _, p := range mine {
		if err := os.WriteFile(p, []byte("mine"), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	// A smaller study: the third seed's files go, the user's stay.
	var two []string
	for _, study := range []string{"smoke", "complexity", "gamma", "size", "regularization"} {
		two = append(two, "--set", "study."+study+".n_seeds=2")
	}
	mustSmoke(t, store, "run", two...)
	mustSmoke(t, store, "export", append(two, "--out", out)...)
	for _, p := range mine {
		if b, err := os.ReadFile(p); err != nil || string(b) != "mine" {
			t.Errorf("user file %s: %q, %v", p, b, err)
		}
	}
	m := readManifest(t, out)
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(p, "seed=2") {
			t.Errorf("%s left over from the previous export", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A user file where degen would write: refused, untouched.
	f := m.Files[0]
	os.Remove(filepath.Join(out, manifestName))
	r := smoke(t, store, "export", append(two, "--out", out)...)
	if r.code == 0 || !strings.Contains(r.stderr, "not written by degen export") {
		t.Errorf("export over files it does not know: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(nativePath(out, f.Path)); err != nil {
		t.Errorf("refused export removed %s: %v", f.Path, err)
	}
}

// Export after a config change but before run used to drop tables silently
// with exit 0. Now it refuses (results/ untouched) unless --partial, and the
// manifest says what the export is.
func TestPartialExportSaysSo(t *testing.T) {
	store, out := t.TempDir(), filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "run")
	changed := []string{"--set", "task.dd.delay_max=6"}
	r := smoke(t, store, "export", append(changed, "--out", out)...)
	if r.code != 1 || !strings.Contains(r.stderr, "not computed") || !strings.Contains(r.stderr, "--partial") {
		t.Fatalf("export of an uncomputed config: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("refused export touched %s", out)
	}
	mustSmoke(t, store, "export", append(changed, "--partial", "--out", out)...)
	m := readManifest(t, out)
	if m.Complete || m.Actions.Pending == 0 || m.Actions.Cached+m.Actions.Pending != m.Actions.Total || m.Actions.Files != len(m.Files) {
		t.Errorf("partial manifest: complete=%v actions=%+v files=%d", m.Complete, m.Actions, len(m.Files))
	}
	if m.Config.Preset != "smoke" || strings.Join(m.Config.Set, " ") != "task.dd.delay_max=6" || len(m.Config.Hash) != 64 {
		t.Errorf("manifest config %+v", m.Config)
	}
	for _, f := range m.Files {
		if strings.Contains(f.Path, "task=dd") { // every dd action's key holds delay_max
			t.Errorf("%s exported though it is not computed for this config", f.Path)
		}
	}
	mustSmoke(t, store, "export", "--out", out)
	if m := readManifest(t, out); !m.Complete || m.Actions.Pending != 0 || len(m.Config.Set) != 0 {
		t.Errorf("complete export: manifest %+v", m.Actions)
	}
}

// Partition values are strings whose type a reader guesses per folder; the
// exported tables carry the level typed (factor_value_f64), and every
// per-network table the network id shared by every study that trains it.
func TestExportTypedLevelAndNetwork(t *testing.T) {
	store, out := t.TempDir(), filepath.Join(t.TempDir(), "results")
	wide := []string{"--set", `study.wide.tasks=["flipflop"]`, "--set", "study.wide.n_seeds=3",
		"--set", `study.wide.vary="task.channels"`, "--set", "study.wide.values=[1, 2]"}
	mustSmoke(t, store, "run", wide...)
	mustSmoke(t, store, "export", append(wide, "--out", out)...)
	m := readManifest(t, out)
	read := func(contains string) *artifacts.Table {
		tab, _, err := artifacts.ReadParquetFile(nativePath(out, exportedFile(t, m, "record", "summary", contains).Path))
		if err != nil {
			t.Fatal(err)
		}
		return tab
	}
	smokeNet := read("study=smoke/task=flipflop/factor=none/factor_level=none/seed=1/")
	one := read("study=wide/task=flipflop/factor=task.channels/factor_level=1/seed=1/")
	two := read("study=wide/task=flipflop/factor=task.channels/factor_level=2/seed=1/")
	if v := smokeNet.Col("factor_value_f64").F64[0]; !math.IsNaN(v) {
		t.Errorf("unvaried study: factor_value_f64 = %v, want NaN", v)
	}
	if a, b := one.Col("factor_value_f64").F64[0], two.Col("factor_value_f64").F64[0]; a != 1 || b != 2 {
		t.Errorf("factor_value_f64 = %v, %v; want 1, 2", a, b)
	}
	// smoke's flipflop has one channel: the same network as wide's level 1.
	if smokeNet.Col("network").Strs[0] != one.Col("network").Strs[0] || one.Col("network").Strs[0] == two.Col("network").Strs[0] {
		t.Errorf("network ids smoke %s, wide/1 %s, wide/2 %s: want the first two equal, the third different",
			smokeNet.Col("network").Strs[0], one.Col("network").Strs[0], two.Col("network").Strs[0])
	}
	curve, _, err := artifacts.ReadParquetFile(nativePath(out, exportedFile(t, m, "train", "curve", "study=wide/task=flipflop/factor=task.channels/factor_level=1/seed=1/").Path))
	if err != nil {
		t.Fatal(err)
	}
	if c := curve.Col("network"); c == nil || c.Strs[0] != one.Col("network").Strs[0] {
		t.Errorf("train curve lacks its network id")
	}
	eig, _, err := artifacts.ReadParquetFile(nativePath(out, exportedFile(t, m, "dsafit", "eig", "study=wide/task=flipflop/factor=task.channels/factor_level=1/seed=1/").Path))
	if err != nil {
		t.Fatal(err)
	}
	if c := eig.Col("network"); c == nil || c.Strs[0] != one.Col("network").Strs[0] {
		t.Errorf("dsafit eig lacks its network id (two dependencies away from the train action)")
	}
}

// An export made before MANIFEST.json (marked .degen-export) is taken over:
// its part files are degen's and replaced, anything else in it stays.
func TestExportTakesOverALegacyExport(t *testing.T) {
	store, out := t.TempDir(), filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "run")
	old := filepath.Join(out, "train_summary", "study=gone", "task=dd", "factor=none", "factor_level=none", "seed=0", "part-0123456789abcdef.parquet")
	mine := filepath.Join(out, "notes.md")
	for _, p := range []string{old, mine, filepath.Join(out, legacyMarker)} {
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, []byte("x"), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	mustSmoke(t, store, "export", "--out", out)
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the legacy export's file is still there (stat: %v)", err)
	}
	if _, err := os.Stat(filepath.Join(out, "train_summary", "study=gone")); !os.IsNotExist(err) {
		t.Errorf("the legacy export's emptied folders are still there")
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("user file removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, legacyMarker)); !os.IsNotExist(err) {
		t.Errorf("legacy marker kept")
	}
	if m := readManifest(t, out); !m.Complete || len(m.Files) == 0 {
		t.Errorf("manifest after takeover: complete=%v, %d files", m.Complete, len(m.Files))
	}
}
