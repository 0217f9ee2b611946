package stages

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"degen/artifacts"
	"degen/internal/figure"
)

// fileSet is the files output: every rendered file of an action.
type fileSet struct {
	path, format, encoding, content []string
}

// File encodings: text files are stored as written; PNGs as base64.
const (
	EncodingText   = "text"
	EncodingBase64 = "base64"
)

// addFigure renders fig as <base>.svg, or as <base>.png when raster.
func (f *fileSet) addFigure(base string, fig *figure.Figure, raster bool) error {
	if !raster {
		svg, err := fig.SVG()
		if err != nil {
			return err
		}
		f.addText(base+".svg", "svg", string(svg))
		return nil
	}
	png, err := fig.PNG()
	if err != nil {
		return err
	}
	f.path, f.format = append(f.path, base+".png"), append(f.format, "png")
	f.encoding, f.content = append(f.encoding, EncodingBase64), append(f.content, base64.StdEncoding.EncodeToString(png))
	return nil
}

func (f *fileSet) addText(path, format, text string) {
	f.path, f.format = append(f.path, path), append(f.format, format)
	f.encoding, f.content = append(f.encoding, EncodingText), append(f.content, text)
}

func (f *fileSet) table() *artifacts.Table {
	return &artifacts.Table{Columns: []artifacts.Column{
		artifacts.StringCol("path", nonNil(f.path)),
		artifacts.DictCol("format", nonNil(f.format)),
		artifacts.DictCol("encoding", nonNil(f.encoding)),
		artifacts.StringCol("content", nonNil(f.content)),
	}}
}

// StudyDir is where a study's figures go, relative to results/.
func StudyDir(study string) string { return "figures/" + safeName(study) }

// safeName keeps a name usable as one path segment.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, s)
}

// Figure names of a study, in the order they are drawn.
var studyFigures = []string{"degeneracy", "mds", "feature_learning", "curves", "seeds"}

func drawStudy(p FiguresParams, d *figData) (*fileSet, error) {
	factor := p.Factor
	if factor == "" {
		factor = "task"
	}
	draws := map[string]func() *figure.Figure{
		"degeneracy":       func() *figure.Figure { return degeneracyFigure(p.Study, factor, d) },
		"mds":              func() *figure.Figure { return mdsFigure(p.Study, d) },
		"feature_learning": func() *figure.Figure { return featureFigure(p.Study, factor, d) },
		"curves":           func() *figure.Figure { return curvesFigure(p.Study, d) },
		"seeds":            func() *figure.Figure { return seedsFigure(p.Study, d) },
	}
	var fs fileSet
	for _, name := range studyFigures {
		if err := fs.addFigure(StudyDir(p.Study)+"/"+name, draws[name](), p.Raster); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return &fs, nil
}

// distinct lists a column's values (tasks, levels) in order of first
// appearance.
func distinct(col []string) []string {
	var out []string
	for _, t := range col {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// rows lists the row indices where keep holds, sorted by x.
func rows(x []float64, keep func(i int) bool) []int {
	var out []int
	for i := range x {
		if keep(i) {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return compareFloat(x[a], x[b]) })
	return out
}

// pick gathers v at idx.
func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

// plusMinus is the band m ± se.
func plusMinus(m, se []float64) (lo, hi []float64) {
	lo, hi = make([]float64, len(m)), make([]float64, len(m))
	for k := range m {
		lo[k], hi[k] = m[k]-se[k], m[k]+se[k]
	}
	return lo, hi
}

func ticks(d *figData) []figure.Tick {
	out := make([]figure.Tick, len(d.ticks))
	for i, t := range d.ticks {
		out[i] = figure.Tick{Value: t.x, Label: t.label}
	}
	return out
}

// degeneracyFigure is the paper's Figs 3, 4, 6–8: each level against the
// factor, a line per task with its band; the dynamics panel also has each
// task's DSA null floor, dashed.
func degeneracyFigure(study, factor string, d *figData) *figure.Figure {
	t := &d.degeneracy
	fig := &figure.Figure{Title: study + ": degeneracy vs " + factor}
	for _, lv := range FigLevels {
		pn := figure.Panel{Title: lv.level, XLabel: factor, YLabel: lv.label, XTicks: ticks(d)}
		for _, task := range distinct(t.task) {
			idx := rows(t.x, func(i int) bool { return t.task[i] == task && t.lvl[i] == lv.level })
			c := figure.TaskColor(task)
			pn.Series = append(pn.Series, figure.Series{Label: task, Color: c, X: pick(t.x, idx),
				Y: pick(t.value, idx), Lo: pick(t.bandLo, idx), Hi: pick(t.bandHi, idx)})
			if lv.level == LevelDynamics {
				m := pick(t.nullM, idx)
				lo, hi := plusMinus(m, pick(t.nullSE, idx))
				label := "" // one legend entry for every task's floor
				if task == distinct(t.task)[0] {
					label = "DSA null floor (dashed)"
				}
				pn.Series = append(pn.Series, figure.Series{Label: label, Color: c, X: pick(t.x, idx),
					Y: m, Lo: lo, Hi: hi, Dashed: true})
			}
		}
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// mdsFigure is Fig 3A: a panel per task, each condition's networks in the
// MDS plane of their DSA distances, coloured by factor level.
func mdsFigure(study string, d *figData) *figure.Figure {
	t := &d.mds
	fig := &figure.Figure{Title: study + ": MDS of DSA distances (each condition centred)"}
	levels := distinct(t.level)
	for _, task := range distinct(d.degeneracy.task) {
		pn := figure.Panel{Title: task, XLabel: "MDS 1", YLabel: "MDS 2"}
		for li, lvl := range levels {
			idx := rows(t.x, func(i int) bool { return t.task[i] == task && t.level[i] == lvl })
			if len(idx) == 0 {
				continue
			}
			pn.Series = append(pn.Series, figure.Series{Label: lvl, Color: figure.LevelColor(li, len(levels)),
				X: pick(t.d1, idx), Y: pick(t.d2, idx), Points: true})
		}
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// featureFigure is Fig 5: weight-change norm and kernel alignment against
// the factor, a line per task, ±1 SE.
func featureFigure(study, factor string, d *figData) *figure.Figure {
	t := &d.feature
	fig := &figure.Figure{Title: study + ": feature learning vs " + factor}
	for _, m := range []struct{ measure, label string }{
		{MeasureWeightChange, "‖W_T − W_0‖_F"}, {MeasureKernelAlignment, "kernel alignment (NTK)"},
	} {
		pn := figure.Panel{Title: m.measure, XLabel: factor, YLabel: m.label, XTicks: ticks(d)}
		for _, task := range distinct(t.task) {
			idx := rows(t.x, func(i int) bool { return t.task[i] == task && t.measure[i] == m.measure })
			mean := pick(t.mean, idx)
			lo, hi := plusMinus(mean, pick(t.se, idx))
			pn.Series = append(pn.Series, figure.Series{Label: task, Color: figure.TaskColor(task),
				X: pick(t.x, idx), Y: mean, Lo: lo, Hi: hi})
		}
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// curvesFigure: a panel per task, every network's loss by epoch (log
// scale), coloured by factor level. Drawn from the conditions' curves, the
// rows of the curves table before they were flattened.
func curvesFigure(study string, d *figData) *figure.Figure {
	fig := &figure.Figure{Title: study + ": training curves"}
	levels := distinct(d.curves.level)
	for _, task := range distinct(d.degeneracy.task) {
		pn := figure.Panel{Title: task, XLabel: "epoch", YLabel: "training MSE", LogY: true}
		for li, lvl := range levels {
			label := lvl // on the level's first line only
			for _, fc := range d.conds {
				if fc.c.Task != task || levelLabel(fc.c.Level) != lvl {
					continue
				}
				for _, c := range fc.curves {
					if len(c.epoch) == 0 {
						continue
					}
					ep := make([]float64, len(c.epoch))
					for i, e := range c.epoch {
						ep[i] = float64(e)
					}
					pn.Series = append(pn.Series, figure.Series{Label: label, Color: figure.LevelColor(li, len(levels)), X: ep, Y: c.loss})
					label = ""
				}
			}
		}
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// seedsFigure: seeds sufficiency, a panel per level, for each condition the
// estimate from k networks (mean and 95% interval over draws) against k.
func seedsFigure(study string, d *figData) *figure.Figure {
	t := &d.seeds
	fig := &figure.Figure{Title: study + ": degeneracy estimate vs number of networks"}
	for _, lv := range FigLevels {
		pn := figure.Panel{Title: lv.level, XLabel: "networks used (k)", YLabel: lv.label, XTicks: kTicks(t.k)}
		for _, task := range distinct(t.task) {
			for _, lvl := range distinct(t.level) {
				var idx []int
				for i := range t.k {
					if t.task[i] == task && t.level[i] == lvl && t.lvl[i] == lv.level {
						idx = append(idx, i)
					}
				}
				if len(idx) == 0 {
					continue
				}
				k := make([]float64, len(idx))
				for j, i := range idx {
					k[j] = float64(t.k[i])
				}
				label := task
				if lvl != "none" {
					label += " " + lvl
				}
				pn.Series = append(pn.Series, figure.Series{Label: label, Color: figure.TaskColor(task),
					X: k, Y: pick(t.mean, idx), Lo: pick(t.lo, idx), Hi: pick(t.hi, idx)})
			}
		}
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// kTicks labels the seeds figure's x axis at the network counts drawn.
func kTicks(ks []int64) []figure.Tick {
	var out []figure.Tick
	for _, k := range ks {
		if !slices.ContainsFunc(out, func(t figure.Tick) bool { return t.Value == float64(k) }) {
			out = append(out, figure.Tick{Value: float64(k), Label: strconv.FormatInt(k, 10)})
		}
	}
	slices.SortFunc(out, func(a, b figure.Tick) int { return compareFloat(a.Value, b.Value) })
	return out
}
