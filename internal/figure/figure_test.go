package figure

import (
	"bytes"
	"math"
	"os"
	"testing"
)

func sample() *Figure {
	x := []float64{1, 2, 3}
	return &Figure{Title: "study — degeneracy", Panels: []Panel{
		{Title: "dynamics", XLabel: "channels", YLabel: "DSA angular", XTicks: []Tick{{1, "1"}, {2, "2"}, {3, "3"}},
			Series: []Series{
				{Label: "flipflop", Color: TaskColor("flipflop"), X: x, Y: []float64{0.3, 0.2, 0.1},
					Lo: []float64{0.25, 0.15, math.NaN()}, Hi: []float64{0.35, 0.25, math.NaN()}},
				{Label: "null", Color: TaskColor("dd"), X: x, Y: []float64{0.05, 0.05, 0.05}, Dashed: true},
			}},
		{Title: "curves", XLabel: "epoch", YLabel: "loss", LogY: true,
			Series: []Series{{Label: "dd", Color: TaskColor("dd"), X: x, Y: []float64{1, 0.1, 0}, Points: true}}},
	}}
}

// TestSVGDeterministic renders the same figure twice (and from a copy):
// the bytes must agree, and carry no timestamp.
func TestSVGDeterministic(t *testing.T) {
	a, err := sample().SVG()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sample().SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same figure differ")
	}
	if !bytes.HasPrefix(a, []byte("<?xml")) || !bytes.Contains(a, []byte("flipflop")) {
		t.Fatalf("not an SVG with the legend: %.80q", a)
	}
	if p := os.Getenv("DEGEN_FIGURE_OUT"); p != "" {
		png, err := sample().PNG()
		if err == nil {
			err = os.WriteFile(p+".svg", a, 0o666)
		}
		if err == nil {
			err = os.WriteFile(p+".png", png, 0o666)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestPNGDeterministic(t *testing.T) {
	a, err := sample().PNG()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sample().PNG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte("\x89PNG")) {
		t.Fatalf("PNG renders differ or are not PNG (%d, %d bytes)", len(a), len(b))
	}
}

func TestNoPanels(t *testing.T) {
	if _, err := (&Figure{Title: "x"}).SVG(); err == nil {
		t.Fatal("a figure with no panels rendered")
	}
}

// TestDegenerateData: panels with no finite data, a log axis with nothing
// positive, and a single point all render (diverged networks give NaN
// curves; a study of one level gives one point).
func TestDegenerateData(t *testing.T) {
	nan := math.NaN()
	f := &Figure{Title: "degenerate", Panels: []Panel{
		{Title: "nan log", LogY: true, Series: []Series{{Color: TaskColor("dd"), X: []float64{0, 1}, Y: []float64{nan, math.Inf(1)}}}},
		{Title: "empty"},
		{Title: "one", Series: []Series{{Color: TaskColor("dd"), X: []float64{1}, Y: []float64{2}, Lo: []float64{1}, Hi: []float64{3}}}},
		{Title: "zero log", LogY: true, Series: []Series{{Color: TaskColor("dd"), X: []float64{0, 1}, Y: []float64{0, 0}}}},
	}}
	for _, render := range []func() ([]byte, error){f.SVG, f.PNG} {
		if b, err := render(); err != nil || len(b) == 0 {
			t.Fatalf("render: %d bytes, %v", len(b), err)
		}
	}
}

// On a log y axis a point is dropped for its y (≤ 0, not finite), never for
// its x: epoch 0 of a training curve is drawn.
func TestLogAxisKeepsNonPositiveX(t *testing.T) {
	s := &Series{X: []float64{0, -1, 2, 3, math.NaN()}, Y: []float64{1, 0.5, 0, math.Inf(1), 1}}
	if got := points(s, yOK(true)); len(got) != 2 || got[0].X != 0 || got[1].X != -1 {
		t.Errorf("log y: points %v, want (0, 1) and (-1, 0.5)", got)
	}
	if got := points(s, yOK(false)); len(got) != 3 || got[2].X != 2 {
		t.Errorf("linear y: points %v, want x = 0, -1, 2", got)
	}
}
