package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

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
	r := &pipeline.Runner{Store: st, Jobs: *jobs, Salt: s.Salt, Progress: pipeline.NewProgress(stdout)}
	results, runErr := r.Run(ctx, s.Graph)
	if err := pipeline.WriteRunLog(s.StoreDir, "latest", s.Salt, results); err != nil {
		fmt.Fprintf(stderr, "degen run: run log: %v\n", err)
	}
	if *pin != "" {
		if err := pipeline.WriteRunLog(s.StoreDir, "pin-"+*pin, s.Salt, results); err != nil {
			return err
		}
	}
	return runErr
}
