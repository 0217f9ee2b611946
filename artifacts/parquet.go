package artifacts

import (
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// A KV is one key-value metadata pair of a Parquet file (provenance:
// pipeline.action_id, pipeline.params, ...). Order is kept.
type KV struct{ Key, Value string }

// Writer settings. Every one that can change the bytes is pinned here, not
// left to a library default, because the bytes are the OutputID: an arrow-go
// upgrade that changes a default must not silently change every key
// downstream. The golden test in parquet_test.go catches what pinning can't.
const (
	// CreatedBy replaces arrow-go's default "parquet-go version <v>", which
	// would change every file's bytes on each library upgrade. Bump the
	// suffix when the encoding below changes on purpose.
	CreatedBy = "degen parquet v1"

	// zstdLevel 3 is zstd's own default: most of level 9's ratio on
	// float data at several times the speed.
	zstdLevel = 3

	// maxRowGroup follows pyarrow's default since apache/arrow#34280
	// (1 Mi rows): big enough for good compression and column statistics,
	// small enough that readers can skip row groups.
	maxRowGroup = 1 << 20

	dataPageSize  = 1 << 20
	writeBatch    = 1024
	parquetFormat = parquet.V2_6 // not V2_LATEST: that moves with the library
)

// arrowSchemaKey is where pqarrow stores the Arrow schema (WithStoreSchema);
// it is not user metadata.
const arrowSchemaKey = "ARROW:schema"

// WriteParquet writes t as one Parquet file to w, with meta as the file's
// key-value metadata in the given order (after ARROW:schema). The same
// table and metadata always give the same bytes. Columns are non-nullable;
// Dict columns become dictionary<int32, utf8> (a pandas Categorical, an R
// factor) with categories in order of first appearance.
func WriteParquet(w io.Writer, t *Table, meta []KV) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	if err := checkMeta(meta); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	rec, err := toRecord(t)
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	defer rec.Release()
	if err := writeRecord(w, rec, t, meta); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

func writeRecord(w io.Writer, rec arrow.RecordBatch, t *Table, meta []KV) error {
	// Hide w's Close: FileWriter.Close closes a writer that has one, and
	// the caller owns w.
	sink := struct{ io.Writer }{w}
	fw, err := pqarrow.NewFileWriter(rec.Schema(), sink, writerProps(t), pqarrow.NewArrowWriterProperties(
		pqarrow.WithStoreSchema(), pqarrow.WithAllocator(memory.DefaultAllocator)))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	for _, kv := range meta {
		if err := fw.AppendKeyValueMetadata(kv.Key, kv.Value); err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}

func writerProps(t *Table) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithCreatedBy(CreatedBy),
		parquet.WithVersion(parquetFormat),
		parquet.WithDataPageVersion(parquet.DataPageV1),
		parquet.WithDataPageSize(dataPageSize),
		parquet.WithBatchSize(writeBatch),
		parquet.WithMaxRowGroupLength(maxRowGroup),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(zstdLevel),
		parquet.WithStats(true),
		parquet.WithDictionaryDefault(true),
		parquet.WithAllocator(memory.DefaultAllocator),
	}
	for _, c := range t.Columns {
		if c.Kind == Float32 || c.Kind == Float64 {
			// Trained weights and trajectories almost never repeat a value:
			// a dictionary would be built, overflow and be thrown away.
			opts = append(opts, parquet.WithDictionaryPath(parquet.ColumnPath{c.Name}, false))
		}
	}
	return parquet.NewWriterProperties(opts...)
}

func checkMeta(meta []KV) error {
	seen := make(map[string]bool, len(meta))
	for _, kv := range meta {
		switch {
		case kv.Key == "":
			return fmt.Errorf("metadata key is empty")
		case strings.HasPrefix(kv.Key, "ARROW:"):
			return fmt.Errorf("metadata key %q: the ARROW: prefix is reserved for Arrow", kv.Key)
		case seen[kv.Key]:
			return fmt.Errorf("metadata key %q repeated", kv.Key)
		}
		seen[kv.Key] = true
	}
	return nil
}

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// arrowType is the one Arrow type of each Kind (docs/schema.md).
func arrowType(k Kind) (arrow.DataType, error) {
	switch k {
	case Int64:
		return arrow.PrimitiveTypes.Int64, nil
	case Float32:
		return arrow.PrimitiveTypes.Float32, nil
	case Float64:
		return arrow.PrimitiveTypes.Float64, nil
	case String:
		return arrow.BinaryTypes.String, nil
	case Dict:
		return dictType, nil
	case Bool:
		return arrow.FixedWidthTypes.Boolean, nil
	}
	return nil, fmt.Errorf("unknown column kind %v", k)
}

func toRecord(t *Table) (arrow.RecordBatch, error) {
	fields := make([]arrow.Field, len(t.Columns))
	cols := make([]arrow.Array, len(t.Columns))
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i := range t.Columns {
		c := &t.Columns[i]
		typ, err := arrowType(c.Kind)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		fields[i] = arrow.Field{Name: c.Name, Type: typ, Nullable: false}
		cols[i] = toArray(c)
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(t.Rows())), nil
}

// toArray converts a column; numeric columns share the slice's memory
// instead of copying (the Table outlives the write).
func toArray(c *Column) arrow.Array {
	switch c.Kind {
	case Int64:
		return fixedWidth(arrow.PrimitiveTypes.Int64, arrow.Int64Traits.CastToBytes(c.Ints), len(c.Ints))
	case Float32:
		return fixedWidth(arrow.PrimitiveTypes.Float32, arrow.Float32Traits.CastToBytes(c.F32), len(c.F32))
	case Float64:
		return fixedWidth(arrow.PrimitiveTypes.Float64, arrow.Float64Traits.CastToBytes(c.F64), len(c.F64))
	case String:
		return stringArray(c.Strs)
	case Dict:
		return dictArray(c.Strs)
	case Bool:
		b := array.NewBooleanBuilder(memory.DefaultAllocator)
		defer b.Release()
		b.AppendValues(c.Bools, nil)
		return b.NewArray()
	}
	panic("unreachable: kind checked by arrowType")
}

func fixedWidth(typ arrow.DataType, b []byte, n int) arrow.Array {
	data := array.NewData(typ, n, []*memory.Buffer{nil, memory.NewBufferBytes(b)}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

func stringArray(v []string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(v, nil)
	return b.NewArray()
}

// dictArray numbers categories in order of first appearance: a pure
// function of the column, unlike any order a map would give.
func dictArray(v []string) arrow.Array {
	code := make(map[string]int32)
	var cats []string
	idx := make([]int32, len(v))
	var k int32
	for i, s := range v {
		// Sorted tables repeat a category for long runs: skip the map then.
		if i == 0 || s != v[i-1] {
			var ok bool
			if k, ok = code[s]; !ok {
				k = int32(len(cats))
				code[s] = k
				cats = append(cats, s)
			}
		}
		idx[i] = k
	}
	indices := fixedWidth(arrow.PrimitiveTypes.Int32, arrow.Int32Traits.CastToBytes(idx), len(idx))
	defer indices.Release()
	dict := stringArray(cats)
	defer dict.Release()
	return array.NewDictionaryArray(dictType, indices, dict)
}
