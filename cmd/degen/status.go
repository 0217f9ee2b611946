package main

import (
	"fmt"
	"io"
	"strings"

	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "status",
		usage: "[--manifest ID|PATH|latest] [--preset P] [--set k=v]...",
		help:  "per stage, how many actions are cached and pending; with --manifest, where a submitted plan stands",
		long: `Without --manifest, status plans the configuration against the store and
counts cached and pending actions per stage.

With --manifest, it follows a plan that "degen submit --slurm" queued: each of
the manifest's actions is done (committed), running (a live lease: host, pid,
Slurm job and task), failed (a worker recorded the error; the log path is
shown) or pending. It reads the manifest's own configuration, not
pipeline.toml, and writes nothing. Exit status 0 whatever the plan's state.`,
		run: runStatus,
	})
}

func runStatus(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["status"], stderr)
	cf.register(fs)
	manifest := fs.String("manifest", "", "a submitted manifest: ID, path, or latest")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *manifest != "" {
		return manifestStatus(&cf, *manifest, stdout)
	}
	items, err := planItems(&cf)
	if err != nil {
		return err
	}
	t := newStageTable("cached", "pending")
	for _, it := range items {
		col := 1
		if it.State == pipeline.Cached {
			col = 0
		}
		t.add(it.Node.Action.Stage.Name(), col)
	}
	t.print(stdout)
	return nil
}

func manifestStatus(cf *configFlags, ref string, stdout io.Writer) error {
	store, err := manifestStore(cf, ref)
	if err != nil {
		return err
	}
	m, err := pipeline.OpenManifest(store, ref)
	if err != nil {
		return err
	}
	s, err := m.Session()
	if err != nil {
		return err
	}
	st, err := s.ExistingStore()
	switch {
	case err != nil:
		return fmt.Errorf("store %s of manifest %s: %w", m.Store, m.ID, err)
	case st == nil:
		return fmt.Errorf("store %s of manifest %s: no store there (moved or removed since the submission?)", m.Store, m.ID)
	}
	rows, err := m.Status(s, st)
	if err != nil {
		return err
	}
	jobs := pipeline.ReadJobs(st, m)
	fmt.Fprintf(stdout, "manifest %s, submitted %s, %d tasks, jobs %s\n", m.ID, m.Created.Format("2006-01-02 15:04 MST"), m.Tasks, orNone(strings.Join(jobs, " ")))
	states := []string{"done", "running", "pending", "failed"}
	t := newStageTable(states...)
	for _, r := range rows {
		for i, s := range states {
			if r.State == s {
				t.add(r.Action.Stage, i)
			}
		}
	}
	t.print(stdout)
	for _, r := range rows {
		a := r.Action.Stage + " " + r.Action.Label
		switch {
		case r.Failure != nil:
			fmt.Fprintf(stdout, "failed   %s: %s\n         on %s pid %d, log %s\n", a, r.Failure.Error, r.Failure.Host, r.Failure.PID, orNone(r.Failure.Log))
		case r.Lease != nil:
			l := r.Lease
			fmt.Fprintf(stdout, "running  %s: %s pid %d, Slurm job %s task %s, heartbeat %s\n", a, l.Host, l.PID, orNone(l.ArrayJob), orNone(l.ArrayTask), l.Heartbeat.Format("15:04:05 MST"))
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// stageTable counts actions per stage (in first-seen order) in columns.
type stageTable struct {
	cols   []string
	order  []string
	counts map[string][]int
}

func newStageTable(cols ...string) *stageTable {
	return &stageTable{cols: cols, counts: map[string][]int{}}
}

func (t *stageTable) add(stage string, col int) {
	c, ok := t.counts[stage]
	if !ok {
		c = make([]int, len(t.cols))
		t.counts[stage] = c
		t.order = append(t.order, stage)
	}
	c[col]++
}

func (t *stageTable) print(w io.Writer) {
	fmt.Fprintf(w, "%-9s", "stage")
	for _, c := range t.cols {
		fmt.Fprintf(w, " %7s", c)
	}
	fmt.Fprintln(w)
	total := make([]int, len(t.cols))
	for _, s := range append(t.order, "total") {
		c := t.counts[s]
		if s == "total" {
			c = total
		}
		fmt.Fprintf(w, "%-9s", s)
		for i, n := range c {
			fmt.Fprintf(w, " %7d", n)
			if s != "total" {
				total[i] += n
			}
		}
		fmt.Fprintln(w)
	}
}
