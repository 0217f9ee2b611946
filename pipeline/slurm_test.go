package pipeline

import (
	"fmt"
	"testing"
)

func TestChunkArraysStayUnderMaxArraySize(t *testing.T) {
	for _, tc := range []struct {
		n, max int
		want   string
	}{
		{0, 1001, "[]"},
		{1, 1001, "[{0 1}]"},
		{1001, 1001, "[{0 1001}]"},
		{1002, 1001, "[{0 1001} {1001 1}]"},
		{2500, 1000, "[{0 1000} {1000 1000} {2000 500}]"},
		{5, 2, "[{0 2} {2 2} {4 1}]"},
	} {
		if got := fmt.Sprint(chunkArrays(tc.n, tc.max)); got != tc.want {
			t.Errorf("chunkArrays(%d, %d) = %s, want %s", tc.n, tc.max, got, tc.want)
		}
	}
}

func TestWorkerCount(t *testing.T) {
	o := SlurmOptions{CPUsPerTask: 1, ActionsPerTask: 8, MaxTasks: 100}
	for _, tc := range []struct{ pending, want int }{{0, 0}, {1, 1}, {8, 1}, {9, 2}, {800, 100}, {801, 100}} {
		if got := o.WorkerCount(tc.pending); got != tc.want {
			t.Errorf("WorkerCount(%d) = %d, want %d", tc.pending, got, tc.want)
		}
	}
}

func TestParseMaxArraySize(t *testing.T) {
	out := "Configuration data as of 2026-12-06T03:00:00\nMailProg                = /bin/true\nMaxArraySize            = 10001\nMaxJobCount             = 10000\n"
	if n, ok := parseMaxArraySize(out); !ok || n != 10001 {
		t.Errorf("got %d, %v; want 10001", n, ok)
	}
	for _, bad := range []string{"", "MaxArraySize = lots\n", "MaxArraySizeX = 5\n", "MaxArraySize = 0\n"} {
		if n, ok := parseMaxArraySize(bad); ok {
			t.Errorf("parseMaxArraySize(%q) = %d, want not ok", bad, n)
		}
	}
}

func TestSlurmOptionsCheck(t *testing.T) {
	good := SlurmOptions{CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 1}
	for _, tm := range []string{"", "30", "30:00", "4:00:00", "2-12", "2-12:30", "2-12:30:00"} {
		o := good
		o.Time = tm
		if err := o.Check(); err != nil {
			t.Errorf("time %q: %v", tm, err)
		}
	}
	for _, o := range []SlurmOptions{
		{Time: "2h", CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 1},
		{Time: "1:00;rm", CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 1},
		{Partition: "a b", CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 1},
		{Partition: "$(x)", CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 1},
		{CPUsPerTask: 0, ActionsPerTask: 1, MaxTasks: 1},
		{CPUsPerTask: 1, ActionsPerTask: 0, MaxTasks: 1},
		{CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 0},
		{CPUsPerTask: 1, ActionsPerTask: 1, MaxTasks: 1, Throttle: -1},
	} {
		if err := o.Check(); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
