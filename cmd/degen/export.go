package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"degen/artifacts"
	"degen/pipeline"
	"degen/stages"
)

func init() {
	register(&command{
		name:  "export",
		usage: "[--out DIR] [--partial] [-j N] [--preset P] [--set k=v]...",
		help:  "write the results as Hive-partitioned Parquet copies (<out>/<stage>_<output>/key=value/…) and <out>/MANIFEST.json, re-hashing every object",
		run:   runExport,
	})
}

// An exportJob is one file of an export: a store object and where under
// --out it goes. Tables gain the typed columns of their place (exportColumns).
type exportJob struct {
	Rel     string           // path under --out, slash-separated
	Object  artifacts.Output // what to place, checked against its hash
	Stage   string
	Action  string        // ActionID
	Attrs   []stages.Attr // the place: study, task, factor, factor_level[, seed]
	Network string        // the network a per-network table describes, or ""
	// Unpack marks a file packed in a files table (figures, the report):
	// the file is row Row of the table Object, decoded (exportFigures).
	Unpack bool
	Row    int
}

// exportHooks add files to an export beyond the stage outputs (the figures
// stage registers one). A hook sees the cached plan items and returns jobs;
// their objects are verified and copied like every other file.
var exportHooks []func(items []*pipeline.PlanItem, st *artifacts.Store) ([]exportJob, error)

func runExport(args []string, stdout, stderr io.Writer) error {
	cf := configFlags{readOnly: true} // results computed on a bigger machine export here too
	fs := newFlags(commands["export"], stderr)
	cf.register(fs)
	out := fs.String("out", "results", "output directory (files degen did not write there are never touched)")
	partial := fs.Bool("partial", false, "export what is cached even if some actions are not computed (MANIFEST.json says complete: false)")
	jobs := jobsFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	s, st, err := cf.stored()
	if err != nil {
		return err
	}
	x := &exporter{store: st, out: *out}
	return x.export(s, cf, *partial, *jobs, stdout)
}

// export writes the session's cached results: refused if anything is not
// computed (unless partial), an error after writing if an object was bad.
func (x *exporter) export(s *pipeline.Session, cf configFlags, partial bool, jobs int, stdout io.Writer) error {
	items, err := s.Plan(x.store, nil)
	if err != nil {
		return err
	}
	pending := pendingItems(items)
	if len(pending) > 0 && !partial {
		return fmt.Errorf("%d of %d actions are not computed (e.g. %s: %s): run `degen run` with the same --config/--preset/--set first, or pass --partial; %s was not touched",
			len(pending), len(items), pending[0].Node.Name(), pending[0].Reason, x.out)
	}
	js, err := planExport(items, x.store)
	if err != nil {
		return err
	}
	if err := x.begin(js); err != nil {
		return err
	}
	placed, bad, err := x.placeAll(js, jobs)
	if err != nil {
		return err
	}
	man := newManifest(s, cf, len(items), len(pending))
	man.Files = placed
	man.Complete = len(pending) == 0 && len(bad) == 0
	for _, b := range bad {
		man.Bad = append(man.Bad, b.String())
	}
	if err := x.finish(man); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d files to %s", len(placed), x.out)
	if len(pending) > 0 {
		fmt.Fprintf(stdout, " (partial: %d actions not computed yet)", len(pending))
	}
	fmt.Fprintln(stdout)
	if len(bad) > 0 {
		return fmt.Errorf("%d objects were missing or failed their hash check (damaged ones are now in the store's quarantine/), so their files were not exported (%s): run `degen run` to recompute them, then export again",
			len(bad), bad[0].Error())
	}
	return nil
}

func pendingItems(items []*pipeline.PlanItem) []*pipeline.PlanItem {
	var out []*pipeline.PlanItem
	for _, it := range items {
		if it.State != pipeline.Cached {
			out = append(out, it)
		}
	}
	return out
}

// planExport lists every file: each output of each cached action, once per
// place in the sweep it serves, then the hooks' files.
func planExport(items []*pipeline.PlanItem, st *artifacts.Store) ([]exportJob, error) {
	var js []exportJob
	nets := networkIDs(items)
	for _, it := range items {
		if it.State != pipeline.Cached {
			continue
		}
		stage := it.Node.Action.Stage.Name()
		for _, o := range it.Entry.Outputs {
			if packedFiles(stage, o.Name) {
				continue // unpacked into files by the figures hook
			}
			for _, where := range it.Node.Places {
				parts := []string{stage + "_" + o.Name}
				for _, a := range where {
					parts = append(parts, hiveEscape(a.Key)+"="+hiveEscape(a.Value))
				}
				parts = append(parts, "part-"+it.ID.String()[:16]+".parquet")
				js = append(js, exportJob{Rel: strings.Join(parts, "/"), Object: o, Stage: stage, Action: it.ID.String(), Attrs: where, Network: nets[it.Node]})
			}
		}
	}
	for _, h := range exportHooks {
		more, err := h(items, st)
		if err != nil {
			return nil, err
		}
		js = append(js, more...)
	}
	return js, nil
}

// placeAll places every job on up to `workers` goroutines. It returns the
// manifest rows of the files placed (in job order) and the objects that
// failed their hash check (quarantined, or already gone); any other error
// (the export's disk) ends the export.
func (x *exporter) placeAll(js []exportJob, workers int) ([]manifestFile, []badObject, error) {
	rows := make([]*manifestFile, len(js))
	errs := make([]error, len(js))
	// One group per object: it is read, hashed and decoded once for every
	// file made from it (a figures table's files, a table's several places).
	var groups [][]int
	group := map[artifacts.OutputID]int{}
	for i, j := range js {
		g, ok := group[j.Object.ID]
		if !ok {
			g = len(groups)
			group[j.Object.ID] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	var wg sync.WaitGroup
	next := make(chan []int)
	for w := 0; w < min(workers, len(groups)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range next {
				t, kv, err := x.readTable(js[g[0]].Object)
				for _, i := range g {
					if errs[i] = err; err == nil {
						rows[i], errs[i] = x.place(t, kv, js[i])
					}
				}
			}
		}()
	}
	for _, g := range groups {
		next <- g
	}
	close(next)
	wg.Wait()
	var placed []manifestFile
	var bad []badObject
	seen := map[artifacts.OutputID]bool{}
	for i, r := range rows {
		if r != nil {
			placed = append(placed, *r)
			continue
		}
		if !isIntegrity(errs[i]) {
			return nil, nil, errs[i]
		}
		if !seen[js[i].Object.ID] {
			seen[js[i].Object.ID] = true
			bad = append(bad, badObject{js[i], errs[i]})
		}
	}
	return placed, bad, nil
}

// A badObject is a store object that could not be exported.
type badObject struct {
	job exportJob
	err error
}

func (b badObject) Error() string  { return b.job.Rel + ": " + b.err.Error() }
func (b badObject) String() string { return b.job.Object.ID.String() }

// isIntegrity reports an object that is damaged or gone (quarantined by the
// check), as opposed to a failure to write the export.
func isIntegrity(err error) bool {
	return errors.Is(err, artifacts.ErrIntegrity) || errors.Is(err, artifacts.ErrNotFound)
}

// hiveEscape makes a value safe as one key=value path segment.
func hiveEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "=", "%3D")
}

// nativePath turns a manifest path into one for this OS.
func nativePath(out, rel string) string { return filepath.Join(out, filepath.FromSlash(rel)) }
