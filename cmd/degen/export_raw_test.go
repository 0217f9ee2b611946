package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"degen/artifacts"
)

// Objects that are not tables (figures, through exportHooks) are placed
// byte for byte after the same hash check.
func TestExportPlacesRawObjectsVerified(t *testing.T) {
	st, err := artifacts.Open(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	id, size, err := st.Put(strings.NewReader(string(svg)))
	if err != nil {
		t.Fatal(err)
	}
	x := &exporter{store: st, out: t.TempDir()}
	j := exportJob{Rel: "figures/fig3.svg", Object: artifacts.Output{Name: "fig3", ID: id, Size: size}, Stage: "figures"}
	row, err := x.place(j)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(nativePath(x.out, j.Rel))
	if err != nil || string(got) != string(svg) || row.SHA256 != id.String() || row.Size != size {
		t.Fatalf("placed %q (%v), row %+v; want the object's bytes and id", got, err, row)
	}
	flipByte(t, st.ObjectPath(id), false)
	if _, err := x.place(j); !errors.Is(err, artifacts.ErrIntegrity) {
		t.Errorf("damaged raw object: err = %v, want ErrIntegrity", err)
	}
	if _, err := os.Stat(st.ObjectPath(id)); !os.IsNotExist(err) {
		t.Errorf("damaged raw object not quarantined (stat: %v)", err)
	}
}
