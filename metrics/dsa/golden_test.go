package dsa

import (
	"crypto/sha256"
	"degen/internal/linalg"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"
)

// goldenTrials is a random nonlinear system whose generation itself is
// bit-stable (uniform draws, rounded products, no library functions), so
// the pinned digests below test the package, not the test data.
func goldenTrials(k, steps, n int) Trials {
	r := rand.New(rand.NewPCG(71, 72))
	a := make([]float64, n*n)
	for i := range a {
		a[i] = (r.Float64() - 0.5) * 3 / math.Sqrt(float64(n))
	}
	tr := Trials{N: n}
	for range k {
		x := make([]float64, n)
		for i := range x {
			x[i] = r.Float64() - 0.5
		}
		data := make([]float64, 0, steps*n)
		for range steps {
			data = append(data, x...)
			nx := make([]float64, n)
			for i := range nx {
				s := 0.0
				for j := range x {
					s += float64(a[i*n+j] * x[j])
				}
				nx[i] = s/(1+math.Abs(s)) + float64(0.05*(r.Float64()-0.5))
			}
			x = nx
		}
		tr.Data = append(tr.Data, data)
	}
	return tr
}

func newDigest(vals ...any) string {
	h := sha256.New()
	for _, v := range vals {
		if err := binary.Write(h, binary.LittleEndian, v); err != nil {
			panic(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestGoldenBits pins the bits of fits and a comparison. The same digests
// must come out of every kernel path (DEGEN_KERNELS=portable) and every
// GOAMD64 level: run the package's tests under each.
func TestGoldenBits(t *testing.T) {
	p := DefaultParams()
	small := mustFit(t, goldenTrials(4, 40, 6), withRank(fullRank(3), 0))
	x := mustFit(t, goldenTrials(6, 60, 24), p)
	q := p
	q.NDelays, q.Rank = 3, 12
	y := mustFit(t, goldenTrials(5, 70, 24), q)
	q.NDelays, q.Rank = 5, 10 // 8·10 ≤ 120: the top eigenvalues by bisection
	z := mustFit(t, goldenTrials(5, 70, 24), q)
	res, err := Compare(x, y, p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, got, want string
	}{
		{"fit 6 units full rank", fitDigest(small), "c162c0d18c4d3b842e10b08e19ae7d88b0b482c40c55d9999315a488e7fbf5eb"},
		{"fit 24 units rank 20", fitDigest(x), "154278cd3cb05a28797e62e0b29084e419b9c21ce9d4a716ab7ef54120875365"},
		{"fit 24 units rank 12", fitDigest(y), "28414e37629ee39a2c0ecce966ca48175192797b106b0b329c06cd53468a8238"},
		{"fit 24 units rank 10", fitDigest(z), "4e37cc0f80c1e5d0d3fbd341ad4c3e6d71b3e215c604cd87ee5bd4a7cdbde331"},
		{"compare", newDigest(res.Angular, res.Euclidean, res.Wasserstein, res.C.RawMatrix().Data, int64(res.Start), int64(res.Iters)), "e30405cb5aa6db2409b2aefbeca5506c8715dbb801aa2052de3fd4ce815591ab"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: digest %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

func fitDigest(m *Model) string {
	return newDigest(m.A.RawMatrix().Data, m.Eig, m.S)
}

// TestAsinBits: the asin and acos DSA scores use (internal/linalg) are within two ulps of math's
// (equal to it at GOAMD64=v1) and pinned to the bit on a grid.
func TestAsinBits(t *testing.T) {
	var vals []float64
	for i := -1000; i <= 1000; i++ {
		x := float64(i) / 1000
		s, c := linalg.Asin(x), linalg.Acos(x)
		if d := math.Abs(s - math.Asin(x)); d > 4.5e-16*math.Max(1, math.Abs(s)) {
			t.Errorf("asin(%v) = %v, math.Asin %v", x, s, math.Asin(x))
		}
		if d := math.Abs(c - math.Acos(x)); d > 4.5e-16 {
			t.Errorf("acos(%v) = %v, math.Acos %v", x, c, math.Acos(x))
		}
		vals = append(vals, s, c)
	}
	if got, want := newDigest(vals), "3dc4519ae3a94087458fd0ea8530c523e541f6c6a39cf4d1b98d95b945d2e577"; got != want {
		t.Errorf("asin/acos digest %s, want %s", got, want)
	}
}
