package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"degen/artifacts"
)

// An exporter writes one export into out from store.
type exporter struct {
	store *artifacts.Store
	out   string
	prev  map[string]bool // files the previous export wrote (MANIFEST.json)
}

// readTable reads and decodes a job's object once for all the jobs that
// export it (placeAll groups them). The store re-hashes it first
// (Store.ReadTable): a damaged object is quarantined, so the next run
// recomputes it, and nothing is written for it.
func (x *exporter) readTable(o artifacts.Output) (*artifacts.Table, []artifacts.KV, error) {
	t, kv, err := x.store.ReadTable(o)
	if errors.Is(err, artifacts.ErrIntegrity) {
		if qerr := x.store.QuarantineObject(o.ID); qerr != nil && !errors.Is(qerr, artifacts.ErrNotFound) {
			return nil, nil, qerr
		}
		return nil, nil, fmt.Errorf("%w; moved to quarantine", err)
	}
	return t, kv, err
}

// place writes one job's file from its object's table t: a file packed in
// it (Unpack), or the table with its place's columns. The file is always a
// new file, written under a temporary name and renamed into place, never a
// link into the store: a write into results/ cannot reach an object, and a
// reader never sees a half-written file.
func (x *exporter) place(t *artifacts.Table, kv []artifacts.KV, j exportJob) (*manifestFile, error) {
	var b []byte
	var err error
	if j.Unpack {
		b, err = unpackRow(t, j)
	} else {
		b, err = withPlaceColumns(t, kv, j)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", j.Rel, err)
	}
	dst := nativePath(x.out, j.Rel)
	if err := writeAtomic(dst, b); err != nil {
		return nil, fmt.Errorf("export %s: %w", dst, err)
	}
	sum := sha256.Sum256(b)
	return &manifestFile{Path: j.Rel, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)),
		Object: j.Object.ID.String(), Stage: j.Stage, Output: j.Object.Name, Action: j.Action}, nil
}

// withPlaceColumns encodes a table with the typed columns of its place
// (exportColumns) and the object it came from in its metadata
// (degen.object), through the one Parquet writer. t is shared by the
// object's jobs and left as it was.
func withPlaceColumns(t *artifacts.Table, kv []artifacts.KV, j exportJob) ([]byte, error) {
	out := &artifacts.Table{Columns: append(slices.Clip(t.Columns), exportColumns(t, j)...)}
	kv = append(slices.Clip(kv), artifacts.KV{Key: "degen.object", Value: j.Object.ID.String()})
	var buf bytes.Buffer
	if err := artifacts.WriteParquet(&buf, out, kv); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// exportColumns are the columns an exported table gains, constant within
// the file. Partition values (study=…, factor_level=…) are strings in the
// path, and readers guess their type per folder (DuckDB reads factor_level
// as BIGINT, VARCHAR or BOOLEAN depending on which studies are present), so
// the level is also given typed: factor_value_f64 (a number; true/false as
// 1/0; NaN when the level is not numeric or nothing is varied). network is
// added to per-network tables that do not carry it already.
func exportColumns(t *artifacts.Table, j exportJob) []artifacts.Column {
	rows := t.Rows()
	var cols []artifacts.Column
	for _, a := range j.Attrs {
		if a.Key == "factor_level" && t.Col("factor_value_f64") == nil {
			cols = append(cols, artifacts.Float64Col("factor_value_f64", repeat(levelValue(a.Value), rows)))
		}
	}
	if j.Network != "" && t.Col("network") == nil {
		cols = append(cols, artifacts.StringCol("network", repeat(j.Network, rows)))
	}
	return cols
}

// levelValue is a factor level as a number: the varied key's value when it
// is numeric, 1/0 for true/false, NaN otherwise ("none", "mup").
func levelValue(level string) float64 {
	switch level {
	case "true":
		return 1
	case "false":
		return 0
	}
	if v, err := strconv.ParseFloat(level, 64); err == nil {
		return v
	}
	return math.NaN()
}

func repeat[T any](v T, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// writeAtomic writes b to path through a temporary file in the same
// directory: fsync, close, then rename, so a crash leaves the old file or
// the new one. The mode is 0666 less the umask, like any file a user makes.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	var r [6]byte
	rand.Read(r[:])
	tmp := filepath.Join(dir, tmpPrefix+hex.EncodeToString(r[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// tmpPrefix names export temp files; a crash may leave some, and the next
// export removes them from the folders it writes.
const tmpPrefix = ".degen-export-tmp-"
