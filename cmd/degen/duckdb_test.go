package main

import (
	"encoding/json"
	"os"
	"os/exec"
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
		"train/summary":       {"converged": "BOOLEAN", "diverged": "BOOLEAN", "epochs": "BIGINT", "final_loss": "DOUBLE"},
		"train/curve":         {"epoch": "BIGINT", "loss": "DOUBLE", "lr": "DOUBLE", "grad_norm": "DOUBLE"},
		"train/weights_final": {"param": "VARCHAR", "row": "BIGINT", "col": "BIGINT", "value": "FLOAT"},
		"record/summary":      {"test_mse": "DOUBLE", "ood_mse": "DOUBLE", "weight_change": "DOUBLE", "kernel_alignment": "DOUBLE"},
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
