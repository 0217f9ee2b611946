package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "work",
		usage: "--manifest PATH [--index I | --offset N] [-j N]  |  --action <recipe prefix>",
		help:  "compute actions as a cluster worker: one array task of a submitted manifest, or one action",
		long: `With --manifest, degen work is one task of a job array that "degen submit
--slurm" queued (it is the command the array runs). It loads the manifest's
configuration (embedded in the manifest, so later edits of pipeline.toml do
not matter), then pulls work: it scans the manifest's actions, most critical
first (longest estimated path to the end of the plan) and its own share of
them before the others', and computes each whose inputs are committed, that the store
lacks and that no live lease claims, until every action is committed, failed
or blocked by a failure, or until it has found nothing to claim for
--idle-exit (what is left is then leased by live workers, which go on to the
actions that follow). Each action is claimed with a lease (host, pid,
Slurm job and array task, heartbeat; stale after 10 minutes, or at once if
its holder's pid is gone on the same host) and committed atomically, so a
task that Slurm requeues, runs twice or kills leaves no partial result and
costs at most the action it was computing. A failed action is recorded
under <store>/manifests/<id>/failed/ with its error and log path (degen
status --manifest shows it); "degen submit --resume" retries it.

The worker number is --index, or --offset plus SLURM_ARRAY_TASK_ID inside an
array task. It only chooses which share of the actions the scan starts with:
results never depend on it.

With --action, degen work computes the one action whose recipe starts with
the prefix (as "degen plan --json" prints it); its inputs must be cached.

Exit status: 0 when every action is committed; 1 if one failed or was
blocked; 2 for bad usage or a manifest that does not belong to the store.`,
		run: runWork,
	})
}

func runWork(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["work"], stderr)
	cf.register(fs)
	action := fs.String("action", "", "recipe (or recipe prefix) of one action, as `plan --json` prints it")
	manifest := fs.String("manifest", "", "path of a submitted manifest (<store>/manifests/<id>.json)")
	index := fs.Int("index", -1, "worker number (default: --offset + SLURM_ARRAY_TASK_ID)")
	offset := fs.Int("offset", 0, "added to SLURM_ARRAY_TASK_ID: the array's first worker number")
	jobs := fs.Int("j", 0, "actions computed at once (default: SLURM_CPUS_PER_TASK, else 1)")
	idle := fs.Duration("idle-exit", pipeline.DefaultIdleExit, "leave after finding nothing to claim for this long (what is left is leased by live workers); 0: never")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case (*action == "") == (*manifest == ""):
		return fmt.Errorf("%w: give exactly one of --manifest and --action", errUsage)
	case *action != "":
		return workAction(&cf, *action, stdout)
	}
	idx, err := workerIndex(*index, *offset)
	if err != nil {
		return err
	}
	return workManifest(cf.store, *manifest, idx, *jobs, *idle, stdout)
}

// workerIndex is --index, or --offset plus the array task ID.
func workerIndex(index, offset int) (int, error) {
	if index >= 0 {
		return index, nil
	}
	task := os.Getenv("SLURM_ARRAY_TASK_ID")
	if task == "" {
		return 0, fmt.Errorf("%w: --index is required outside a Slurm array task", errUsage)
	}
	n, err := strconv.Atoi(task)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: SLURM_ARRAY_TASK_ID=%q is not an array index", errUsage, task)
	}
	return offset + n, nil
}

func workManifest(storeFlag, ref string, index, jobs int, idle time.Duration, stdout io.Writer) error {
	start := time.Now()
	m, err := pipeline.OpenManifest(storeFlag, ref)
	if err != nil {
		return err
	}
	if index >= m.Tasks {
		return fmt.Errorf("%w: worker %d of manifest %s, which has %d", errUsage, index, m.ID, m.Tasks)
	}
	s, err := m.Session()
	if err != nil {
		return err
	}
	st, err := s.ExistingStore()
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("store %s of manifest %s is gone", m.Store, m.ID)
	}
	if jobs < 1 {
		jobs, _ = strconv.Atoi(os.Getenv("SLURM_CPUS_PER_TASK"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	w := &pipeline.Worker{Session: s, Store: st, Manifest: m, Index: index, Jobs: jobs, Log: stdout, LogPath: taskLogPath(m),
		IdleExit: idle, Fault: injectedFault(os.Getenv("DEGEN_TEST_FAIL_STAGE"))}
	rep, err := w.Work(ctx)
	fmt.Fprintf(stdout, "worker %d of %d, manifest %s: ran %d, done elsewhere %d, failed %d, blocked %d, left to other workers %d in %.2fs\n",
		index, m.Tasks, m.ID, rep.Ran, rep.Elsewhere, rep.Failed, rep.Blocked, rep.Left, time.Since(start).Seconds())
	return err
}

// taskLogPath is where Slurm writes this task's output (submit's --output
// pattern), or "" outside an array task.
func taskLogPath(m *pipeline.Manifest) string {
	job, task := os.Getenv("SLURM_ARRAY_JOB_ID"), os.Getenv("SLURM_ARRAY_TASK_ID")
	if job == "" || task == "" {
		return ""
	}
	return m.TaskLog(job, task)
}

func workAction(cf *configFlags, action string, stdout io.Writer) error {
	s, err := cf.session()
	if err != nil {
		return err
	}
	var target *pipeline.Node
	for _, n := range s.Graph.Nodes {
		if strings.HasPrefix(n.Recipe, action) {
			if target != nil {
				return fmt.Errorf("%w: %q matches more than one action", errUsage, action)
			}
			target = n
		}
	}
	if target == nil {
		return fmt.Errorf("%w: no action with recipe %q in this configuration", errUsage, action)
	}
	st, err := s.OpenStore()
	if err != nil {
		return err
	}
	sub := s.Graph.Closure(target)
	want := target.Recipe
	r := &pipeline.Runner{Store: st, Jobs: 1, Salt: s.Salt, Progress: pipeline.NewProgress(stdout),
		Select: func(n *pipeline.Node) bool { return n.Recipe == want }}
	_, err = r.Run(context.Background(), sub)
	return err
}

// injectedFault fails every action of one stage: the Slurm tests use it
// (through the environment sbatch exports to the tasks) to make a partial
// failure that status must report and submit --resume must retry.
func injectedFault(stage string) func(*pipeline.Node) error {
	if stage == "" {
		return nil
	}
	return func(n *pipeline.Node) error {
		if n.Action.Stage.Name() == stage {
			return fmt.Errorf("injected failure (DEGEN_TEST_FAIL_STAGE=%s)", stage)
		}
		return nil
	}
}
