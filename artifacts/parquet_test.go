package artifacts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.parquet")

// goldenSHA256 pins the bytes of testdata/golden.parquet. If an arrow-go or
// klauspost/compress upgrade changes it, every OutputID in every store
// changes: decide deliberately (bump CreatedBy, note it in docs/store.md),
// then run go test ./artifacts -run Golden -update and paste the new sum.
const goldenSHA256 = "b91552ccffa85e093f6d378f41b729702905375e437d9371f14810e5e114ca2d"

func sampleTable() *Table {
	return &Table{Columns: []Column{
		DictCol("task", []string{"sine", "flipflop", "sine", "dd", "flipflop"}),
		Int64Col("seed", []int64{0, 1, -2, math.MaxInt64, math.MinInt64}),
		Float32Col("loss", []float32{0.5, float32(math.Inf(1)), -0, 1e-38, float32(math.NaN())}),
		Float64Col("dsa", []float64{math.Pi, math.SmallestNonzeroFloat64, -1, math.NaN(), 1e300}),
		StringCol("note", []string{"", "ünïcödé", "tab\there", "a", "a"}),
		BoolCol("converged", []bool{true, false, false, true, true}),
	}}
}

var sampleMeta = []KV{{"pipeline.stage", "train"}, {"pipeline.action_id", hexA}, {"a.first.in.alphabet", "but last in order"}}

func writeBytes(t testing.TB, tbl *Table, meta []KV) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tbl, meta); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sameTable compares tables bit for bit (NaN == NaN, -0 != +0) and treats a
// nil slice like an empty one.
func sameTable(a, b *Table) bool {
	if len(a.Columns) != len(b.Columns) {
		return false
	}
	for i := range a.Columns {
		x, y := a.Columns[i], b.Columns[i]
		if x.Name != y.Name || x.Kind != y.Kind || x.Len() != y.Len() {
			return false
		}
		for r := 0; r < x.Len(); r++ {
			if !sameCell(&x, &y, r) {
				return false
			}
		}
	}
	return true
}

func sameCell(x, y *Column, r int) bool {
	switch x.Kind {
	case Int64:
		return x.Ints[r] == y.Ints[r]
	case Float32:
		return math.Float32bits(x.F32[r]) == math.Float32bits(y.F32[r])
	case Float64:
		return math.Float64bits(x.F64[r]) == math.Float64bits(y.F64[r])
	case String, Dict:
		return x.Strs[r] == y.Strs[r]
	case Bool:
		return x.Bools[r] == y.Bools[r]
	}
	return false
}

func TestParquetRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		tbl  *Table
		meta []KV
	}{
		{"every kind", sampleTable(), sampleMeta},
		{"no metadata", sampleTable(), nil},
		{"zero rows", &Table{Columns: []Column{Int64Col("a", nil), DictCol("b", []string{}), Float32Col("c", nil), BoolCol("d", nil)}}, nil},
		{"no columns", &Table{}, nil},
		{"dotted name", &Table{Columns: []Column{Float64Col("a.b", []float64{1, 2}), Int64Col("c", []int64{3, 4})}}, nil},
		{"one dict value", &Table{Columns: []Column{DictCol("only", []string{"x", "x", "x"})}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := writeBytes(t, tt.tbl, tt.meta)
			got, meta, err := ReadParquet(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if !sameTable(got, tt.tbl) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, tt.tbl)
			}
			if len(meta) != len(tt.meta) || len(meta) > 0 && !reflect.DeepEqual(meta, tt.meta) {
				t.Errorf("metadata = %q, want %q (in order)", meta, tt.meta)
			}
		})
	}
}

func TestParquetDeterministic(t *testing.T) {
	first := writeBytes(t, sampleTable(), sampleMeta)
	for i := range 3 {
		if again := writeBytes(t, sampleTable(), sampleMeta); !bytes.Equal(again, first) {
			t.Fatalf("write %d differs from the first (%d vs %d bytes)", i+2, len(again), len(first))
		}
	}
	other := []KV{sampleMeta[1], sampleMeta[0], sampleMeta[2]}
	if bytes.Equal(writeBytes(t, sampleTable(), other), first) {
		t.Errorf("metadata order does not reach the bytes; it should (order is part of the artifact)")
	}
}

func TestParquetGolden(t *testing.T) {
	path := filepath.Join("testdata", "golden.parquet")
	b := writeBytes(t, sampleTable(), sampleMeta)
	sum := sha256.Sum256(b)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s; set goldenSHA256 = %q", path, hex.EncodeToString(sum[:]))
		return
	}
	if got := hex.EncodeToString(sum[:]); got != goldenSHA256 {
		t.Errorf("WriteParquet(sample) has SHA-256 %s, want %s: the encoding changed (library upgrade?)", got, goldenSHA256)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("WriteParquet(sample) differs from %s", path)
	}
	// The checked-in file must also read back as the table.
	got, meta, err := ReadParquetFile(path)
	if err != nil || !sameTable(got, sampleTable()) || !reflect.DeepEqual(meta, sampleMeta) {
		t.Errorf("ReadParquetFile(%s) = %+v, %q, %v; want the sample", path, got, meta, err)
	}
}

// TestParquetArrowTypes checks what Python and R will see: non-nullable
// fields, dictionary<int32, utf8> with categories in first-appearance order,
// the pinned created-by, and key-value metadata after ARROW:schema.
func TestParquetArrowTypes(t *testing.T) {
	b := writeBytes(t, sampleTable(), sampleMeta)
	rdr, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	if got := rdr.MetaData().GetCreatedBy(); got != CreatedBy {
		t.Errorf("created_by = %q, want %q", got, CreatedBy)
	}
	if keys := rdr.MetaData().KeyValueMetadata().Keys(); len(keys) != 4 || keys[0] != "ARROW:schema" || keys[1] != "pipeline.stage" {
		t.Errorf("key-value metadata keys = %q, want ARROW:schema then the given order", keys)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	at, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	wantTypes := []string{"dictionary<values=utf8, indices=int32, ordered=false>", "int64", "float32", "float64", "utf8", "bool"}
	for i, f := range at.Schema().Fields() {
		if f.Nullable || f.Type.String() != wantTypes[i] {
			t.Errorf("field %s: %s nullable=%v, want %s non-nullable", f.Name, f.Type, f.Nullable, wantTypes[i])
		}
	}
	dict := at.Column(0).Data().Chunk(0).(*array.Dictionary).Dictionary().(*array.String)
	var cats []string
	for i := range dict.Len() {
		cats = append(cats, dict.Value(i))
	}
	if want := []string{"sine", "flipflop", "dd"}; !reflect.DeepEqual(cats, want) {
		t.Errorf("dictionary = %q, want %q (first appearance)", cats, want)
	}
}

func TestParquetRowGroups(t *testing.T) {
	n := maxRowGroup + 1000
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(i)
	}
	tbl := &Table{Columns: []Column{Int64Col("i", v)}}
	b := writeBytes(t, tbl, nil)
	rdr, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := rdr.NumRowGroups(); got != 2 {
		t.Errorf("%d rows in %d row groups, want 2", n, got)
	}
	rdr.Close()
	got, _, err := ReadParquet(bytes.NewReader(b), int64(len(b)))
	if err != nil || !sameTable(got, tbl) {
		t.Errorf("round trip of %d rows failed (%v)", n, err)
	}
}

func TestParquetRejects(t *testing.T) {
	tests := []struct {
		name string
		tbl  *Table
		meta []KV
	}{
		{"ragged", &Table{Columns: []Column{Int64Col("a", []int64{1}), Int64Col("b", nil)}}, nil},
		{"repeated column", &Table{Columns: []Column{Int64Col("a", nil), Int64Col("a", nil)}}, nil},
		{"unknown kind", &Table{Columns: []Column{{Name: "a", Kind: Kind(99)}}}, nil},
		{"reserved key", sampleTable(), []KV{{"ARROW:schema", "x"}}},
		{"repeated key", sampleTable(), []KV{{"k", "1"}, {"k", "2"}}},
		{"empty key", sampleTable(), []KV{{"", "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteParquet(new(bytes.Buffer), tt.tbl, tt.meta); err == nil {
				t.Errorf("WriteParquet succeeded, want an error")
			}
		})
	}
}

func TestReadParquetMalformed(t *testing.T) {
	good := writeBytes(t, sampleTable(), sampleMeta)
	for _, n := range []int{0, 4, 100, len(good) - 9, len(good) - 1} {
		b := good[:n]
		if _, _, err := ReadParquet(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("ReadParquet of the first %d of %d bytes succeeded, want an error", n, len(good))
		}
	}
}

func TestPutReadTable(t *testing.T) {
	s, _ := newStore(t)
	id, n, err := s.PutTable(sampleTable(), sampleMeta)
	if err != nil {
		t.Fatal(err)
	}
	if want := writeBytes(t, sampleTable(), sampleMeta); id != HashBytes(want) || n != int64(len(want)) {
		t.Fatalf("PutTable = %s, %d; want the hash and size of WriteParquet's bytes", id, n)
	}
	o := Output{Name: "t", ID: id, Size: n}
	got, meta, err := s.ReadTable(o)
	if err != nil || !sameTable(got, sampleTable()) || !reflect.DeepEqual(meta, sampleMeta) {
		t.Fatalf("ReadTable = %v, %q, %v; want the sample", got, meta, err)
	}
	p := s.ObjectPath(id)
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0x40
	os.Chmod(p, 0o644)
	os.WriteFile(p, b, 0o644)
	if _, _, err := s.ReadTable(o); !errors.Is(err, ErrIntegrity) {
		t.Errorf("ReadTable of a flipped byte: err = %v, want ErrIntegrity", err)
	}
}
