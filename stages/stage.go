package stages

import (
	"context"
	"fmt"

	"degen/artifacts"
)

// A Stage is one kind of repeatable computation: generate, train, record,
// dsafit, align, score. The engine (package pipeline) knows stages only
// through this interface; adding a stage touches this package, not the engine.
type Stage interface {
	// Name is the stage's stable name; it is part of every ActionID.
	Name() string
	// Version is bumped by hand whenever the stage's output for the same
	// inputs would change. It is part of every ActionID, and each stage's
	// golden test pins an OutputID so a forgotten bump fails CI.
	Version() int
	// Run computes one action: it reads the outputs of a.Deps through env and
	// writes its own outputs through env.Write. It must be a pure function of
	// a.Params and its inputs: no clock, no global rand, no map order.
	Run(ctx context.Context, a *Action, env Env) error
}

// An Action is one node of the DAG: a stage applied to parameters and to the
// outputs of other actions. Its ActionID is computed by the engine from
// Stage.Name, Stage.Version, the canonical JSON of Params, and the OutputIDs
// of Deps (in order).
type Action struct {
	Stage  Stage
	Params any   // a JSON-encodable struct (never a map): its encoding is part of the key
	Deps   []Dep // ordered; the name is how Run asks for the input
	Label  string
	Attrs  []Attr // condition columns (study, condition, task, seed, …): for export and status, not part of the key
}

// A Dep names an upstream action whose outputs this action reads.
type Dep struct {
	Name   string
	Action *Action
}

// An Attr is one key=value describing where an action sits in the sweep.
type Attr struct{ Key, Value string }

// Env is what a running action sees of the world.
type Env interface {
	// Input reads output `output` of the dependency named dep.
	Input(dep, output string) (*artifacts.Table, error)
	// Write stores t as this action's output named `output`. The engine adds
	// the provenance key-value metadata.
	Write(output string, t *artifacts.Table) error
	// Logf reports progress; it never reaches an artifact.
	Logf(format string, args ...any)
}

// paramsOf returns an action's parameters as the stage's own type (by value
// or pointer): a mismatch is a planning bug, reported, never a panic.
func paramsOf[T any](a *Action) (T, error) {
	p, ok := paramsAs[T](a)
	if !ok {
		return p, fmt.Errorf("%s: params are %T, want %T", a.Stage.Name(), a.Params, p)
	}
	return p, nil
}

// paramsAs is paramsOf for callers that ask rather than expect: whether a's
// parameters are a T (by value or pointer), and the T.
func paramsAs[T any](a *Action) (T, bool) {
	switch p := a.Params.(type) {
	case T:
		return p, true
	case *T:
		if p != nil {
			return *p, true
		}
	}
	var zero T
	return zero, false
}
