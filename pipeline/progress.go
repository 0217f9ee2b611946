package pipeline

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Progress reports a run as it goes. It never affects results.
type Progress interface {
	Start(g *Graph)
	Done(r *Result)
	Finish()
}

type nopProgress struct{}

func (nopProgress) Start(*Graph) {}
func (nopProgress) Done(*Result) {}
func (nopProgress) Finish()      {}

// NewProgress picks bars for a terminal and plain lines otherwise (logs, CI,
// Slurm output files).
func NewProgress(w io.Writer) Progress {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return &barProgress{w: w}
		}
	}
	return &lineProgress{w: w}
}

// lineProgress prints one line per action that ran or failed; cached ones
// are counted, not listed.
type lineProgress struct {
	w      io.Writer
	mu     sync.Mutex
	total  int
	seen   int
	counts map[State]int
}

func (p *lineProgress) Start(g *Graph) {
	p.total, p.counts = len(g.Nodes), map[State]int{}
}

func (p *lineProgress) Done(r *Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen++
	p.counts[r.State]++
	switch r.State {
	case Cached, Pending, Interrupted:
		return
	case Failed, Skipped, Mismatch, Damaged:
		fmt.Fprintf(p.w, "[%d/%d] %-8s %s: %v\n", p.seen, p.total, r.State, r.Node.Name(), r.Err)
	default:
		fmt.Fprintf(p.w, "[%d/%d] %-8s %s (%.2fs)\n", p.seen, p.total, r.State, r.Node.Name(), r.Elapsed.Seconds())
	}
}

func (p *lineProgress) Finish() {
	fmt.Fprintln(p.w, summaryLine(p.total, p.counts))
}

func summaryLine(total int, counts map[State]int) string {
	s := fmt.Sprintf("%d actions:", total)
	for _, st := range []State{Cached, Ran, Verified, Mismatch, Damaged, Failed, Skipped, Interrupted, Pending} {
		if counts[st] > 0 {
			s += fmt.Sprintf(" %d %s", counts[st], st)
		}
	}
	return s
}

// barProgress shows one bar per stage.
type barProgress struct {
	w      io.Writer
	p      *mpb.Progress
	bars   map[string]*mpb.Bar
	mu     sync.Mutex
	total  int
	counts map[State]int
	errs   []string
}

func (b *barProgress) Start(g *Graph) {
	b.p = mpb.New(mpb.WithOutput(b.w), mpb.WithWidth(40))
	b.bars, b.counts, b.total = map[string]*mpb.Bar{}, map[State]int{}, len(g.Nodes)
	perStage := map[string]int{}
	var order []string
	for _, n := range g.Nodes {
		s := n.Action.Stage.Name()
		if perStage[s] == 0 {
			order = append(order, s)
		}
		perStage[s]++
	}
	for _, s := range order {
		b.bars[s] = b.p.AddBar(int64(perStage[s]),
			mpb.PrependDecorators(decor.Name(fmt.Sprintf("%-9s", s)), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage()))
	}
}

func (b *barProgress) Done(r *Result) {
	b.mu.Lock()
	b.counts[r.State]++
	if r.Err != nil && r.State != Interrupted {
		b.errs = append(b.errs, fmt.Sprintf("%s %s: %v", r.State, r.Node.Name(), r.Err))
	}
	b.mu.Unlock()
	b.bars[r.Node.Action.Stage.Name()].Increment()
}

func (b *barProgress) Finish() {
	b.p.Wait()
	for _, e := range b.errs {
		fmt.Fprintln(b.w, e)
	}
	fmt.Fprintln(b.w, summaryLine(b.total, b.counts))
}
