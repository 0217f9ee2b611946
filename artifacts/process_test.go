package artifacts

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMain lets the test binary double as a store client process, so that
// TestManyProcesses exercises link, rename and O_EXCL across processes, not
// only goroutines.
func TestMain(m *testing.M) {
	if dir := os.Getenv("DEGEN_ARTIFACTS_HELPER"); dir != "" {
		if err := helperProcess(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helperProcess is one worker: compute action 1 (same bytes as every other
// worker), commit it, whether or not it got the lease.
func helperProcess(dir string) error {
	s, err := Open(dir)
	if err != nil {
		return err
	}
	l, err := s.TryLease(actionID(1), fmt.Sprint("pid ", os.Getpid()))
	if err == nil {
		defer l.Release()
	}
	id, n, err := s.Put(bytes.NewReader(bytes.Repeat([]byte("deterministic result\n"), 50000)))
	if err != nil {
		return err
	}
	return s.Commit(&Entry{Action: actionID(1), Outputs: []Output{{Name: "t", ID: id, Size: n}}})
}

func TestManyProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := filepath.Join(t.TempDir(), "store")
	const procs = 6
	cmds := make([]*exec.Cmd, procs)
	outs := make([]bytes.Buffer, procs)
	for i := range cmds {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[i].Env = append(os.Environ(), "DEGEN_ARTIFACTS_HELPER="+dir)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i].String())
		}
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.Lookup(actionID(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyObject(e.Outputs[0]); err != nil {
		t.Error(err)
	}
	if n := len(dirFiles(t, filepath.Join(dir, objectsDir))); n != 1 {
		t.Errorf("objects/ holds %d files, want 1", n)
	}
	for _, d := range []string{tmpDir, leasesDir} {
		if files := dirFiles(t, filepath.Join(dir, d)); len(files) != 0 {
			t.Errorf("%s/ holds %v after all processes exited cleanly, want nothing", d, files)
		}
	}
}
