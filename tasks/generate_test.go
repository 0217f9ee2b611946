package tasks

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"

	"degen/internal/seed"
)

// gen builds a batch of B trials of p from the key's seed.
func gen(p Params, B int, ood bool, key ...string) *Batch {
	b := NewBatch(p, B, ood)
	Generate(p, b, seed.New(key...), ood)
	return b
}

// digest is the SHA-256 of X's then Y's float32 bits, little-endian.
func digest(b *Batch) string {
	h := sha256.New()
	var w [4]byte
	for _, v := range append(append([]float32(nil), b.X...), b.Y...) {
		binary.LittleEndian.PutUint32(w[:], math.Float32bits(v))
		h.Write(w[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func withEdit(t testing.TB, name string, edit func(*Params)) Params {
	p := mustDefaults(t, name)
	if edit != nil {
		edit(&p)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden pins the bits of a tiny seeded batch per task. A change here
// changes every cached artifact downstream: bump the generate stage version.
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		task string
		edit func(*Params)
		ood  bool
		want string
	}{
		{"flipflop", "flipflop", func(p *Params) { p.Channels, p.T = 2, 12 }, false, "00de4cb52acf9d994d329eeb5cb21ac813831bca05f6cf433bd2b1cdcbf9f359"},
		{"flipflop-ood", "flipflop", func(p *Params) { p.Channels, p.T = 2, 12 }, true, "e6b9f992631081c3a5d66fca5f41ba3c137d1a964bdc66b04554bca82b23834f"},
		{"dd", "dd", func(p *Params) { p.Channels = 2 }, false, "516894a3244676446174c7a3c55489b4f3da844afaa89453beed72db7cfd312a"},
		{"dd-aux-ood", "dd", func(p *Params) { p.Aux, p.DelayMax = true, 8 }, true, "c09a5e5dbe3b1f2ced47165e7a3007faa702672cd34d35556a34f9aa77dd52ff"},
		{"sine", "sine", func(p *Params) { p.Channels, p.T = 2, 16 }, false, "b048daf4320ef021568d7083d892fc07bdba1bca16c60cd15c534967596e6784"},
		{"pi2", "pi", func(p *Params) { p.T = 16 }, false, "0c035f34292c6c4ccdebecdc799204319fd90e5019d3f159b1947562045d316b"},
		{"pi3-ood", "pi", func(p *Params) { p.Dims, p.T = 3, 16 }, true, "6d5328b09060726a73d08457db957ff184dfbe6d3aa454f37573d1a685f27d9c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := withEdit(t, c.task, c.edit)
			got := digest(gen(p, 3, c.ood, "tasks-golden", c.name))
			if got != c.want {
				t.Errorf("digest = %s, want %s", got, c.want)
			}
		})
	}
}

func TestPrefixProperty(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			p := mustDefaults(t, name)
			small, large := gen(p, 2, false, "prefix"), gen(p, 5, false, "prefix")
			for tt := range small.T {
				for trial := range small.B {
					for i := range small.In {
						if got, want := large.X[large.xAt(tt, trial, i)], small.X[small.xAt(tt, trial, i)]; got != want {
							t.Fatalf("X t=%d trial=%d i=%d: 5-trial batch %v, 2-trial batch %v", tt, trial, i, got, want)
						}
					}
					for o := range small.Out {
						if got, want := large.Y[large.yAt(tt, trial, o)], small.Y[small.yAt(tt, trial, o)]; got != want {
							t.Fatalf("Y t=%d trial=%d o=%d: 5-trial batch %v, 2-trial batch %v", tt, trial, o, got, want)
						}
					}
				}
			}
		})
	}
}

func TestGenerateRefillsInPlace(t *testing.T) {
	// Refilling a used batch must give the same bits as a fresh one: nothing
	// from the previous trials (dd's sparse pulses) may leak through.
	p := withEdit(t, "dd", func(p *Params) { p.Aux = true })
	b := gen(p, 8, false, "refill", "first")
	Generate(p, b, seed.New("refill", "second"), false)
	if got, want := digest(b), digest(gen(p, 8, false, "refill", "second")); got != want {
		t.Fatalf("refilled batch digest %s, fresh %s", got, want)
	}
}

func TestGenerateAllocatesNothing(t *testing.T) {
	for _, c := range []struct {
		task string
		edit func(*Params)
	}{
		{"flipflop", nil}, {"dd", func(p *Params) { p.Aux = true }}, {"sine", nil},
		{"pi", nil}, {"pi", func(p *Params) { p.Dims = 3 }},
	} {
		t.Run(c.task, func(t *testing.T) {
			p := withEdit(t, c.task, c.edit)
			b := NewBatch(p, 16, false)
			rng := rand.New(rand.NewPCG(1, 2))
			if n := testing.AllocsPerRun(20, func() { Generate(p, b, rng, false) }); n != 0 {
				t.Fatalf("Generate allocates %v per call, want 0", n)
			}
		})
	}
}

func TestGenerateRejectsMismatchedBatch(t *testing.T) {
	p := mustDefaults(t, "sine")
	for _, c := range []struct {
		name string
		b    *Batch
	}{
		{"ood batch, training call", NewBatch(p, 2, true)},
		{"other task", NewBatch(mustDefaults(t, "pi"), 2, false)},
		{"short X", &Batch{B: 2, T: 100, In: 1, Out: 1, X: make([]float32, 10), Y: make([]float32, 200)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("Generate did not panic")
				}
			}()
			Generate(p, c.b, seed.New("x"), false)
		})
	}
}
