package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"degen/artifacts"
	"degen/pipeline"
	"degen/stages"
)

// exportFigures lays the figures and report actions out for a browser:
// every file packed in their files and png tables at results/<path>
// (figures/<study>/<name>.svg|png, figures/table1.*, index.html), and each
// data table beside its figure as figures/<study>/<name>.parquet
// (figures/table1.parquet for Table 1), so index.html's relative links
// resolve. The Hive-partitioned copies export makes of the same tables stay
// where they are.
func exportFigures(items []*pipeline.PlanItem, st *artifacts.Store, out string, copyFiles bool) error {
	for _, it := range items {
		if it.State != pipeline.Cached {
			continue
		}
		var dir string
		switch a := it.Node.Action; a.Stage.(type) {
		case stages.Figures:
			p, ok := a.Params.(stages.FiguresParams)
			if !ok {
				return fmt.Errorf("export: figures action %s has params %T", it.ID, a.Params)
			}
			dir = stages.StudyDir(p.Study)
		case stages.Report:
			dir = "figures"
		default:
			continue
		}
		if err := exportFigureAction(it.Entry, st, out, dir, copyFiles); err != nil {
			return fmt.Errorf("export %s: %w", it.Node.Action.Label, err)
		}
	}
	return nil
}

func exportFigureAction(e *artifacts.Entry, st *artifacts.Store, out, dir string, copyFiles bool) error {
	for _, o := range e.Outputs {
		if o.Name != stages.OutFiles && o.Name != stages.OutPNG {
			dst := filepath.Join(out, filepath.FromSlash(dir), o.Name+".parquet")
			if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
				return err
			}
			if err := place(st.ObjectPath(o.ID), dst, copyFiles); err != nil {
				return err
			}
			continue
		}
		t, _, err := st.ReadTable(o)
		if err != nil {
			return err
		}
		if err := unpackFiles(t, out); err != nil {
			return err
		}
	}
	return nil
}

// unpackFiles writes each row of a files table (path, encoding, content)
// under out. A path must be relative and stay inside out.
func unpackFiles(t *artifacts.Table, out string) error {
	pc, ec, cc := t.Col("path"), t.Col("encoding"), t.Col("content")
	if pc == nil || ec == nil || cc == nil || len(pc.Strs) != t.Rows() || len(ec.Strs) != t.Rows() || len(cc.Strs) != t.Rows() {
		return fmt.Errorf("files table: want columns path, encoding, content")
	}
	for r, p := range pc.Strs {
		if clean := path.Clean(p); clean != p || path.IsAbs(p) || strings.HasPrefix(p, "../") || p == ".." {
			return fmt.Errorf("files table row %d: path %q is not a clean relative path", r, p)
		}
		b := []byte(cc.Strs[r])
		if ec.Strs[r] == stages.EncodingBase64 {
			var err error
			if b, err = base64.StdEncoding.DecodeString(cc.Strs[r]); err != nil {
				return fmt.Errorf("files table row %d (%s): %w", r, p, err)
			}
		}
		dst := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o666); err != nil {
			return err
		}
	}
	return nil
}
