package figure

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// A Figure is a row of panels under one title.
type Figure struct {
	Title  string
	Panels []Panel
}

// A Panel is one plot.
type Panel struct {
	Title, XLabel, YLabel string
	Series                []Series
	XTicks                []Tick // explicit ticks (levels, task names); nil: automatic
	LogY                  bool   // log-scaled y (non-positive values are dropped)
}

// A Tick is one labelled position on an axis.
type Tick struct {
	Value float64
	Label string
}

// A Series is one line (or point set) with an optional band. Lo and Hi, when
// set, have the length of X; a NaN bound leaves that point without a band.
type Series struct {
	Label  string
	Color  color.Color
	X, Y   []float64
	Lo, Hi []float64
	Dashed bool // a reference line, e.g. the DSA null floor
	Points bool // markers only, no line
}

// Panel size: large enough to read the axis labels at 100% zoom.
const (
	panelW = 9 * vg.Centimeter
	panelH = 7.5 * vg.Centimeter
	titleH = 1 * vg.Centimeter

	maxMarkers = 40 // points on a line beyond which it is drawn without markers
)

// legendRow is the share of the data's y range added above it per legend
// entry: at 8 pt a legend line is about a tenth of a panel's plotting height.
const legendRow = 0.1

// SVG renders f as SVG bytes.
func (f *Figure) SVG() ([]byte, error) {
	w, h := f.size()
	c := vgsvg.New(w, h)
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	_, err := c.WriteTo(&b)
	return b.Bytes(), err
}

// PNG renders f as PNG bytes at 96 dpi.
func (f *Figure) PNG() ([]byte, error) {
	w, h := f.size()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	// BestSpeed: default compression was half the figures stage's time
	// (docs/perf.md, Figures) for PNGs ~30 % smaller.
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, c.Image())
	return b.Bytes(), err
}

// size fits the panels side by side, and the title (about 0.6 em a
// character at 13 pt) when it is the wider.
func (f *Figure) size() (w, h vg.Length) {
	w = panelW * vg.Length(max(1, len(f.Panels)))
	return max(w, vg.Points(8*float64(utf8.RuneCountInString(f.Title))+40)), panelH + titleH
}

func (f *Figure) draw(dc draw.Canvas) (err error) {
	defer func() {
		// gonum/plot panics on some degenerate axes; a figure that cannot be
		// drawn is an error of its action, never a crash of the run.
		if r := recover(); r != nil {
			err = fmt.Errorf("figure %q: %v", f.Title, r)
		}
	}()
	if len(f.Panels) == 0 {
		return fmt.Errorf("figure %q: no panels", f.Title)
	}
	plots := make([]*plot.Plot, len(f.Panels))
	for i := range f.Panels {
		p, err := f.Panels[i].plot()
		if err != nil {
			return fmt.Errorf("figure %q panel %q: %w", f.Title, f.Panels[i].Title, err)
		}
		plots[i] = p
	}
	title := plot.New().Title.TextStyle
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	title.Font.Size = 13
	dc.FillText(title, vg.Point{X: dc.Min.X + (dc.Max.X-dc.Min.X)/2, Y: dc.Max.Y - 0.2*vg.Centimeter}, f.Title)
	body := draw.Crop(dc, 0, 0, 0, -titleH)
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: 0.3 * vg.Centimeter, PadTop: 0.1 * vg.Centimeter,
		PadBottom: 0.1 * vg.Centimeter, PadLeft: 0.1 * vg.Centimeter, PadRight: 0.3 * vg.Centimeter}
	cs := plot.Align([][]*plot.Plot{plots}, tiles, body)
	for i, p := range plots {
		p.Draw(cs[0][i])
	}
	return nil
}

func (pn *Panel) plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = pn.Title, pn.XLabel, pn.YLabel
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = 8
	logY := pn.LogY && pn.anyPositive()
	if logY { // a log axis with no positive value panics in gonum/plot: draw it linear
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	}
	if len(pn.XTicks) > 0 {
		ticks := make(plot.ConstantTicks, len(pn.XTicks))
		for i, t := range pn.XTicks {
			ticks[i] = plot.Tick{Value: t.Value, Label: t.Label}
		}
		p.X.Tick.Marker = ticks
	}
	entries := 0
	for i := range pn.Series {
		if err := addSeries(p, &pn.Series[i], logY); err != nil {
			return nil, err
		}
		if pn.Series[i].Label != "" {
			entries++
		}
	}
	if !logY && entries > 0 && p.Y.Max > p.Y.Min {
		// Headroom for the legend (top right), so it does not cover the data.
		p.Y.Max += (p.Y.Max - p.Y.Min) * min(legendRow*float64(entries), 1)
	}
	return p, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// anyPositive reports a finite positive y to put on a log axis.
func (pn *Panel) anyPositive() bool {
	for _, s := range pn.Series {
		for i, y := range s.Y {
			if y > 0 && !math.IsInf(y, 0) && finite(s.X[i]) {
				return true
			}
		}
	}
	return false
}

// yOK accepts a y value: finite, and positive on a log axis. x is always on
// a linear axis, where any finite value is drawn.
func yOK(logY bool) func(float64) bool {
	return func(y float64) bool { return finite(y) && (!logY || y > 0) }
}

// points are the series' drawable points, in order.
func points(s *Series, ok func(float64) bool) plotter.XYs {
	var pts plotter.XYs
	for i := range s.X {
		if finite(s.X[i]) && ok(s.Y[i]) {
			pts = append(pts, plotter.XY{X: s.X[i], Y: s.Y[i]})
		}
	}
	return pts
}

// addSeries draws the band first so the line stays on top of it.
func addSeries(p *plot.Plot, s *Series, logY bool) error {
	ok := yOK(logY)
	pts := points(s, ok)
	if band := bandPolygon(s, ok); band != nil {
		p.Add(band)
	}
	if len(pts) == 0 {
		return nil // nothing finite to draw: the data table still says so
	}
	if s.Points {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = s.Color, draw.CircleGlyph{}, vg.Points(2.5)
		p.Add(sc)
		addLegend(p, s.Label, sc)
		return nil
	}
	ln, sc, err := plotter.NewLinePoints(pts)
	if err != nil {
		return err
	}
	ln.LineStyle.Color, ln.LineStyle.Width = s.Color, vg.Points(1.5)
	sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = s.Color, draw.CircleGlyph{}, vg.Points(2)
	if len(pts) > maxMarkers { // a long curve: markers would hide the line
		sc.GlyphStyle.Radius = 0
	}
	if s.Dashed {
		ln.LineStyle.Dashes, ln.LineStyle.Width = []vg.Length{vg.Points(4), vg.Points(3)}, vg.Points(1)
		sc.GlyphStyle.Radius = 0
	}
	p.Add(ln, sc)
	addLegend(p, s.Label, ln, sc)
	return nil
}

func addLegend(p *plot.Plot, label string, th ...plot.Thumbnailer) {
	if label != "" {
		p.Legend.Add(label, th...)
	}
}

// bandPolygon is the region between Lo and Hi over the points where both are
// finite, in a lighter tint of the series colour; nil when there is none.
func bandPolygon(s *Series, ok func(float64) bool) *plotter.Polygon {
	if s.Lo == nil || s.Hi == nil {
		return nil
	}
	var lo, hi plotter.XYs
	for i := range s.X {
		if finite(s.X[i]) && ok(s.Lo[i]) && ok(s.Hi[i]) {
			lo = append(lo, plotter.XY{X: s.X[i], Y: s.Lo[i]})
			hi = append(hi, plotter.XY{X: s.X[i], Y: s.Hi[i]})
		}
	}
	if len(lo) == 0 {
		return nil
	}
	if len(lo) == 1 { // one level: a thin box, so a single point's band is visible
		lo = append(plotter.XYs{{X: lo[0].X - 0.02, Y: lo[0].Y}}, plotter.XY{X: lo[0].X + 0.02, Y: lo[0].Y})
		hi = append(plotter.XYs{{X: hi[0].X - 0.02, Y: hi[0].Y}}, plotter.XY{X: hi[0].X + 0.02, Y: hi[0].Y})
	}
	ring := append(plotter.XYs{}, lo...)
	for i := len(hi) - 1; i >= 0; i-- {
		ring = append(ring, hi[i])
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil
	}
	poly.Color, poly.LineStyle.Width = Tint(s.Color), 0
	return poly
}
