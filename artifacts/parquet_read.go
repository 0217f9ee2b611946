package artifacts

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ReadParquetFile reads the Parquet file at path; see ReadParquet.
func ReadParquetFile(path string) (*Table, []KV, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read parquet: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("read parquet: %w", err)
	}
	t, kv, err := ReadParquet(f, fi.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, kv, nil
}

// ReadParquet reads a Parquet file of size bytes: its table and its
// key-value metadata (without ARROW:schema), in file order. It reads any
// file whose columns have the types WriteParquet writes (large_string is
// read as String) and no nulls, so files from pyarrow or R round-trip too.
func ReadParquet(r io.ReaderAt, size int64) (t *Table, kv []KV, err error) {
	// arrow-go has panicked on malformed files before (its 2026 hardening
	// releases turned many such panics into errors); a bad file must be an
	// error for the caller, not a crash of a whole worker.
	defer func() {
		if p := recover(); p != nil {
			t, kv, err = nil, nil, fmt.Errorf("read parquet: malformed file: %v", p)
		}
	}()
	rdr, err := file.NewParquetReader(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, nil, fmt.Errorf("read parquet: %w", err)
	}
	defer rdr.Close()
	t, err = readTable(rdr)
	if err != nil {
		return nil, nil, fmt.Errorf("read parquet: %w", err)
	}
	return t, readMeta(rdr), nil
}

func readMeta(rdr *file.Reader) []KV {
	md := rdr.MetaData().KeyValueMetadata()
	var kv []KV
	for i, k := range md.Keys() {
		if k != arrowSchemaKey {
			kv = append(kv, KV{Key: k, Value: md.Values()[i]})
		}
	}
	return kv
}

func readTable(rdr *file.Reader) (*Table, error) {
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	at, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, err
	}
	defer at.Release()
	t := &Table{Columns: make([]Column, at.NumCols())}
	for i := range t.Columns {
		col := at.Column(i)
		c, err := fromChunked(col.Name(), col.Data())
		if err != nil {
			return nil, err
		}
		t.Columns[i] = c
	}
	return t, t.Validate()
}

func fromChunked(name string, ch *arrow.Chunked) (Column, error) {
	if ch.NullN() > 0 {
		return Column{}, fmt.Errorf("column %q has %d nulls; degen tables have none", name, ch.NullN())
	}
	c := Column{Name: name}
	for _, a := range ch.Chunks() {
		if err := appendArray(&c, a); err != nil {
			return Column{}, fmt.Errorf("column %q: %w", name, err)
		}
	}
	if ch.Len() == 0 {
		// Set Kind (and non-nil slices) even for an empty column.
		k, err := kindOf(ch.DataType())
		if err != nil {
			return Column{}, fmt.Errorf("column %q: %w", name, err)
		}
		c.Kind = k
	}
	return c, nil
}

func kindOf(typ arrow.DataType) (Kind, error) {
	switch typ.ID() {
	case arrow.INT64:
		return Int64, nil
	case arrow.FLOAT32:
		return Float32, nil
	case arrow.FLOAT64:
		return Float64, nil
	case arrow.STRING, arrow.LARGE_STRING:
		return String, nil
	case arrow.DICTIONARY:
		if dt := typ.(*arrow.DictionaryType); isStringType(dt.ValueType) {
			return Dict, nil
		}
	case arrow.BOOL:
		return Bool, nil
	}
	return 0, fmt.Errorf("arrow type %s has no degen column kind (int64, float32, float64, string, dictionary<int32,string>, bool)", typ)
}

func isStringType(t arrow.DataType) bool {
	return t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING
}

// stringer is what *array.String and *array.LargeString have in common.
type stringer interface {
	arrow.Array
	Value(int) string
}

func appendArray(c *Column, a arrow.Array) error {
	k, err := kindOf(a.DataType())
	if err != nil {
		return err
	}
	c.Kind = k
	switch a := a.(type) {
	case *array.Int64:
		c.Ints = append(c.Ints, a.Int64Values()...)
	case *array.Float32:
		c.F32 = append(c.F32, a.Float32Values()...)
	case *array.Float64:
		c.F64 = append(c.F64, a.Float64Values()...)
	case *array.Boolean:
		for i := 0; i < a.Len(); i++ {
			c.Bools = append(c.Bools, a.Value(i))
		}
	case *array.Dictionary:
		dict := a.Dictionary().(stringer)
		for i := 0; i < a.Len(); i++ {
			c.Strs = append(c.Strs, dict.Value(a.GetValueIndex(i)))
		}
	case stringer:
		for i := 0; i < a.Len(); i++ {
			c.Strs = append(c.Strs, a.Value(i))
		}
	default:
		return fmt.Errorf("unexpected array %T", a)
	}
	return nil
}
