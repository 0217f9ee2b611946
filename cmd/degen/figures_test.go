package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"degen/artifacts"
)

// smokeStudies are the smoke preset's studies and their condition counts.
var smokeStudies = map[string]int{"smoke": 4, "complexity": 2, "gamma": 2, "size": 2, "regularization": 2}

// TestSmokeFigures runs the smoke preset end to end and exports it: every
// figure exists as non-empty SVG and PNG with its data table beside it; the
// tables have their columns and rows; Table 1 has 12 rows, all measured
// (smoke varies every factor); index.html's relative links all resolve.
// Then: the figures are cached on a second run, and a change to one study's
// scores reruns that study's figures and the report, nothing else of theirs.
func TestSmokeFigures(t *testing.T) {
	store := t.TempDir()
	mustSmoke(t, store, "run")
	out := filepath.Join(t.TempDir(), "results")
	mustSmoke(t, store, "export", "--out", out)
	for study, conds := range smokeStudies {
		for _, tc := range []struct {
			name, cols string
			rows       int
		}{
			{"degeneracy", "study,task,factor,factor_level,x,level,metric,value,se,band_lo,band_hi,ci_lo,ci_hi,null_mean,null_se,n_null_pairs,n_networks", conds * 3},
			{"mds", "study,task,factor,factor_level,x,seed,mds1,mds2", conds * 3},
			{"feature_learning", "study,task,factor,factor_level,x,measure,mean,se,n", conds * 2},
			{"seeds", "study,task,factor,factor_level,x,level,k,mean,lo,hi", conds * 3 * 2},
			{"curves", "study,task,factor,factor_level,x,seed,epoch,loss,converged", -1},
		} {
			base := filepath.Join(out, "figures", study, tc.name)
			checkImage(t, base+".svg", "<?xml")
			checkImage(t, base+".png", "\x89PNG")
			tab, _, err := artifacts.ReadParquetFile(base + ".parquet")
			if err != nil {
				t.Fatalf("%s data: %v", base, err)
			}
			var names []string
			for _, c := range tab.Columns {
				names = append(names, c.Name)
			}
			if got := strings.Join(names, ","); got != tc.cols {
				t.Errorf("%s columns %s, want %s", base, got, tc.cols)
			}
			if tc.rows >= 0 && tab.Rows() != tc.rows || tab.Rows() == 0 {
				t.Errorf("%s: %d rows, want %d", base, tab.Rows(), tc.rows)
			}
		}
	}
	checkTable1(t, out)
	checkIndex(t, out)
	for _, l := range plan(t, store) {
		if l.State != "cached" {
			t.Errorf("second plan: %s %s is %s", l.Stage, l.Label, l.State)
		}
	}
	for _, l := range plan(t, store, "--set", "task.sine.t=31") {
		rerun := l.Stage == "report" || strings.HasPrefix(l.Label, "smoke figures")
		if (l.Stage == "figures" || l.Stage == "report") && (l.State == "pending") != rerun {
			t.Errorf("--set task.sine.t=31: %s %s is %s, want pending=%v", l.Stage, l.Label, l.State, rerun)
		}
	}
}

func checkImage(t *testing.T, path, magic string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Error(err)
		return
	}
	if !bytes.HasPrefix(b, []byte(magic)) || len(b) < 1000 {
		t.Errorf("%s: %d bytes, want a %q file", path, len(b), magic)
	}
}

func checkTable1(t *testing.T, out string) {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(out, "figures", "table1.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(md), "\n| ") - 1; n != 12 {
		t.Errorf("table1.md: %d rows, want 12\n%s", n, md)
	}
	tab, _, err := artifacts.ReadParquetFile(filepath.Join(out, "figures", "table1.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows() != 12 {
		t.Fatalf("table1.parquet: %d rows, want 12", tab.Rows())
	}
	for r := range tab.Rows() {
		if !tab.Col("measured").Bools[r] {
			t.Errorf("Table 1 %s × %s not measured on smoke", tab.Col("factor").Strs[r], tab.Col("level").Strs[r])
		}
	}
}

var linkRE = regexp.MustCompile(`(?:src|href)="([^"#]+)"`)

func checkIndex(t *testing.T, out string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	links := linkRE.FindAllStringSubmatch(string(b), -1)
	if len(links) < 4*5*len(smokeStudies) {
		t.Errorf("index.html has %d links, want every figure's", len(links))
	}
	for _, m := range links {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(m[1]))); err != nil {
			t.Errorf("index.html links %s: %v", m[1], err)
		}
	}
	for study := range smokeStudies {
		if !strings.Contains(string(b), `id="study-`+study+`"`) {
			t.Errorf("index.html has no section for %s", study)
		}
	}
}
