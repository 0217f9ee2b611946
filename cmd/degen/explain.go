package main

import (
	"fmt"
	"io"
	"strings"

	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "explain",
		usage: "<action-id or recipe prefix | label substring>",
		help:  "print every hash input of an action (like GODEBUG=gocachehash=1) and its outputs",
		run:   runExplain,
	})
}

func runExplain(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["explain"], stderr)
	cf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: want one action id prefix", errUsage)
	}
	q := fs.Arg(0)
	items, err := planItems(&cf)
	if err != nil {
		return err
	}
	var match []*pipeline.PlanItem
	for _, it := range items {
		if matches(it, q) {
			match = append(match, it)
		}
	}
	switch len(match) {
	case 0:
		return fmt.Errorf("no action matches %q", q)
	case 1:
	default:
		if len(match) > 10 {
			match = match[:10]
		}
		var names []string
		for _, it := range match {
			names = append(names, it.Node.Name())
		}
		return fmt.Errorf("%w: %q is ambiguous: %s", errUsage, q, strings.Join(names, "; "))
	}
	it := match[0]
	s, err := cf.session()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\nrecipe %s\nstate %s (%s)\n", it.Node.Name(), it.Node.Recipe, it.State, it.Reason)
	if len(it.Node.Labels) > 1 {
		fmt.Fprintf(stdout, "shared by %d studies' actions, labelled: %s\n", len(it.Node.Labels), strings.Join(it.Node.Labels, "; "))
	}
	for _, l := range it.HashInputs(s.Salt) {
		fmt.Fprintln(stdout, l)
	}
	if it.Entry != nil {
		for _, o := range it.Entry.Outputs {
			fmt.Fprintf(stdout, "output %s %s %d\n", o.Name, o.ID, o.Size)
		}
	}
	return nil
}

// matches: an ActionID or recipe prefix, or (not hex, 3 bytes or more) a
// substring of the node's name under any of its labels, so that an action
// shared by several studies is found by each study's label.
func matches(it *pipeline.PlanItem, q string) bool {
	if it.ID != nil && strings.HasPrefix(it.ID.String(), q) {
		return true
	}
	if strings.HasPrefix(it.Node.Recipe, q) {
		return true
	}
	if len(q) <= 2 || isHex(q) {
		return false
	}
	stage := it.Node.Action.Stage.Name()
	for _, l := range it.Node.Labels {
		if strings.Contains(stage+" "+l, q) {
			return true
		}
	}
	return false
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}
