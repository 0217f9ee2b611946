package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"degen/artifacts"
)

// SlurmOptions are the sbatch settings of a submission. Every value reaches
// sbatch as its own argv element: nothing is ever interpreted by a shell.
type SlurmOptions struct {
	Partition      string   `json:"partition,omitempty"`
	Time           string   `json:"time,omitempty"` // sbatch --time, e.g. "4:00:00"
	CPUsPerTask    int      `json:"cpus_per_task"`
	ActionsPerTask int      `json:"actions_per_task"`
	MaxTasks       int      `json:"max_tasks"`          // cap on array tasks in all
	Throttle       int      `json:"throttle,omitempty"` // --array=…%N: tasks running at once per array
	Extra          []string `json:"sbatch_args,omitempty"`
}

// DefaultMaxArraySize is Slurm's own default, used when scontrol cannot say.
const DefaultMaxArraySize = 1001

var (
	partitionRe = regexp.MustCompile(`^[A-Za-z0-9_.,-]+$`)
	timeRe      = regexp.MustCompile(`^([0-9]+-)?[0-9]+(:[0-9]+){0,2}$|^[0-9]+-[0-9]+$`)
)

// Check rejects options sbatch would refuse later, after a manifest exists.
func (o SlurmOptions) Check() error {
	switch {
	case o.Partition != "" && !partitionRe.MatchString(o.Partition):
		return fmt.Errorf("--partition %q: want a Slurm partition name ([A-Za-z0-9_.,-])", o.Partition)
	case o.Time != "" && !timeRe.MatchString(o.Time):
		return fmt.Errorf("--time %q: want minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", o.Time)
	case o.CPUsPerTask < 1:
		return fmt.Errorf("--cpus-per-task %d: want at least 1", o.CPUsPerTask)
	case o.ActionsPerTask < 1:
		return fmt.Errorf("--actions-per-task %d: want at least 1", o.ActionsPerTask)
	case o.MaxTasks < 1:
		return fmt.Errorf("--max-tasks %d: want at least 1", o.MaxTasks)
	case o.Throttle < 0:
		return fmt.Errorf("--throttle %d: want 0 (none) or more", o.Throttle)
	}
	return nil
}

// WorkerCount is how many array tasks pending actions get: one per
// ActionsPerTask actions (rounded up), at most MaxTasks; o must Check.
func (o SlurmOptions) WorkerCount(pending int) int {
	return min((pending+o.ActionsPerTask-1)/o.ActionsPerTask, o.MaxTasks)
}

// workerScript is the batch script of every array task. It is constant: the
// worker's command line arrives as the script's arguments (sbatch passes
// them through as argv), so no configuration value is ever parsed by a shell.
const workerScript = `#!/bin/sh
# degen array task: runs its arguments, "degen work --manifest M --offset N".
exec "$@"
`

// SbatchArgs is the argv (after "sbatch") that submits array a of m; degen
// is the binary the tasks run.
func SbatchArgs(m *Manifest, a ManifestArray, degen string) []string {
	o := m.Slurm
	spec := fmt.Sprintf("0-%d", a.Count-1)
	if o.Throttle > 0 {
		spec += "%" + strconv.Itoa(o.Throttle)
	}
	args := []string{"--parsable", "--array=" + spec, "--job-name=degen-" + m.ID,
		"--output=" + m.TaskLog("%A", "%a"), "--open-mode=append",
		// A preempted or node-failed task is requeued: workers are safe to
		// run again (claims are leases, commits are atomic).
		"--requeue",
		"--cpus-per-task=" + strconv.Itoa(o.CPUsPerTask)}
	if o.Partition != "" {
		args = append(args, "--partition="+o.Partition)
	}
	if o.Time != "" {
		args = append(args, "--time="+o.Time)
	}
	args = append(args, o.Extra...)
	return append(args, m.ScriptPath(), degen, "work", "--manifest", ManifestPath(m.Store, m.ID), "--offset", strconv.Itoa(a.First))
}

// A Submitter runs sbatch. Cmd makes the command (exec.CommandContext by
// default; tests put fake sbatch scripts on PATH instead).
type Submitter struct {
	Sbatch string // path of sbatch
	Degen  string // absolute path of the degen binary the tasks run
}

// Submit writes m's worker script and log directory, then submits each array
// and returns the job IDs. If sbatch refuses an array, the arrays already
// queued are cancelled and the error carries sbatch's message.
func (sub Submitter) Submit(ctx context.Context, st *artifacts.Store, m *Manifest) ([]string, error) {
	if err := st.WriteSideFile(m.Dir(), workerScriptName, []byte(workerScript)); err != nil {
		return nil, err
	}
	if _, err := st.SideDir(m.Dir() + "/" + logsDirName); err != nil {
		return nil, err
	}
	var jobs []string
	for _, a := range m.Arrays {
		id, err := sub.sbatch(ctx, SbatchArgs(m, a, sub.Degen))
		if err != nil {
			cancelJobs(jobs)
			return nil, err
		}
		jobs = append(jobs, id)
	}
	return jobs, nil
}

func (sub Submitter) sbatch(ctx context.Context, args []string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, sub.Sbatch, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String() + out.String())
		if msg == "" {
			msg = "(no message)"
		}
		return "", fmt.Errorf("sbatch refused the job (%v): %s", err, msg)
	}
	// --parsable prints "jobid" or "jobid;cluster".
	id, _, _ := strings.Cut(strings.TrimSpace(out.String()), ";")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", fmt.Errorf("sbatch printed %q, not a job ID", strings.TrimSpace(out.String()))
	}
	return id, nil
}

// cancelJobs is best effort: a failed submission should not leave half of a
// plan queued.
func cancelJobs(jobs []string) {
	if len(jobs) == 0 {
		return
	}
	if path, err := exec.LookPath("scancel"); err == nil {
		exec.Command(path, jobs...).Run()
	}
}

// MaxArraySize asks scontrol for the cluster's MaxArraySize; ok is false if
// it cannot (no scontrol, no controller, no such line).
func MaxArraySize(ctx context.Context) (n int, ok bool) {
	path, err := exec.LookPath("scontrol")
	if err != nil {
		return 0, false
	}
	out, err := exec.CommandContext(ctx, path, "show", "config").Output()
	if err != nil {
		return 0, false
	}
	return parseMaxArraySize(string(out))
}

func parseMaxArraySize(out string) (int, bool) {
	for _, line := range strings.Split(out, "\n") {
		k, v, found := strings.Cut(line, "=")
		if found && strings.TrimSpace(k) == "MaxArraySize" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			return n, err == nil && n > 0
		}
	}
	return 0, false
}
