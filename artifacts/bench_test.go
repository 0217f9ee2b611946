package artifacts

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

const benchSize = 100 << 20 // "100 MB": the size of a large trajectories table

// benchFile writes benchSize pseudo-random (incompressible) bytes next to
// the store, so the comparison with cp is on the same disk.
func benchFile(b *testing.B, dir string) string {
	b.Helper()
	path := filepath.Join(dir, "src.bin")
	buf := make([]byte, benchSize)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+8 <= len(buf); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			buf[i+j] = byte(v >> (8 * j))
		}
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchStore(b *testing.B) (*Store, string) {
	dir := b.TempDir()
	s, err := Open(filepath.Join(dir, "store"))
	if err != nil {
		b.Fatal(err)
	}
	return s, benchFile(b, dir)
}

func benchPut(b *testing.B, s *Store, src string) Output {
	f, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	id, n, err := s.Put(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	return Output{Name: "bench", ID: id, Size: n}
}

func benchGet(b *testing.B, s *Store, o Output) {
	f, err := s.OpenObject(o)
	if err != nil {
		b.Fatal(err)
	}
	_, err = io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, make([]byte, copyBufSize))
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPutGet100MB is one store round trip of a new 100 MB object: Put
// (copy + SHA-256 + fsync + link) then a full read through OpenObject.
// Compare with cp of the same file (docs/perf.md).
func BenchmarkPutGet100MB(b *testing.B) {
	s, src := benchStore(b)
	b.SetBytes(benchSize)
	for b.Loop() {
		o := benchPut(b, s, src)
		benchGet(b, s, o)
		b.StopTimer()
		os.Remove(s.ObjectPath(o.ID)) // so the next Put installs, not dedups
		b.StartTimer()
	}
}

// BenchmarkPut100MB is Put alone.
func BenchmarkPut100MB(b *testing.B) {
	s, src := benchStore(b)
	b.SetBytes(benchSize)
	for b.Loop() {
		o := benchPut(b, s, src)
		b.StopTimer()
		os.Remove(s.ObjectPath(o.ID))
		b.StartTimer()
	}
}

// BenchmarkVerify100MB is a full re-hash (degen verify, ReadTable).
func BenchmarkVerify100MB(b *testing.B) {
	s, src := benchStore(b)
	o := benchPut(b, s, src)
	b.SetBytes(benchSize)
	for b.Loop() {
		if err := s.VerifyObject(o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteParquet1M writes a typical trajectories-like table: a
// dictionary column, an int64 time step and float32 values, 1 Mi rows.
func BenchmarkWriteParquet1M(b *testing.B) {
	const n = 1 << 20
	cond := make([]string, n)
	step := make([]int64, n)
	val := make([]float32, n)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		cond[i] = []string{"sine", "flipflop", "dd", "pi"}[i/(n/4)]
		step[i] = int64(i % 500)
		val[i] = float32(r.NormFloat64())
	}
	tbl := &Table{Columns: []Column{DictCol("task", cond), Int64Col("t", step), Float32Col("value", val)}}
	b.SetBytes(int64(n * (4 + 8 + 4)))
	for b.Loop() {
		if err := WriteParquet(io.Discard, tbl, nil); err != nil {
			b.Fatal(err)
		}
	}
}
