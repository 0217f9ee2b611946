package pipeline

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
)

// DebugEnv, set to anything, keeps a panic's stack trace: in the failed
// action's error here, and on stderr for a panic of the degen command.
const DebugEnv = "DEGEN_DEBUG"

// runStage runs n's stage and turns a panic into the action's error, so a
// bug or an input no check foresaw fails one action with one line (the
// runner then reports it like any failure) instead of killing the process
// with a stack trace. DEGEN_DEBUG=1 keeps the trace in the error.
func runStage(ctx context.Context, n *Node, env *env) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s: panic: %v", n.Name(), v)
			if os.Getenv(DebugEnv) != "" {
				err = fmt.Errorf("%w\n%s", err, debug.Stack())
			}
		}
	}()
	return n.Action.Stage.Run(ctx, n.Action, env)
}
