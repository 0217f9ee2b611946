package main

import (
	"context"
	"io"

	"degen/internal/seed"
	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "verify",
		usage: "[--sample N] [-j N]",
		help:  "recompute cached actions and compare bytes (all, or a seeded sample); exit 1 on any mismatch",
		run:   runVerify,
	})
}

func runVerify(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["verify"], stderr)
	cf.register(fs)
	jobs := jobsFlag(fs)
	sample := countFlag(fs, "sample", 0, 0, "verify only N actions, chosen by a seeded draw (0 = all)")
	sampleSeed := fs.String("seed", "verify", "key of the sample draw")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, st, err := cf.stored()
	if err != nil {
		return err
	}
	r := &pipeline.Runner{Store: st, Jobs: *jobs, Salt: s.Salt, Verify: true, Progress: pipeline.NewProgress(stdout)}
	if *sample > 0 && *sample < len(s.Graph.Nodes) {
		chosen := map[*pipeline.Node]bool{}
		rng := seed.New("verify-sample", *sampleSeed)
		for _, i := range rng.Perm(len(s.Graph.Nodes))[:*sample] {
			chosen[s.Graph.Nodes[i]] = true
		}
		r.Select = func(n *pipeline.Node) bool { return chosen[n] }
	}
	_, err = r.Run(context.Background(), s.Graph)
	return err
}
