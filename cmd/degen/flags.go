package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"degen/artifacts"
	"degen/pipeline"
)

// configFlags are shared by every command that reads pipeline.toml.
type configFlags struct {
	config string
	preset string
	sets   multiFlag
	store  string

	readOnly bool // the command computes nothing (pipeline.LoadOptions.ReadOnly)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "pipeline.toml", "configuration file")
	fs.StringVar(&c.preset, "preset", "", "built-in preset to layer under the file (smoke, quick); overrides the file's preset key")
	fs.Var(&c.sets, "set", "override one key, e.g. --set task.flipflop.p_pulse=0.2 (repeatable)")
	fs.StringVar(&c.store, "store", "", "store directory (default: DEGEN_STORE, then [store] dir)")
}

func (c *configFlags) options() pipeline.SessionOptions {
	return pipeline.SessionOptions{
		LoadOptions: pipeline.LoadOptions{Path: c.config, Preset: c.preset, Sets: c.sets, ReadOnly: c.readOnly},
		Store:       c.store,
	}
}

func (c *configFlags) session() (*pipeline.Session, error) { return pipeline.NewSession(c.options()) }

// stored loads the session and opens its store, which must exist already:
// for the commands that read results (verify, gc, export).
func (c *configFlags) stored() (*pipeline.Session, *artifacts.Store, error) {
	s, err := c.session()
	if err != nil {
		return nil, nil, err
	}
	st, err := s.ExistingStore()
	if err != nil {
		return nil, nil, err
	}
	if st == nil {
		return nil, nil, fmt.Errorf("no store at %s: nothing computed yet (degen run)", s.StoreDir)
	}
	return s, st, nil
}

// newFlags makes a subcommand's flag set with --help text.
func newFlags(c *command, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("degen "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: degen %s %s\n\n%s\n\n", c.name, c.usage, c.help)
		if c.long != "" {
			fmt.Fprintf(stderr, "%s\n\n", strings.TrimSpace(c.long))
		}
		fmt.Fprintf(stderr, "flags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; bad flags are usage errors. Flags may follow
// positional arguments (`explain "label" --preset smoke`); after "--"
// everything is positional.
func parse(fs *flag.FlagSet, args []string) error {
	args = splitShortJobs(args)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return err
			}
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func jobsFlag(fs *flag.FlagSet) *int {
	return countFlag(fs, "j", runtime.NumCPU(), 1, "worker count, at least 1 (results do not depend on it)")
}

// countFlag defines an int flag that must be at least min: `-j 0` or
// `--sample -3` is a usage error, not a silent default.
func countFlag(fs *flag.FlagSet, name string, value, min int, usage string) *int {
	c := &minInt{n: value, min: min}
	fs.Var(c, name, usage)
	return &c.n
}

type minInt struct{ n, min int }

func (c *minInt) String() string {
	if c == nil {
		return "0"
	}
	return strconv.Itoa(c.n)
}

func (c *minInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not an integer")
	}
	if n < c.min {
		return fmt.Errorf("%d is less than %d", n, c.min)
	}
	c.n = n
	return nil
}

// splitShortJobs accepts make-style -j2 as -j 2.
func splitShortJobs(args []string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if len(a) > 2 && strings.HasPrefix(a, "-j") && a[2] >= '0' && a[2] <= '9' {
			out = append(out, "-j", a[2:])
			continue
		}
		out = append(out, a)
	}
	return out
}
