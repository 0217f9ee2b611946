package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// `just reproduce ARGS` used to pass ARGS to run only, so it exported the
// default study whatever was run; the README tour exported quick after
// running smoke. Both must export with the flags they ran with (and export
// refuses an uncomputed config, TestPartialExportSaysSo).
func TestReproduceAndTourExportWhatRan(t *testing.T) {
	just, err := os.ReadFile("../../Justfile")
	if err != nil {
		t.Fatal(err)
	}
	recipe := regexp.MustCompile(`(?m)^reproduce \*ARGS:.*\n((?:[ \t]+.*\n)+)`).FindSubmatch(just)
	if recipe == nil {
		t.Fatal("Justfile has no `reproduce *ARGS` recipe")
	}
	for _, cmd := range []string{"run", "export"} {
		if !regexp.MustCompile(`\{\{bin\}\} ` + cmd + ` \{\{ARGS\}\}`).Match(recipe[1]) {
			t.Errorf("reproduce does not pass ARGS to %s:\n%s", cmd, recipe[1])
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	preset := regexp.MustCompile(`--preset (\S+)`)
	lastRun := ""
	for _, l := range strings.Split(string(readme), "\n") {
		cmd, _, _ := strings.Cut(strings.TrimSpace(l), "#")
		switch {
		case strings.HasPrefix(cmd, "bin/degen run"):
			lastRun = presetOf(preset, cmd)
		case strings.HasPrefix(cmd, "bin/degen export"):
			if got := presetOf(preset, cmd); got != lastRun {
				t.Errorf("README: %q exports preset %q after running %q", strings.TrimSpace(l), got, lastRun)
			}
		}
	}
}

func presetOf(re *regexp.Regexp, cmd string) string {
	if m := re.FindStringSubmatch(cmd); m != nil {
		return m[1]
	}
	return "(the file's)"
}
