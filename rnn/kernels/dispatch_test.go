package kernels

import (
	"os"
	"testing"
)

func TestChoose(t *testing.T) {
	a512 := &impl{name: "avx512"}
	a2 := &impl{name: "avx2"}
	all := []*impl{a512, a2, portable}
	for _, tc := range []struct {
		env   string
		avail []*impl
		want  string
	}{
		{"", all, "avx512"},
		{"portable", all, "portable"},
		{"avx2", all, "avx2"},
		{"avx512", all, "avx512"},
		{"bogus", all, "avx512"},
		{"", []*impl{a2, portable}, "avx2"},
		{"avx2", []*impl{portable}, "portable"},
		{"", []*impl{portable}, "portable"},
	} {
		if got := choose(tc.avail, tc.env).name; got != tc.want {
			t.Errorf("choose(%d paths, %q) = %s, want %s", len(tc.avail), tc.env, got, tc.want)
		}
	}
}

// TestPath checks the path in use honours DEGEN_KERNELS as this test
// process saw it at init.
func TestPath(t *testing.T) {
	want := paths[0].name
	switch os.Getenv("DEGEN_KERNELS") {
	case "portable":
		want = "portable"
	case "avx2":
		want = choose(paths, "avx2").name
	}
	if got := Path(); got != want {
		t.Errorf("Path() = %s, want %s", got, want)
	}
	if last := paths[len(paths)-1]; last != portable {
		t.Errorf("last path is %s, want portable", last.name)
	}
}

// TestPublicAPI runs the exported functions once on the chosen path.
func TestPublicAPI(t *testing.T) {
	c := make([]float32, 4)
	MatMul(c, []float32{1, 2, 3, 4}, []float32{1, 0, 0, 1}, 2, 2, 2, false)
	if c[0] != 1 || c[1] != 2 || c[2] != 3 || c[3] != 4 {
		t.Errorf("MatMul by I = %v, want [1 2 3 4]", c)
	}
	MatMulTN(c, []float32{1, 0, 0, 1}, []float32{5, 6, 7, 8}, 2, 2, 2, true)
	if c[0] != 6 || c[3] != 12 {
		t.Errorf("MatMulTN acc = %v, want [6 8 10 12]", c)
	}
	z := []float32{0, 1, -1, 0}
	AddBiasTanh(z, []float32{1, -1}, 2, 2)
	if z[1] != 0 || z[0] != tanh32(1) || z[2] != tanh32(0) || z[3] != tanh32(-1) {
		t.Errorf("AddBiasTanh = %v", z)
	}
	y := []float32{0.5, -0.5}
	Tanh(y, y)
	d := make([]float32, 2)
	TanhBackward(d, []float32{2, 2}, y)
	if want := 2 * Fma32(-y[0], y[0], 1); d[0] != want {
		t.Errorf("TanhBackward = %g, want %g", d[0], want)
	}
}

func TestDimsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MatMul with a short slice did not panic")
		}
	}()
	MatMul(make([]float32, 3), make([]float32, 4), make([]float32, 4), 2, 2, 2, false)
}
