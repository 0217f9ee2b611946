package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"time"

	"degen/artifacts"
	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "gc",
		usage: "[--dry-run] [--grace DURATION]",
		help:  "delete store entries and objects outside the roots (this configuration's cached actions and pinned runs)",
		run:   runGC,
	})
}

// defaultGrace protects what a concurrent run wrote moments ago but has not
// committed yet (or that another configuration on a shared store still needs
// before it is pinned).
const defaultGrace = 24 * time.Hour

func runGC(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["gc"], stderr)
	cf.register(fs)
	dry := fs.Bool("dry-run", false, "report what would be deleted, delete nothing")
	grace := fs.Duration("grace", defaultGrace, "keep anything younger than this")
	ttl := fs.Duration("manifest-ttl", pipeline.ManifestTTL, "submitted manifests younger than this are live: their actions and inputs are roots")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, st, err := cf.stored()
	if err != nil {
		return err
	}
	items, err := s.Plan(st, nil)
	if err != nil {
		return err
	}
	var roots []artifacts.ActionID
	for _, it := range items {
		if it.State == pipeline.Cached {
			roots = append(roots, *it.ID)
		}
	}
	pinned, err := pipeline.PinnedRoots(st)
	if err != nil {
		return err
	}
	// A pinned action is usually also one of this configuration's: count
	// (and pass) each root once.
	roots = append(roots, pinned...)
	live, nLive, err := pipeline.ManifestRoots(st, time.Now(), *ttl)
	if err != nil {
		return err
	}
	roots = append(roots, live...)
	if nLive > 0 {
		fmt.Fprintf(stdout, "%d live manifest(s) keep their actions\n", nLive)
	}
	slices.SortFunc(roots, func(a, b artifacts.ActionID) int { return bytes.Compare(a[:], b[:]) })
	roots = slices.Compact(roots)
	rep, err := st.GC(roots, *grace, *dry)
	if err != nil {
		return err
	}
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	fmt.Fprintf(stdout, "%d roots; %s %v\n", len(roots), verb, rep)
	return nil
}
