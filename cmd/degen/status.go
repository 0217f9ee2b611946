package main

import (
	"fmt"
	"io"

	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "status",
		usage: "[--preset P] [--set k=v]...",
		help:  "per stage, how many actions of the configuration are cached and pending",
		run:   runStatus,
	})
}

func runStatus(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["status"], stderr)
	cf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	items, err := planItems(&cf)
	if err != nil {
		return err
	}
	type row struct{ cached, pending int }
	var order []string
	rows := map[string]*row{}
	for _, it := range items {
		name := it.Node.Action.Stage.Name()
		r, ok := rows[name]
		if !ok {
			r = &row{}
			rows[name] = r
			order = append(order, name)
		}
		if it.State == pipeline.Cached {
			r.cached++
		} else {
			r.pending++
		}
	}
	fmt.Fprintf(stdout, "%-9s %7s %7s\n", "stage", "cached", "pending")
	total := row{}
	for _, name := range order {
		r := rows[name]
		fmt.Fprintf(stdout, "%-9s %7d %7d\n", name, r.cached, r.pending)
		total.cached += r.cached
		total.pending += r.pending
	}
	fmt.Fprintf(stdout, "%-9s %7d %7d\n", "total", total.cached, total.pending)
	return nil
}
