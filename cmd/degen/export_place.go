package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"degen/artifacts"
)

// An exporter writes one export into out from store.
type exporter struct {
	store *artifacts.Store
	out   string
	prev  map[string]bool // files the previous export wrote (MANIFEST.json)
}

// place writes one job's file. The object is read whole and re-hashed
// first: a damaged object is quarantined (so the next run recomputes it)
// and nothing is written for it. The file is always a new file, written
// under a temporary name and renamed into place, never a link into the
// store: a write into results/ cannot reach an object, and a reader never
// sees a half-written file.
func (x *exporter) place(j exportJob) (*manifestFile, error) {
	b, err := x.readVerified(j.Object)
	if err != nil {
		return nil, err
	}
	if j.Unpack {
		if b, err = unpackRow(b, j); err != nil {
			return nil, fmt.Errorf("%s: %w", j.Rel, err)
		}
	} else if bytes.HasPrefix(b, []byte("PAR1")) {
		if b, err = withPlaceColumns(b, j); err != nil {
			return nil, fmt.Errorf("%s: %w", j.Rel, err)
		}
	}
	dst := nativePath(x.out, j.Rel)
	if err := writeAtomic(dst, b); err != nil {
		return nil, fmt.Errorf("export %s: %w", dst, err)
	}
	sum := sha256.Sum256(b)
	return &manifestFile{Path: j.Rel, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)),
		Object: j.Object.ID.String(), Stage: j.Stage, Output: j.Object.Name, Action: j.Action}, nil
}

// readVerified returns the object's bytes if they hash to its name and
// number its recorded size; otherwise it quarantines the object.
func (x *exporter) readVerified(o artifacts.Output) ([]byte, error) {
	f, err := x.store.OpenObject(o)
	if err != nil {
		if isIntegrity(err) {
			x.store.QuarantineObject(o.ID)
		}
		return nil, err
	}
	defer f.Close()
	b := make([]byte, o.Size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("read object %s: %w", o.ID, err)
	}
	if got := artifacts.HashBytes(b); got != o.ID {
		if qerr := x.store.QuarantineObject(o.ID); qerr != nil {
			return nil, qerr
		}
		return nil, fmt.Errorf("object %s (%s) hashes to %s, moved to quarantine: %w", o.ID, o.Name, got, artifacts.ErrIntegrity)
	}
	return b, nil
}

// withPlaceColumns re-encodes a table with the typed columns of its place
// (exportColumns) and the object it came from in its metadata
// (degen.object), through the one Parquet writer.
func withPlaceColumns(b []byte, j exportJob) ([]byte, error) {
	t, kv, err := artifacts.ReadParquet(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	t.Columns = append(t.Columns, exportColumns(t, j)...)
	kv = append(kv, artifacts.KV{Key: "degen.object", Value: j.Object.ID.String()})
	var buf bytes.Buffer
	if err := artifacts.WriteParquet(&buf, t, kv); err != nil {
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
