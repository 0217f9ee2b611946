package rnn

import (
	"math/rand/v2"

	"degen/internal/seed"
)

// flipflop fills a 3-bit flip-flop batch (SPEC §2: pulse prob p, forced pulse
// at t=0, target = last pulse) without importing tasks, so rnn's tests stand
// alone.
func flipflop(b *Batch, rng *rand.Rand, p float64) {
	for bi := 0; bi < b.B; bi++ {
		for c := 0; c < b.In; c++ {
			var last float32
			for t := 0; t < b.T; t++ {
				var x float32
				if t == 0 || rng.Float64() < p {
					x = 1
					if rng.IntN(2) == 0 {
						x = -1
					}
					last = x
				}
				b.X[(t*b.B+bi)*b.In+c] = x
				b.Y[(t*b.B+bi)*b.Out+c] = last
			}
		}
	}
}

func newFlipflop(B, T, bits int) *Batch {
	return &Batch{B: B, T: T, In: bits, Out: bits, X: make([]float32, T*B*bits), Y: make([]float32, T*B*bits)}
}

// flipflopSource is a BatchSource drawing step s from seed.New(key, s).
func flipflopSource(key string, B, T, bits int) BatchSource {
	b := newFlipflop(B, T, bits)
	return func(step int) (*Batch, error) {
		flipflop(b, seed.New(key, "batch", itoa(step)), 0.3)
		return b, nil
	}
}

func itoa(i int) string {
	var buf [20]byte
	k := len(buf)
	for {
		k--
		buf[k] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(buf[k:])
		}
	}
}

func testNet(param string, n, in, out int, key string) *Net {
	nt, err := New(ModelParams{Param: param, N: n, Gamma: 1, Tau: 0.1}, in, out)
	if err != nil {
		panic(err)
	}
	nt.Init(seed.New("test", key))
	return nt
}
