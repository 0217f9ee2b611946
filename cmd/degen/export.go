package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "export",
		usage: "[--out DIR] [--copy]",
		help:  "lay out cached results as Hive-partitioned Parquet (<out>/<stage>_<output>/key=value/…); the store stays the source of truth",
		run:   runExport,
	})
}

// exportMarker marks a directory as ours, so re-exporting may replace it.
const exportMarker = ".degen-export"

func runExport(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["export"], stderr)
	cf.register(fs)
	out := fs.String("out", "results", "output directory")
	copyFiles := fs.Bool("copy", false, "copy files instead of hard-linking them")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, st, err := cf.stored()
	if err != nil {
		return err
	}
	items, err := s.Plan(st, nil)
	if err != nil {
		return err
	}
	if err := resetExportDir(*out); err != nil {
		return err
	}
	files, pending := 0, 0
	for _, it := range items {
		if it.State != pipeline.Cached {
			pending++
			continue
		}
		for _, o := range it.Entry.Outputs {
			for _, where := range it.Node.Places {
				dir := filepath.Join(*out, it.Node.Action.Stage.Name()+"_"+o.Name)
				for _, a := range where {
					dir = filepath.Join(dir, hiveEscape(a.Key)+"="+hiveEscape(a.Value))
				}
				if err := os.MkdirAll(dir, 0o777); err != nil {
					return err
				}
				dst := filepath.Join(dir, "part-"+it.ID.String()[:16]+".parquet")
				if err := place(st.ObjectPath(o.ID), dst, *copyFiles); err != nil {
					return err
				}
				files++
			}
		}
	}
	if err := exportFigures(items, st, *out, *copyFiles); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d files to %s", files, *out)
	if pending > 0 {
		fmt.Fprintf(stdout, " (%d actions not computed yet)", pending)
	}
	fmt.Fprintln(stdout)
	return nil
}

func resetExportDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		if _, err := os.Stat(filepath.Join(dir, exportMarker)); err != nil {
			return fmt.Errorf("%s exists and was not made by degen export; choose another --out", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, exportMarker), []byte("made by degen export; safe to delete\n"), 0o666)
}

// place hard-links src to dst (the store's objects are immutable), copying
// when linking is impossible (another filesystem) or asked for.
func place(src, dst string, copyFile bool) error {
	if !copyFile {
		err := os.Link(src, dst)
		if err == nil || errors.Is(err, os.ErrExist) {
			return nil
		}
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	outF, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(outF, in); err != nil {
		outF.Close()
		return err
	}
	return outF.Close()
}

// hiveEscape makes a value safe as one key=value path segment.
func hiveEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "=", "%3D")
}
