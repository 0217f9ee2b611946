package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"degen/internal/seed"
	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "verify",
		usage: "[--sample N] [-j N]",
		help:  "recompute cached actions and compare bytes (all, or a seeded sample), and remove damaged index entries; exit 1 if anything was wrong",
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
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
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
	_, runErr := r.Run(context.Background(), s.Graph)
	// Then the rest of the store, whatever configuration wrote it: a
	// damaged entry is removed and reported, never left to be used.
	damaged, err := st.RemoveDamaged()
	for _, d := range damaged {
		fmt.Fprintf(stdout, "damaged  %v; entry removed\n", d)
	}
	if len(damaged) > 0 {
		err = errors.Join(err, fmt.Errorf("%d damaged index entries removed", len(damaged)))
	}
	return errors.Join(runErr, err)
}
