package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "work",
		usage: "--action <recipe prefix>",
		help:  "compute one action whose inputs are already in the store (the unit a Slurm array task runs)",
		run:   runWork,
	})
}

func runWork(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["work"], stderr)
	cf.register(fs)
	action := fs.String("action", "", "recipe (or recipe prefix) of the action, as `plan --json` prints it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *action == "" {
		return fmt.Errorf("%w: --action is required", errUsage)
	}
	s, err := cf.session()
	if err != nil {
		return err
	}
	var target *pipeline.Node
	for _, n := range s.Graph.Nodes {
		if strings.HasPrefix(n.Recipe, *action) {
			if target != nil {
				return fmt.Errorf("%w: %q matches more than one action", errUsage, *action)
			}
			target = n
		}
	}
	if target == nil {
		return fmt.Errorf("%w: no action with recipe %q in this configuration", errUsage, *action)
	}
	st, err := s.OpenStore()
	if err != nil {
		return err
	}
	sub := s.Graph.Closure(target)
	want := target.Recipe
	r := &pipeline.Runner{Store: st, Jobs: 1, Salt: s.Salt, Progress: pipeline.NewProgress(stdout),
		Select: func(n *pipeline.Node) bool { return n.Recipe == want }}
	_, err = r.Run(context.Background(), sub)
	return err
}
