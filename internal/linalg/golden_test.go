package linalg

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
)

// TestGoldenBits pins SHA-256 digests of the outputs for fixed seeded
// inputs. The same digests must hold in the default build and under
// GOAMD64=v3 (where Go fuses unrounded x*y+z into FMA), and on arm64: a
// change here means artifact bits changed.
func TestGoldenBits(t *testing.T) {
	tests := []struct {
		name string
		run  func() [][]float64
		want string
	}{
		{"symeig 40", func() [][]float64 {
			var e SymEigen
			must(t, e.Factorize(symmetric(40, "golden"), 40))
			return [][]float64{e.Values(), e.Vectors()}
		}, "3749f8821072cf67747f9e2fd0027141463fa7527e2531f9b1c1b5185327a668"},
		{"svd 50x30", func() [][]float64 {
			var s SVD
			v, err := s.Values(gaussian(50, 30, "golden"), 50, 30)
			must(t, err)
			return [][]float64{v}
		}, "d54bd867bf5fbe4a3dc3664a8760a919a8777a307cde01d29fa655c805e147e7"},
		{"svd 96x96", func() [][]float64 {
			var s SVD
			v, err := s.Values(gaussian(96, 96, "golden"), 96, 96)
			must(t, err)
			return [][]float64{v}
		}, "df092ccff7d465b024597998d6c286dee14e22ec6190b290902bfc8ee387c5bd"},
		{"polar 128", func() [][]float64 {
			var p Polar
			must(t, p.Factorize(gaussian(128, 128, "golden"), 128))
			return [][]float64{p.Factor(), {p.Nuclear()}}
		}, "b423f129e512b13b630417d1e3084552afdc543373e0c02a967668e4c71e9b5e"},
		{"polar rank 5 of 12", func() [][]float64 {
			var p Polar
			must(t, p.Factorize(mul(gaussian(12, 5, "golden-a"), gaussian(5, 12, "golden-b"), 12, 5, 12), 12))
			return [][]float64{p.Factor(), {p.Nuclear()}}
		}, "d03691bf7bb3f4d18db21735e4db36063f67ed555859b3e939f0e5ea2301e7c1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := digest(tc.run()); got != tc.want {
				t.Errorf("digest = %s, want %s", got, tc.want)
			}
		})
	}
}

func digest(outs [][]float64) string {
	h := sha256.New()
	var b [8]byte
	for _, out := range outs {
		for _, v := range out {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
