package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The TestSlurm tests submit to a real Slurm: scripts/slurm-localhost.sh
// start brings one up on this machine (`just test-slurm` does it all). Under
// CI=true a missing Slurm fails them; elsewhere they skip, saying how to run
// them.

func needSlurm(t *testing.T) {
	t.Helper()
	why := ""
	for _, c := range []string{"sbatch", "squeue", "scontrol", "scancel"} {
		if _, err := exec.LookPath(c); err != nil {
			why = c + " is not on PATH"
			break
		}
	}
	if why == "" {
		if out, err := exec.Command("scontrol", "ping").CombinedOutput(); err != nil || !strings.Contains(string(out), "is UP") {
			why = "no Slurm controller answers (scontrol ping: " + strings.TrimSpace(string(out)) + ")"
		}
	}
	if why == "" {
		return
	}
	msg := "Slurm tests need a running Slurm: " + why + "; start one with `sudo scripts/slurm-localhost.sh start`, or run `just test-slurm`"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// slurmSubmit submits the smoke study and returns the manifest ID, the
// action count and the job IDs.
func slurmSubmit(t *testing.T, store string, env []string, args ...string) (id string, actions int, jobs []string) {
	t.Helper()
	r := degenEnv(t, env, append([]string{"submit", "--slurm", "--config", baseSmokeConfig(t), "--preset", "smoke", "--store", store}, args...)...)
	if r.code != 0 {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	id, actions, _, jobs = submitted(t, r)
	if len(jobs) == 0 {
		t.Fatalf("submit printed no job:\n%s", r.stdout)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, j := range jobs {
			out, _ := exec.Command("scontrol", "-o", "show", "job", j).CombinedOutput()
			t.Logf("job %s:\n%s", j, out)
		}
		logs, _ := filepath.Glob(filepath.Join(store, "manifests", id, "logs", "*"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			t.Logf("%s:\n%s", l, b)
		}
	})
	return id, actions, jobs
}

// waitJobs polls squeue every 200 ms until the jobs have left the queue.
func waitJobs(t *testing.T, jobs ...string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		out, err := exec.Command("squeue", "-h", "-o", "%i %T", "-j", strings.Join(jobs, ",")).Output()
		if err == nil && strings.TrimSpace(string(out)) == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs %v still queued after 3 minutes:\n%s", jobs, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// ranInLogs counts the actions computed according to every task log of the
// store's manifests (a requeued task appends to its log).
func ranInLogs(t *testing.T, store string) int {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join(store, "manifests", "*", "logs", "*.log"))
	n := 0
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		n += countRan(string(b))
	}
	return n
}

// checkIntact asserts nothing partial is visible: every object's bytes hash
// to its name, and objects/ and actions/ hold no temp files.
func checkIntact(t *testing.T, store string) {
	t.Helper()
	for _, dir := range []string{"objects", "actions"} {
		filepath.Walk(filepath.Join(store, dir), func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return err
			}
			if len(fi.Name()) != 64 {
				t.Errorf("not an id: %s", p)
			}
			if dir == "objects" {
				b, _ := os.ReadFile(p)
				if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != fi.Name() {
					t.Errorf("object %s does not hash to its name", p)
				}
			}
			return nil
		})
	}
}

func TestSlurmSmokeMatchesLocalRun(t *testing.T) {
	needSlurm(t)
	_, want := smokeReference(t)
	store := t.TempDir()
	id, actions, jobs := slurmSubmit(t, store, nil, "--actions-per-task", "13")
	waitJobs(t, jobs...)
	sameOutputs(t, outputsOf(t, store, "--config", baseSmokeConfig(t)), want)
	if ran := ranInLogs(t, store); ran != actions {
		t.Errorf("the array tasks ran %d actions, want each of the %d once", ran, actions)
	}
	r := mustBase(t, store, "status", "--manifest", id)
	if !strings.Contains(r.stdout, fmt.Sprintf("%-9s %7d %7d %7d %7d", "total", actions, 0, 0, 0)) {
		t.Errorf("status after the array finished:\n%s", r.stdout)
	}
	checkIntact(t, store)
}

func TestSlurmKilledTaskIsRequeuedAndCompletes(t *testing.T) {
	needSlurm(t)
	_, want := smokeReference(t)
	store := t.TempDir()
	// One task does everything, so killing it stops all progress.
	_, _, jobs := slurmSubmit(t, store, nil, "--max-tasks", "1")
	// Kill the worker while it holds a lease (computing an action), then
	// requeue its task. If the action happened to end just before the kill
	// landed, do it again on the requeued task.
	midAction, killed := false, 0
	for attempt := 0; attempt < 3 && !midAction; attempt++ {
		lease, info := waitForLease(t, store, killed)
		if err := syscall.Kill(info.PID, syscall.SIGKILL); err != nil {
			t.Fatalf("kill -9 %d: %v", info.PID, err)
		}
		killed = info.PID
		task := info.ArrayJob + "_" + info.ArrayTask
		if info.ArrayJob != jobs[0] || info.ArrayTask != "0" {
			t.Fatalf("lease names Slurm task %s, want %s_0", task, jobs[0])
		}
		waitTaskLeft(t, task)
		b, err := os.ReadFile(lease)
		midAction = err == nil && strings.Contains(string(b), fmt.Sprintf(`"pid":%d`, info.PID))
		checkIntact(t, store)
		requeue(t, task)
		t.Logf("attempt %d: killed pid %d (task %s) %s", attempt, info.PID, task, map[bool]string{true: "mid-action", false: "between actions"}[midAction])
	}
	if !midAction {
		t.Fatal("three kills all landed between actions")
	}
	waitJobs(t, jobs...)
	sameOutputs(t, outputsOf(t, store, "--config", baseSmokeConfig(t)), want)
	checkIntact(t, store)
}

// leaseHolder is what the tests read from a lease file.
type leaseHolder struct {
	PID       int    `json:"pid"`
	ArrayJob  string `json:"slurm_array_job"`
	ArrayTask string `json:"slurm_array_task"`
}

// waitForLease waits for a lease held by a live process other than not.
func waitForLease(t *testing.T, store string, not int) (string, leaseHolder) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		leases, _ := filepath.Glob(filepath.Join(store, "leases", "*"))
		for _, l := range leases {
			var info leaseHolder
			b, err := os.ReadFile(l)
			if err == nil && json.Unmarshal(b, &info) == nil && info.PID > 0 && info.PID != not && syscall.Kill(info.PID, 0) == nil {
				return l, info
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no worker took a lease within a minute")
	panic("unreachable")
}

// waitTaskLeft waits until Slurm has recorded the task as ended.
func waitTaskLeft(t *testing.T, task string) {
	t.Helper()
	for i := 0; i < 300; i++ {
		out, _ := exec.Command("scontrol", "-o", "show", "job", task).Output()
		if s := string(out); strings.Contains(s, "JobState=FAILED") || strings.Contains(s, "JobState=COMPLETED") || strings.Contains(s, "JobState=CANCELLED") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("task %s did not end after its worker was killed", task)
}

// requeue puts an ended task back in the queue. Slurm starts it again once
// its old credential expires: AuthInfo=cred_expire, 5 s on the cluster of
// scripts/slurm-localhost.sh (120 s by default).
func requeue(t *testing.T, task string) {
	t.Helper()
	if out, err := exec.Command("scontrol", "requeue", task).CombinedOutput(); err != nil {
		t.Fatalf("scontrol requeue %s: %v\n%s", task, err, out)
	}
}

func TestSlurmTwoArraysRaceOnOnePlan(t *testing.T) {
	needSlurm(t)
	ref, want := smokeReference(t)
	n := len(planBase(t, ref))
	store := t.TempDir()
	_, a, jobsA := slurmSubmit(t, store, nil, "--actions-per-task", "26")
	_, b, jobsB := slurmSubmit(t, store, nil, "--actions-per-task", "26")
	if a != n || b != n {
		t.Fatalf("the two submissions planned %d and %d actions, want %d each (the same plan)", a, b, n)
	}
	waitJobs(t, append(jobsA, jobsB...)...)
	sameOutputs(t, outputsOf(t, store, "--config", baseSmokeConfig(t)), want)
	if ran := ranInLogs(t, store); ran != n {
		t.Errorf("the two arrays ran %d actions in all, want each of the %d committed once", ran, n)
	}
	checkIntact(t, store)
}

func TestSlurmResumeSubmitsOnlyWhatFailed(t *testing.T) {
	needSlurm(t)
	ref, want := smokeReference(t)
	// Every score action fails (sbatch passes the environment on), and
	// blocks what reads the scores: the figures and the report.
	scores, blocked := 0, 0
	for _, l := range planBase(t, ref) {
		switch l.Stage {
		case "score":
			scores++
		case "figures", "report":
			blocked++
		}
	}
	store := t.TempDir()
	id, _, jobs := slurmSubmit(t, store, []string{"DEGEN_TEST_FAIL_STAGE=score"}, "--actions-per-task", "26")
	waitJobs(t, jobs...)
	r := mustBase(t, store, "status", "--manifest", id)
	if !strings.Contains(r.stdout, fmt.Sprintf("%-9s %7d %7d %7d %7d", "score", 0, 0, 0, scores)) || strings.Count(r.stdout, "injected failure") != scores {
		t.Fatalf("status after the failure:\n%s", r.stdout)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if _, log, ok := strings.Cut(line, ", log "); ok {
			if b, err := os.ReadFile(log); err != nil || !strings.Contains(string(b), "injected failure") {
				t.Errorf("status names log %s, which does not show the failure (%v)", log, err)
			}
		}
	}
	r = degen(t, "submit", "--slurm", "--resume", "--store", store)
	if r.code != 0 {
		t.Fatalf("submit --resume: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rid, n, _, rjobs := submitted(t, r)
	if n != scores+blocked || !strings.Contains(r.stdout, "resuming "+id) {
		t.Fatalf("--resume submitted %d actions, want the %d failed scores and the %d figures and reports they blocked:\n%s", n, scores, blocked, r.stdout)
	}
	m, err := os.ReadFile(filepath.Join(store, "manifests", rid+".json"))
	if err != nil || strings.Count(string(m), `"stage": "score"`) != scores {
		t.Errorf("the resumed manifest should list the %d scores (%v):\n%s", scores, err, m)
	}
	waitJobs(t, rjobs...)
	sameOutputs(t, outputsOf(t, store, "--config", baseSmokeConfig(t)), want)
}
