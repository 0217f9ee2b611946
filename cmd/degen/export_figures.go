package main

import (
	"encoding/base64"
	"fmt"
	"path"
	"strings"

	"degen/artifacts"
	"degen/pipeline"
	"degen/stages"
)

func init() { exportHooks = append(exportHooks, exportFigures) }

// exportFigures lays the figures and report actions out for a browser:
// every file packed in their files and png tables at results/<path>
// (figures/<study>/<name>.svg|png, figures/table1.*, index.html), and each
// data table beside its figure as figures/<study>/<name>.parquet
// (figures/table1.parquet for Table 1), so index.html's relative links
// resolve. The Hive-partitioned copies of the data tables stay too; the
// packed tables themselves are not exported (packedFiles).
func exportFigures(items []*pipeline.PlanItem, st *artifacts.Store) ([]exportJob, error) {
	var js []exportJob
	for _, it := range items {
		if it.State != pipeline.Cached {
			continue
		}
		var dir string
		switch a := it.Node.Action; a.Stage.(type) {
		case stages.Figures:
			p, ok := a.Params.(stages.FiguresParams)
			if !ok {
				return nil, fmt.Errorf("export: figures action %s has params %T", it.ID, a.Params)
			}
			dir = stages.StudyDir(p.Study)
		case stages.Report:
			dir = "figures"
		default:
			continue
		}
		more, err := figureJobs(it, st, dir)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", it.Node.Action.Label, err)
		}
		js = append(js, more...)
	}
	return js, nil
}

func figureJobs(it *pipeline.PlanItem, st *artifacts.Store, dir string) ([]exportJob, error) {
	stage, action := it.Node.Action.Stage.Name(), it.ID.String()
	var js []exportJob
	for _, o := range it.Entry.Outputs {
		if !packedFiles(stage, o.Name) {
			js = append(js, exportJob{Rel: dir + "/" + o.Name + ".parquet", Object: o, Stage: stage, Action: action})
			continue
		}
		// The paths are read here (ReadTable re-hashes the object); the
		// files are decoded when the object is placed, after the same check.
		t, _, err := st.ReadTable(o)
		if err != nil {
			return nil, err
		}
		pc := t.Col("path")
		if pc == nil || len(pc.Strs) != t.Rows() {
			return nil, fmt.Errorf("files table %s: no path column", o.ID)
		}
		for r, p := range pc.Strs {
			if err := cleanRel(p); err != nil {
				return nil, fmt.Errorf("files table %s row %d: %w", o.ID, r, err)
			}
			js = append(js, exportJob{Rel: p, Object: o, Stage: stage, Action: action, Unpack: true, Row: r})
		}
	}
	return js, nil
}

// packedFiles reports the outputs that are files packed in a table (SVG,
// PNG, HTML, Markdown): exported as the files, not as a table.
func packedFiles(stage, output string) bool {
	return (stage == stages.Figures{}.Name() || stage == stages.Report{}.Name()) &&
		(output == stages.OutFiles || output == stages.OutPNG)
}

// cleanRel accepts a path only if it is relative and stays inside --out.
func cleanRel(p string) error {
	if clean := path.Clean(p); clean != p || path.IsAbs(p) || strings.HasPrefix(p, "../") || p == ".." {
		return fmt.Errorf("path %q is not a clean relative path", p)
	}
	return nil
}

// unpackRow decodes file j.Row of the files table t (path, encoding,
// content).
func unpackRow(t *artifacts.Table, j exportJob) ([]byte, error) {
	pc, ec, cc := t.Col("path"), t.Col("encoding"), t.Col("content")
	if pc == nil || ec == nil || cc == nil || j.Row >= len(pc.Strs) || j.Row >= len(ec.Strs) || j.Row >= len(cc.Strs) || pc.Strs[j.Row] != j.Rel {
		return nil, fmt.Errorf("files table: want columns path, encoding, content with %s at row %d", j.Rel, j.Row)
	}
	if ec.Strs[j.Row] == stages.EncodingBase64 {
		return base64.StdEncoding.DecodeString(cc.Strs[j.Row])
	}
	return []byte(cc.Strs[j.Row]), nil
}
