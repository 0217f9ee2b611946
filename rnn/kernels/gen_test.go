package kernels

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate regenerates the assembly and its Go declarations and
// compares them with the files in the tree, so an edit to one without the
// other fails.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go tool; skipped in -short")
	}
	dir := t.TempDir()
	out, err := exec.Command("go", "run", "gen_asm.go", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go run gen_asm.go: %v\n%s", err, out)
	}
	for _, name := range []string{"kernels_amd64.s", "kernels_amd64_gen.go", "tanh_const_gen.go"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from gen_asm.go's output; run go generate", name)
		}
	}
}
