package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Values that validate but used to crash: a size that cannot fit in memory
// (makeslice panic, or killed for memory) and a non-finite float (a JSON
// marshal error, exit 1). Both are config errors now: exit 2, one line
// naming --set, nothing touched.
func TestSizesAndNonFiniteFloatsExit2(t *testing.T) {
	store := filepath.Join(t.TempDir(), "s")
	for _, set := range []string{"model.n=100000000", "task.dd.delay_max=2000000000", "train.clip=inf", "metrics.pif.tol=inf", "model.gamma=nan"} {
		r := smoke(t, store, "plan", "--set", set)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 2 || len(lines) != 1 || !strings.Contains(r.stderr, "--set "+set+": ") {
			t.Errorf("--set %s: exit %d, stderr %q; want exit 2 and one line naming --set %s", set, r.code, r.stderr, set)
		}
	}
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("store was touched")
	}
}

// A panic is one line and exit 1, never a stack trace (DEGEN_DEBUG=1 shows it).
func TestPanicIsOneLine(t *testing.T) {
	register(&command{name: "test-panic", run: func([]string, io.Writer, io.Writer) error {
		var s []int
		_ = s[3]
		return nil
	}})
	defer delete(commands, "test-panic")
	for _, debug := range []string{"", "1"} {
		t.Setenv(debugEnv, debug)
		var out, errb bytes.Buffer
		code := run([]string{"test-panic"}, &out, &errb)
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		if code != 1 || !strings.Contains(lines[len(lines)-1], "internal error: runtime error: index out of range") {
			t.Errorf("DEGEN_DEBUG=%q: exit %d, stderr %q", debug, code, errb.String())
		}
		if trace := strings.Contains(errb.String(), "goroutine"); trace != (debug != "") || (debug == "" && len(lines) != 1) {
			t.Errorf("DEGEN_DEBUG=%q: stack trace shown = %v, stderr %q", debug, trace, errb.String())
		}
	}
}
