package stages

import (
	"context"
	"fmt"
	"strconv"

	"degen/artifacts"
)

// Figures is the figures stage: one study's figures and the tables behind
// them (SPEC §5; docs/figures.md says what each shows). It is an action
// like any other, cached under its inputs' OutputIDs, so it reruns only when
// a score, summary, curve, pair or null pair of its study changes.
//
// Deps, for condition i of the study and each of its seeds s:
//
//	c<i>/score        degeneracy
//	c<i>/record:<s>   summary (converged, OOD loss, weight change, kernel alignment)
//	c<i>/train:<s>    curve
//	c<i>/align:<s>    pairs (every seed but the first)
//	c<i>/dsanull:<s>  pairs (the first NullParams.Networks seeds)
//
// Outputs (docs/figures.md, "Tables"): the data tables degeneracy, boot,
// seeds, mds, feature_learning and curves, then files, every figure as SVG
// packed in one Parquet table (path, format, encoding, content) that
// `degen export` unpacks under results/figures/<study>/. Figures live in
// Parquet rather than as raw objects so the store, verify, gc and export
// keep one kind of object (docs/figures.md, "Storage").
//
// A second action per study, Raster set, writes only png (the same figures
// as PNG): PNG bytes are pinned on one architecture only (a rasteriser we do
// not compile with explicit rounding), so nothing downstream reads them and
// the report's inputs stay the same bytes everywhere.
type Figures struct{}

func (Figures) Name() string { return "figures" }
func (Figures) Version() int { return 2 } // 2: each condition draws its own bootstrap and subsample resamples

// FiguresParams describe the study being drawn; the numbers come from the
// deps.
type FiguresParams struct {
	Study      string            `json:"study"`
	Factor     string            `json:"factor"` // the varied key; "" when the study varies nothing
	Conditions []FigureCondition `json:"conditions"`
	Stats      ScoreParams       `json:"stats"`  // bootstrap resamples, which networks count
	Raster     bool              `json:"raster"` // write the figures as PNG (output png) instead of data and SVG
}

// A FigureCondition is one condition of the study, as its deps are named.
type FigureCondition struct {
	Task  string  `json:"task"`
	Level string  `json:"level"` // the factor's value as written in pipeline.toml ("" when none)
	Seeds []int64 `json:"seeds"`
	Null  []int64 `json:"null"` // seeds with a dsanull action
}

// Outputs of the figures stage, in the order Run writes them.
const (
	OutFigDegeneracy = "degeneracy"
	OutFigBoot       = "boot"
	OutFigSeeds      = "seeds"
	OutFigMDS        = "mds"
	OutFigFeature    = "feature_learning"
	OutFigCurves     = "curves"
	OutFiles         = "files"
	OutPNG           = "png" // the raster action's one output: a files table of PNGs
)

// condDep names dep of condition i: "c3/record:7".
func condDep(i int, dep string) string { return "c" + strconv.Itoa(i) + "/" + dep }

// A FigureInput is one condition's actions, as planned.
type FigureInput struct {
	Cond                 FigureCondition
	Score                *Action
	Train, Record, Align []*Action // indexed like Cond.Seeds; Align[0] unused
	Null                 []*Action // indexed like Cond.Null
}

// NewFiguresAction is a figures action of one study: data and SVG, or
// with raster the PNGs.
func NewFiguresAction(study, factor string, in []FigureInput, sp ScoreParams, raster bool, attrs []Attr) *Action {
	p := FiguresParams{Study: study, Factor: factor, Stats: sp, Raster: raster}
	var deps []Dep
	for i, c := range in {
		p.Conditions = append(p.Conditions, c.Cond)
		deps = append(deps, Dep{condDep(i, Score{}.Name()), c.Score})
		for k, s := range c.Cond.Seeds {
			deps = append(deps, Dep{condDep(i, DepName(Record{}.Name(), s)), c.Record[k]},
				Dep{condDep(i, DepName(Train{}.Name(), s)), c.Train[k]})
			if k > 0 {
				deps = append(deps, Dep{condDep(i, DepName(Align{}.Name(), s)), c.Align[k]})
			}
		}
		for k, s := range c.Cond.Null {
			deps = append(deps, Dep{condDep(i, DepName(DSANull{}.Name(), s)), c.Null[k]})
		}
	}
	label := study + " figures"
	if raster {
		label += " png"
	}
	return &Action{Stage: Figures{}, Params: p, Deps: deps, Label: label, Attrs: attrs}
}

// Run reads every condition, computes the figure tables and draws them.
func (Figures) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[FiguresParams](a)
	if err != nil {
		return err
	}
	conds := make([]*figCond, len(p.Conditions))
	for i := range p.Conditions {
		if err := ctx.Err(); err != nil {
			return err
		}
		if conds[i], err = readFigCond(prefixEnv{env, condDep(i, "")}, p, i); err != nil {
			return fmt.Errorf("figures %s %s: %w", p.Study, condLabel(p.Conditions[i]), err)
		}
	}
	d := computeFigData(p, conds)
	files, err := drawStudy(p, d)
	if err != nil {
		return fmt.Errorf("figures %s: %w", p.Study, err)
	}
	if p.Raster {
		return env.Write(OutPNG, files.table())
	}
	for _, o := range []struct {
		name string
		t    *artifacts.Table
	}{
		{OutFigDegeneracy, d.degeneracy.table()}, {OutFigBoot, d.boot.table()}, {OutFigSeeds, d.seeds.table()},
		{OutFigMDS, d.mds.table()}, {OutFigFeature, d.feature.table()}, {OutFigCurves, d.curves.table()},
		{OutFiles, files.table()},
	} {
		if err := env.Write(o.name, o.t); err != nil {
			return fmt.Errorf("figures %s: %w", o.name, err)
		}
	}
	return nil
}

func condLabel(c FigureCondition) string {
	if c.Level == "" {
		return c.Task
	}
	return c.Task + "=" + c.Level
}

// prefixEnv lets the per-condition readers of score and align read one
// condition's deps of a figures action unchanged.
type prefixEnv struct {
	Env
	prefix string
}

func (e prefixEnv) Input(dep, output string) (*artifacts.Table, error) {
	return e.Env.Input(e.prefix+dep, output)
}
