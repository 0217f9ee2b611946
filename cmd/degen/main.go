// Command degen trains many RNNs per condition and measures how different
// their solutions are, as a reproducible, cached pipeline.
//
// Exit status: 0 success; 1 a failure (an action failed, verify found a
// mismatch, an I/O error); 2 bad usage or a bad configuration (nothing in
// the store was touched); 130 interrupted (SIGINT), rerun to resume.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"

	"degen/pipeline"
)

// A command is one subcommand: one file each in this directory.
type command struct {
	name  string
	usage string // one line: arguments
	help  string
	long  string // optional: more for --help than the one-line help
	run   func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// errUsage marks bad usage: exit status 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "degen: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	err := runCommand(c, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, pipeline.ErrInterrupted):
		// Stopped by SIGINT or SIGTERM: 130, the shell's convention for
		// a process ended by Ctrl-C.
		fmt.Fprintln(stderr, err)
		return 130
	case errors.Is(err, errUsage), errors.Is(err, pipeline.ErrConfig):
		fmt.Fprintf(stderr, "degen %s: %v\n", c.name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "degen %s: %v\n", c.name, err)
		return 1
	}
}

// debugEnv, set to anything, makes a panic print its stack trace.
const debugEnv = pipeline.DebugEnv

// runCommand runs c, turning a panic into an error: a user sees one line
// (exit 1), never a stack trace; DEGEN_DEBUG=1 prints the trace for a bug
// report. Bad input is meant to be caught long before as a config error.
func runCommand(c *command, args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if os.Getenv(debugEnv) != "" {
			fmt.Fprintf(stderr, "panic: %v\n%s", p, debug.Stack())
		}
		err = fmt.Errorf("internal error: %v (a bug: please report it with the output of %s=1 degen %s …)", p, debugEnv, c.name)
	}()
	return c.run(args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: degen <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].help)
	}
	fmt.Fprintln(w, "\n`degen <command> --help` describes each. Exit status: 0 ok, 1 failure, 2 bad usage or config.")
}
