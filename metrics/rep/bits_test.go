package rep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"

	"degen/internal/seed"
)

// TestGoldenBits pins the bits of Procrustes and CKA for seeded probes of
// unequal width; the same digest must hold under GOAMD64=v3, where Go fuses
// unrounded multiply-adds (the singular values come from internal/linalg).
func TestGoldenBits(t *testing.T) {
	rng := seed.New("rep", "bits")
	x, y := randDense(rng, 200, 24), randDense(rng, 200, 17)
	r := mustCompare(t, x, y)
	h := sha256.New()
	for _, v := range []float64{r.Angular, r.Euclidean, r.CKA} {
		binary.Write(h, binary.LittleEndian, math.Float64bits(v))
	}
	const want = "2735c4ff5321faa226a72d7743214ee241308ebc3cee313b698234eb403595c6"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest = %s, want %s (result %+v)", got, want, r)
	}
}
