package linalg

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
)

// TestAcos: within 1e-15 of math.Acos (equal bits in the default amd64
// build, where math's polynomial is not fused; at GOAMD64=v3 math's own
// value moves, by 9 ulp at 0.97015), and pinned bits on a grid that must
// hold under GOAMD64=v3 too.
func TestAcos(t *testing.T) {
	h := sha256.New()
	for i := -20000; i <= 20000; i++ {
		x := float64(i) / 20000
		got, want := Acos(x), math.Acos(x)
		if math.Abs(got-want) > 1e-15 {
			t.Fatalf("Acos(%v) = %v, math %v", x, got, want)
		}
		binary.Write(h, binary.LittleEndian, math.Float64bits(got))
	}
	for _, x := range []float64{1.0000001, -1.5} {
		if !math.IsNaN(Acos(x)) {
			t.Errorf("Acos(%v) = %v, want NaN", x, Acos(x))
		}
	}
	const want = "7e531ac3d3b08261677b2796ae185b4aef20af81076acdc610cfd92e47cbfb78"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest = %s, want %s", got, want)
	}
}
