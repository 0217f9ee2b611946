package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"degen/artifacts"
	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "submit",
		usage: "--slurm [--partition P] [--time T] [--cpus-per-task N] [--actions-per-task N] [--max-tasks N] [--resume [--manifest ID]] [--preset P] [--set k=v]...",
		help:  "queue the pending actions on Slurm as job arrays of `degen work` tasks over the (shared) store",
		long: `degen submit --slurm plans the configuration against the store, writes the
pending actions and the configuration itself to <store>/manifests/<id>.json,
and submits job arrays whose tasks run "degen work --manifest ... --offset N".
There are no dependencies between arrays: workers pull actions whose inputs
are committed, so one array of ceil(pending / --actions-per-task) tasks
(at most --max-tasks) covers every stage; it is split into several arrays
only to stay under the cluster's MaxArraySize (read from "scontrol show
config"). Slurm writes each task's output to
<store>/manifests/<id>/logs/<jobid>_<task>.log. It prints the job IDs; follow
the plan with "degen status --manifest <id>".

--resume resubmits what a manifest (default: the newest) still lacks, with
that manifest's configuration and sbatch options (flags given override
them); nothing already committed is submitted again.

sbatch receives every value as its own argument; no shell ever parses them.
The store and the degen binary must be on a filesystem the compute nodes
share (docs/cluster.md).`,
		run: runSubmit,
	})
}

type submitFlags struct {
	slurm    bool
	opt      pipeline.SlurmOptions
	extra    multiFlag
	maxArray int
	resume   bool
	manifest string
	worker   string
	dryRun   bool
}

func (f *submitFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.slurm, "slurm", false, "submit to Slurm (required: the only cluster executor)")
	fs.StringVar(&f.opt.Partition, "partition", "", "sbatch --partition (default: the cluster's default)")
	fs.StringVar(&f.opt.Time, "time", "", "sbatch --time per array task, e.g. 4:00:00 (default: the partition's)")
	fs.IntVar(&f.opt.CPUsPerTask, "cpus-per-task", 1, "sbatch --cpus-per-task; each task computes this many actions at once")
	fs.IntVar(&f.opt.ActionsPerTask, "actions-per-task", 8, "pending actions per array task: sets how many tasks are queued")
	fs.IntVar(&f.opt.MaxTasks, "max-tasks", 1000, "cap on array tasks in all")
	fs.IntVar(&f.opt.Throttle, "throttle", 0, "at most this many tasks of an array run at once (sbatch --array=…%N; 0: no limit)")
	fs.Var(&f.extra, "sbatch-arg", "one more sbatch argument, passed as is (repeatable), e.g. --sbatch-arg=--account=lab")
	fs.IntVar(&f.maxArray, "max-array-size", 0, "tasks per array (default: MaxArraySize from scontrol show config, else 1001)")
	fs.BoolVar(&f.resume, "resume", false, "submit only what a submitted manifest still lacks, with its configuration")
	fs.StringVar(&f.manifest, "manifest", "latest", "with --resume: the manifest's ID or path")
	fs.StringVar(&f.worker, "degen", "", "the degen binary the tasks run (default: this one); compute nodes must see it at this path")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the sbatch command lines; write and submit nothing")
}

func runSubmit(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	var f submitFlags
	fs := newFlags(commands["submit"], stderr)
	cf.register(fs)
	f.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if !f.slurm {
		return fmt.Errorf("%w: --slurm is required (Slurm is the only cluster executor)", errUsage)
	}
	// Everything that can be refused is refused before the store is touched.
	sbatch, err := exec.LookPath("sbatch")
	if err != nil && !f.dryRun {
		return fmt.Errorf("sbatch not found on PATH: submit needs Slurm's client commands (on a login node, perhaps `module load slurm`); nothing was written")
	}
	worker, err := workerBinary(f.worker)
	if err != nil {
		return err
	}
	s, mc, prev, err := submitSession(&cf, &f)
	if err != nil {
		return err
	}
	if prev != nil {
		f.opt = resumeOptions(fs, prev.Slurm, f.opt)
	}
	f.opt.Extra = append(f.opt.Extra, f.extra...)
	if err := f.opt.Check(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	st, err := submitStore(s, f.dryRun)
	if err != nil {
		return err
	}
	maxArray := arraySize(f.maxArray)
	m, total, err := planManifest(s, st, mc, f.opt, maxArray)
	switch {
	case err != nil:
		return err
	case m == nil:
		fmt.Fprintf(stdout, "nothing to submit: all %d actions are in the store\n", total)
		return nil
	case prev != nil:
		m.Resumes = prev.ID
	}
	if f.dryRun {
		printDryRun(m, worker, stdout)
		return nil
	}
	return submit(st, m, pipeline.Submitter{Sbatch: sbatch, Degen: worker}, maxArray, stdout)
}

// planManifest plans s against st; a nil manifest means nothing is pending
// among the total actions.
func planManifest(s *pipeline.Session, st *artifacts.Store, mc pipeline.ManifestConfig, opt pipeline.SlurmOptions, maxArray int) (m *pipeline.Manifest, total int, err error) {
	items, err := s.Plan(st, nil)
	if err != nil {
		return nil, 0, err
	}
	pending := 0
	for _, it := range items {
		if it.State == pipeline.Pending {
			pending++
		}
	}
	if pending == 0 {
		return nil, len(items), nil
	}
	m, err = pipeline.NewManifest(s, mc, items, opt.WorkerCount(pending), maxArray, opt, time.Now())
	return m, len(items), err
}

func printDryRun(m *pipeline.Manifest, worker string, stdout io.Writer) {
	for _, a := range m.Arrays {
		args := pipeline.SbatchArgs(m, a, worker)
		fmt.Fprintf(stdout, "sbatch %s\n", strings.Join(args, " "))
	}
	fmt.Fprintf(stdout, "dry run: %d actions in %d tasks; nothing written or submitted\n", len(m.Actions), m.Tasks)
}

func submit(st *artifacts.Store, m *pipeline.Manifest, sub pipeline.Submitter, maxArray int, stdout io.Writer) error {
	if err := pipeline.WriteManifest(st, m); err != nil {
		return err
	}
	jobs, err := sub.Submit(context.Background(), st, m)
	if err == nil {
		err = pipeline.WriteJobs(st, m, jobs)
	}
	if err != nil {
		if rerr := pipeline.RemoveManifest(st, m); rerr != nil {
			return fmt.Errorf("%w (and removing manifest %s: %v)", err, m.ID, rerr)
		}
		return fmt.Errorf("%w; nothing was submitted, manifest %s removed", err, m.ID)
	}
	resumes := ""
	if m.Resumes != "" {
		resumes = ", resuming " + m.Resumes
	}
	fmt.Fprintf(stdout, "manifest %s: %d actions in %d tasks (arrays of at most %d)%s\n", m.ID, len(m.Actions), m.Tasks, maxArray, resumes)
	for i, a := range m.Arrays {
		fmt.Fprintf(stdout, "submitted job %s: workers %d-%d\n", jobs[i], a.First, a.First+a.Count-1)
	}
	fmt.Fprintf(stdout, "follow it: degen status --store %s --manifest %s\n", m.Store, m.ID)
	return nil
}

// submitSession loads what to plan: the configuration given, or, resuming,
// the one embedded in the manifest being resumed.
func submitSession(cf *configFlags, f *submitFlags) (*pipeline.Session, pipeline.ManifestConfig, *pipeline.Manifest, error) {
	if !f.resume {
		s, mc, err := pipeline.NewSubmitSession(cf.options())
		return s, mc, nil, err
	}
	store, err := manifestStore(cf, f.manifest)
	if err != nil {
		return nil, pipeline.ManifestConfig{}, nil, err
	}
	prev, err := pipeline.OpenManifest(store, f.manifest)
	if err != nil {
		return nil, pipeline.ManifestConfig{}, nil, err
	}
	s, err := prev.Session()
	return s, prev.Config, prev, err
}

// manifestStore is the store a manifest reference is resolved in: --store,
// DEGEN_STORE, or the configuration's; "" for a manifest given by path
// (which names its store).
func manifestStore(cf *configFlags, ref string) (string, error) {
	if cf.store == "" && os.Getenv("DEGEN_STORE") == "" &&
		(strings.ContainsRune(ref, os.PathSeparator) || strings.HasSuffix(ref, ".json")) {
		return "", nil
	}
	return pipeline.StoreDir(cf.options())
}

// resumeOptions starts from the resumed manifest's sbatch options; flags
// given on this command line override them.
func resumeOptions(fs *flag.FlagSet, prev, given pipeline.SlurmOptions) pipeline.SlurmOptions {
	o := prev
	o.Extra = nil
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "partition":
			o.Partition = given.Partition
		case "time":
			o.Time = given.Time
		case "cpus-per-task":
			o.CPUsPerTask = given.CPUsPerTask
		case "actions-per-task":
			o.ActionsPerTask = given.ActionsPerTask
		case "max-tasks":
			o.MaxTasks = given.MaxTasks
		case "throttle":
			o.Throttle = given.Throttle
		}
	})
	if !flagGiven(fs, "sbatch-arg") {
		o.Extra = prev.Extra
	}
	return o
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == name })
	return given
}

// submitStore opens (creating) the store; a dry run only reads one that
// exists.
func submitStore(s *pipeline.Session, dryRun bool) (*artifacts.Store, error) {
	if dryRun {
		return s.ExistingStore()
	}
	return s.OpenStore()
}

// workerBinary is the absolute path of the degen the tasks run.
func workerBinary(flagged string) (string, error) {
	path := flagged
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("cannot find this degen binary (%v): give --degen PATH", err)
		}
		path = exe
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil || fi.IsDir() {
		return "", fmt.Errorf("%w: --degen %s: not an executable file", errUsage, path)
	}
	return abs, nil
}

// arraySize is the largest array to submit: the flag, else the cluster's
// MaxArraySize, else Slurm's default.
func arraySize(flagged int) int {
	if flagged > 0 {
		return flagged
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if n, ok := pipeline.MaxArraySize(ctx); ok {
		return n
	}
	return pipeline.DefaultMaxArraySize
}
