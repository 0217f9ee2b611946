package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"degen/artifacts"
	"degen/stages"
)

// One object exported to two places is read once, each file gets its place's
// columns and the object's id, and the object's shared table is left as it
// was; a damaged object exports nothing and is quarantined.
func TestExportPlacesEachObjectOnceVerified(t *testing.T) {
	st, err := artifacts.Open(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tab := &artifacts.Table{Columns: []artifacts.Column{artifacts.Int64Col("seed", []int64{0, 1})}}
	if err := artifacts.WriteParquet(&buf, tab, nil); err != nil {
		t.Fatal(err)
	}
	id, size, err := st.Put(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	o := artifacts.Output{Name: "summary", ID: id, Size: size}
	js := []exportJob{
		{Rel: "a/level=1/part.parquet", Object: o, Stage: "train", Attrs: []stages.Attr{{Key: "factor_level", Value: "1"}}},
		{Rel: "a/level=2.5/part.parquet", Object: o, Stage: "train", Attrs: []stages.Attr{{Key: "factor_level", Value: "2.5"}}},
	}
	x := &exporter{store: st, out: t.TempDir()}
	rows, bad, err := x.placeAll(js, 2)
	if err != nil || len(bad) != 0 || len(rows) != 2 {
		t.Fatalf("placeAll: %d rows, %d bad, %v", len(rows), len(bad), err)
	}
	for i, want := range []float64{1, 2.5} {
		b, err := os.ReadFile(nativePath(x.out, js[i].Rel))
		if err != nil {
			t.Fatal(err)
		}
		got, kv, err := artifacts.ReadParquet(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		fv := got.Col("factor_value_f64")
		if got.Rows() != 2 || fv == nil || fv.F64[0] != want || len(got.Columns) != 2 {
			t.Errorf("%s: %d rows, columns %v, want seed and factor_value_f64 = %v", js[i].Rel, got.Rows(), got.Columns, want)
		}
		if kv[len(kv)-1] != (artifacts.KV{Key: "degen.object", Value: id.String()}) {
			t.Errorf("%s: last metadata %v, want degen.object %s", js[i].Rel, kv[len(kv)-1], id)
		}
	}
	flipByte(t, st.ObjectPath(id), false)
	x.out = t.TempDir()
	rows, bad, err = x.placeAll(js, 2)
	if err != nil || len(rows) != 0 || len(bad) != 1 || !errors.Is(bad[0].err, artifacts.ErrIntegrity) {
		t.Fatalf("damaged object: %d rows, bad %v, err %v; want no file and one ErrIntegrity", len(rows), bad, err)
	}
	if _, err := os.Stat(st.ObjectPath(id)); !os.IsNotExist(err) {
		t.Errorf("damaged object not quarantined (stat: %v)", err)
	}
	if entries, _ := os.ReadDir(x.out); len(entries) != 0 {
		t.Errorf("damaged object exported %d entries", len(entries))
	}
}
