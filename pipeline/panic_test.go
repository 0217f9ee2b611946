package pipeline

import (
	"context"
	"strings"
	"testing"

	"degen/artifacts"
	"degen/stages"
)

// panicStage panics: a stand-in for a bug, or an input no check foresaw.
type panicStage struct{}

func (panicStage) Name() string { return "boom" }
func (panicStage) Version() int { return 1 }
func (panicStage) Run(context.Context, *stages.Action, stages.Env) error {
	var s []int
	_ = s[3]
	return nil
}

// A panic inside an action fails that action with one line and commits
// nothing for it; the process lives on and its sibling commits.
func TestPanicInActionIsAFailure(t *testing.T) {
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGraph([]*stages.Action{
		{Stage: panicStage{}, Params: tinyParams{1}, Label: "bad"},
		{Stage: tinyStage{}, Params: tinyParams{2}, Label: "good"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Store: st, Jobs: 1, Salt: "bench"}
	res, err := r.Run(context.Background(), g)
	if err == nil || !strings.Contains(err.Error(), "boom bad: panic: runtime error: index out of range") || strings.Contains(err.Error(), "goroutine") {
		t.Fatalf("run error = %v; want one line naming the action and the panic", err)
	}
	if res[0].Entry != nil {
		t.Errorf("the panicking action committed %v", res[0].Entry)
	}
	if res[1].State != Ran || res[1].Entry == nil {
		t.Errorf("the sibling: %s, entry %v; want ran and committed", res[1].State, res[1].Entry)
	}
}
