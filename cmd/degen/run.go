package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"degen/artifacts"
	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "run",
		usage: "[-j N] [--preset P] [--set k=v]... [--pin NAME]",
		help:  "compute every action of the configuration not already in the store (what `just reproduce` calls)",
		run:   runRun,
	})
}

func runRun(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["run"], stderr)
	cf.register(fs)
	jobs := jobsFlag(fs)
	pin := fs.String("pin", "", "also record this run's actions as gc roots under NAME")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *pin != "" {
		if err := artifacts.CheckRunName(pipeline.PinName(*pin)); err != nil {
			return fmt.Errorf("%w: --pin: %v", errUsage, err)
		}
	}
	s, err := cf.session()
	if err != nil {
		return err
	}
	st, err := s.OpenStore()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	r := &pipeline.Runner{Store: st, Jobs: *jobs, Salt: s.Salt, Progress: pipeline.NewProgress(stdout)}
	results, runErr := r.Run(ctx, s.Graph)
	if err := pipeline.WriteRunLog(st, pipeline.LatestRun, s.Salt, results); err != nil {
		fmt.Fprintf(stderr, "degen run: run log: %v\n", err)
	}
	if errors.Is(runErr, pipeline.ErrInterrupted) {
		return fmt.Errorf("%w; %d actions committed, rerun to resume", runErr, countState(results, pipeline.Ran))
	}
	if *pin != "" {
		if err := pipeline.WriteRunLog(st, pipeline.PinName(*pin), s.Salt, results); err != nil {
			return err
		}
	}
	return runErr
}

func countState(results []*pipeline.Result, s pipeline.State) int {
	n := 0
	for _, r := range results {
		if r.State == s {
			n++
		}
	}
	return n
}
