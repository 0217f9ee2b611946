package stats

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"

	"degen/internal/seed"

	"gonum.org/v1/gonum/mat"
)

// TestMDSGoldenBits pins the bits of an MDS embedding of seeded points;
// the same digest must hold under GOAMD64=v3, where Go fuses unrounded
// multiply-adds (the eigenpairs come from internal/linalg).
func TestMDSGoldenBits(t *testing.T) {
	const n, dim = 30, 4
	rng := seed.New("stats", "mds-bits")
	pts := make([]float64, n*dim)
	for i := range pts {
		pts[i] = rng.NormFloat64()
	}
	d := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			var s float64
			for k := 0; k < dim; k++ {
				diff := pts[i*dim+k] - pts[j*dim+k]
				s += float64(diff * diff)
			}
			d.SetSym(i, j, math.Sqrt(s))
		}
	}
	x, vals, err := MDS(d, 3)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	binary.Write(h, binary.LittleEndian, vals)
	binary.Write(h, binary.LittleEndian, x.RawMatrix().Data)
	const want = "a11644bf753e88808137847516b8fef96eaf348786cc0e422e887efd16a8a40a"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest = %s, want %s", got, want)
	}
}
