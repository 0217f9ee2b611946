package weights

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"testing"

	"degen/internal/seed"
)

// TestGradientForms: the gather (gradPerm) and the dense products
// (gradDense) give the same bits at a permutation matrix, since products
// with 0 and 1 are exact; the rank-2m update (gradVertex) agrees with the
// full product to rounding.
func TestGradientForms(t *testing.T) {
	rng := seed.New("pif", "grad")
	for _, n := range []int{5, 33, 64} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a, b := randMat(rng, n), randMat(rng, n)
			pr := newProblem(a.RawMatrix().Data, b.RawMatrix().Data, n)
			prev, q := rng.Perm(n), rng.Perm(n)
			copy(q, prev)
			q[1], q[3] = q[3], q[1] // two moved rows: the update path
			pm, gPerm := pr.permStart(q)
			gDense := make([]float64, n*n)
			pr.gradDense(gDense, pm)
			gInc := make([]float64, n*n)
			pr.gradPerm(gInc, prev)
			pr.gradVertex(gInc, q, prev)
			want := naiveGrad(pr, q)
			for k := range want {
				if gDense[k] != gPerm[k] {
					t.Fatalf("gradDense[%d] = %v, gradPerm = %v, want equal bits", k, gDense[k], gPerm[k])
				}
				if d := math.Abs(gPerm[k] - want[k]); d > 1e-12*float64(n) {
					t.Fatalf("gradPerm[%d] = %v, want %v", k, gPerm[k], want[k])
				}
				if d := math.Abs(gInc[k] - want[k]); d > 1e-12*float64(n) {
					t.Fatalf("gradVertex[%d] = %v, want %v", k, gInc[k], want[k])
				}
			}
		})
	}
}

// naiveGrad is W₁QW₂ᵀ + W₁ᵀQW₂ summed straight from the definition:
// G[i,j] = Σ_k W₁[i,k]·W₂[j,q k] + W₁[k,i]·W₂[q k,j].
func naiveGrad(pr *problem, q []int) []float64 {
	n := pr.n
	g := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for k, qk := range q {
				s += float64(pr.a[i*n+k]*pr.b[j*n+qk]) + float64(pr.a[k*n+i]*pr.b[qk*n+j])
			}
			g[i*n+j] = s
		}
	}
	return g
}

// TestGoldenBits pins d_PIF's distance, permutation and iteration counts
// for seeded unrelated pairs with a random start and a restart; the same
// digest must hold under GOAMD64=v3 and every DEGEN_KERNELS path.
func TestGoldenBits(t *testing.T) {
	rng := seed.New("pif", "bits")
	h := sha256.New()
	for _, n := range []int{24, 70} {
		w1, w2 := randMat(rng, n), randMat(rng, n)
		p := DefaultParams()
		p.Restarts = 1
		r, err := PIF(w1, w2, rng.Perm(n), p)
		if err != nil {
			t.Fatal(err)
		}
		binary.Write(h, binary.LittleEndian, math.Float64bits(r.D))
		for _, v := range append(r.Perm, r.FAQIters, r.Swaps) {
			binary.Write(h, binary.LittleEndian, int64(v))
		}
	}
	const want = "0c7d9e59567026230f7454f3a7e472e6069652cdb34fc45c0e6a2cbd98ff2954"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest = %s, want %s", got, want)
	}
}

// TestSwapGain: the O(1) gain from M and N equals the change of the
// objective, before and after swaps have updated M and N.
func TestSwapGain(t *testing.T) {
	rng := seed.New("pif", "swapgain")
	for _, n := range []int{3, 17, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a, b := randMat(rng, n), randMat(rng, n)
			pr := newProblem(a.RawMatrix().Data, b.RawMatrix().Data, n)
			s := newSwapper(pr, rng.Perm(n))
			for round := 0; round < 5; round++ {
				for trial := 0; trial < 10; trial++ {
					r, u := rng.IntN(n), rng.IntN(n)
					if r == u {
						continue
					}
					r, u = min(r, u), max(r, u)
					after := append([]int(nil), s.perm...)
					after[r], after[u] = after[u], after[r]
					want := objective(pr.a, pr.b, after) - objective(pr.a, pr.b, s.perm)
					if got := s.gain(r, u); math.Abs(got-want) > 1e-11*float64(n) {
						t.Fatalf("round %d: gain(%d, %d) = %v, want %v", round, r, u, got, want)
					}
				}
				r, u := rng.IntN(n-1), n-1
				s.swap(r, u)
			}
		})
	}
}
