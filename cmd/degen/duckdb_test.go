package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// duckcheck is tools/duckcheck/duckcheck.mjs, installed by .ci/run (or `just
// duckdb`). Under CI its absence is a failure, not a skip.
func duckcheck(t *testing.T) string {
	t.Helper()
	p := os.Getenv("DEGEN_DUCKCHECK")
	if p == "" {
		if _, err := os.Stat("../../tools/duckcheck/node_modules/@duckdb/node-api"); err == nil {
			p = "../../tools/duckcheck/duckcheck.mjs"
		}
	}
	if p == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("DuckDB reader not installed (.ci/run installs it with npm)")
		}
		t.Skip("DuckDB reader not installed: run `just duckdb` (CI always runs this test)")
	}
	return p
}

type duckView struct {
	Columns []struct{ Name, Type string } `json:"columns"`
	Rows    int                           `json:"rows"`
	Meta    map[string]string             `json:"metadata"`
}

func TestParquetOpensInDuckDB(t *testing.T) {
	script := duckcheck(t)
	store := t.TempDir()
	mustSmoke(t, store, "run")
	// One output of each stage, with the columns and DuckDB types docs/schema.md promises.
	want := map[string]map[string]string{
		"generate/probe":      {"trial": "BIGINT", "t": "BIGINT", "value": "FLOAT"},
		"train/summary":       {"converged": "BOOLEAN", "diverged": "BOOLEAN", "epochs": "BIGINT", "final_loss": "DOUBLE", "network": "VARCHAR", "n": "BIGINT"},
		"train/curve":         {"epoch": "BIGINT", "loss": "DOUBLE", "lr": "DOUBLE", "grad_norm": "DOUBLE"},
		"train/weights_final": {"param": "VARCHAR", "row": "BIGINT", "col": "BIGINT", "value": "FLOAT"},
		"record/summary": {"test_mse": "DOUBLE", "ood_mse": "DOUBLE", "weight_change": "DOUBLE", "kernel_alignment": "DOUBLE",
			"network": "VARCHAR", "param": "VARCHAR", "n": "BIGINT", "gamma": "DOUBLE", "lr": "DOUBLE", "threshold": "DOUBLE", "l1": "DOUBLE", "nuclear": "DOUBLE"},
		"record/trajectories": {"trial": "BIGINT", "t": "BIGINT", "unit": "BIGINT", "value": "FLOAT"},
	}
	seen := map[string]bool{}
	for _, l := range plan(t, store) {
		for out, id := range l.Outputs {
			key := l.Stage + "/" + out
			cols, ok := want[key]
			if !ok || seen[key] {
				continue
			}
			seen[key] = true
			b, err := exec.Command("node", script, objectPath(store, id)).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: duckcheck: %v\n%s", key, err, b)
			}
			var v duckView
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("%s: %v: %s", key, err, b)
			}
			got := map[string]string{}
			for _, c := range v.Columns {
				got[c.Name] = c.Type
			}
			for name, typ := range cols {
				if got[name] != typ {
					t.Errorf("%s: column %s has DuckDB type %q, want %q (all: %v)", key, name, got[name], typ, got)
				}
			}
			if v.Rows == 0 {
				t.Errorf("%s: DuckDB read no rows", key)
			}
			if v.Meta["degen.stage"] != l.Stage || v.Meta["degen.output"] != out || !strings.HasPrefix(v.Meta["degen.params"], "{") || v.Meta["ARROW:schema"] == "" {
				t.Errorf("%s: key-value metadata %v lacks provenance", key, keys(v.Meta))
			}
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("no %s output in the smoke run", key)
		}
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// docSQL is every ```sql block of docs/analysis.md, in order.
func docSQL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/analysis.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 {
		t.Fatal("docs/analysis.md has no ```sql block")
	}
	return strings.Join(blocks, "\n")
}

type duckRows struct {
	Statements []struct {
		SQL  string           `json:"sql"`
		Rows []map[string]any `json:"rows"`
	} `json:"statements"`
}

// TestAnalysisDuckDBExamples runs docs/analysis.md's DuckDB recipes on a
// smoke export with a second study that shares smoke's flipflop networks and
// varies a numeric key over levels whose string order is wrong (10 < 9).
func TestAnalysisDuckDBExamples(t *testing.T) {
	script := duckcheck(t)
	store, out := t.TempDir(), filepath.Join(t.TempDir(), "results")
	b := []string{"--config", baseSmokeConfig(t), "--set", `study.b.tasks=["flipflop"]`, "--set", "study.b.n_seeds=3",
		"--set", `study.b.vary="metrics.score.bootstrap"`, "--set", "study.b.values=[10, 9]"}
	mustSmoke(t, store, "run", b...)
	mustSmoke(t, store, "export", append(b, "--out", out)...)
	sql := filepath.Join(t.TempDir(), "analysis.sql")
	if err := os.WriteFile(sql, []byte(docSQL(t)), 0o666); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command("node", script, "--sql", sql, out).CombinedOutput()
	if err != nil {
		t.Fatalf("duckcheck: %v\n%s", err, raw)
	}
	var got duckRows
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(got.Statements) != 4 {
		t.Fatalf("%d statements, want 4 (degeneracy, networks, pivot, provenance)", len(got.Statements))
	}
	deg, nets, pivot, prov := got.Statements[0].Rows, got.Statements[1].Rows, got.Statements[2].Rows, got.Statements[3].Rows
	// 4 smoke conditions + 2 levels of b; b's levels in numeric order.
	var levels []string
	for _, r := range deg {
		if r["study"] == "b" {
			levels = append(levels, fmt.Sprint(r["factor_level"]))
		}
	}
	if len(deg) != 6 || strings.Join(levels, ",") != "9,10" {
		t.Errorf("degeneracy: %d rows, b's levels %v; want 6 rows and levels 9,10", len(deg), levels)
	}
	// 12 networks: b's flipflop networks are smoke's, listed once.
	seen := map[string]bool{}
	for _, r := range nets {
		seen[fmt.Sprint(r["network"])] = true
	}
	if len(nets) != 12 || len(seen) != 12 || nets[0]["task"] != "dd" || fmt.Sprint(nets[0]["seed"]) != "0" {
		t.Errorf("networks: %d rows, %d distinct, first %v; want 12 distinct sorted by task, seed", len(nets), len(seen), nets[0])
	}
	// 3 pairs of one condition, a column per metric.
	if len(pivot) != 3 || pivot[0]["dsa_angular"] == nil || pivot[0]["pif"] == nil {
		t.Errorf("pivot: %v; want 3 rows with a column per metric", pivot)
	}
	// decode() gives the JSON text of each score file's parameters.
	if len(prov) != 6 || !strings.HasPrefix(fmt.Sprint(prov[0]["params"]), `{"seeds":[0,1,2]`) {
		t.Errorf("provenance: %v; want 6 score files' decoded params", prov)
	}
}
