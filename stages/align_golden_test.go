package stages

import (
	"encoding/json"
	"testing"

	"degen/metrics/dsa"
)

// TestAlignScoreGolden pins both stages' tables for a fixed input; a
// change here needs a Version bump.
func TestAlignScoreGolden(t *testing.T) {
	if (Align{}).Version() != 4 || (Score{}).Version() != 1 {
		t.Fatalf("version bumped: update the digests below")
	}
	env, _ := alignWorld(t, 8)
	seeds := []int64{10, 20, 30}
	got := map[string]string{}
	for k, s := range seeds {
		installSummary(env, s, k != 1, 0.5+float64(k))
		if k > 0 {
			tab := runAlign(t, env, testAlignParams(s, seeds[:k]...))
			env.inputs[DepName("align", s)+"/"+OutPairs] = tab
			got[DepName("align", s)] = tableDigest(tab)
		}
	}
	got["score"] = tableDigest(runScore(t, env, ScoreStageParams{Seeds: seeds, Stats: ScoreParams{Bootstrap: 100}}))
	want := map[string]string{
		"align:20": "784f07a7d4fc3499502c0a5ac5ea9ce09a04e29cb43849f229552adc1b1d2623",
		"align:30": "aa8383a0c4c1b76d815979721c776827835b700d14f0ba5da1926744168fd32a",
		"score":    "3ceebc2f78a74656d1142aeb63e8da01ae62cf6255d1c2a04de8f8574766b74f",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s digest %s, want %s", k, got[k], w)
		}
	}
}

// TestAlignKey: every metric setting is part of the align action's key.
func TestAlignKey(t *testing.T) {
	key := func(mod func(*AlignParams)) string {
		p := testAlignParams(30, 10, 20)
		mod(&p)
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	base := key(func(*AlignParams) {})
	for name, mod := range map[string]func(*AlignParams){
		"dsa score":    func(p *AlignParams) { p.DSA.Score = dsa.Wasserstein },
		"dsa max_iter": func(p *AlignParams) { p.DSA.MaxIter = 7 },
		"pif max_iter": func(p *AlignParams) { p.PIF.MaxIter = 7 },
		"pif tol":      func(p *AlignParams) { p.PIF.Tol = 0.5 },
		"pif two_opt":  func(p *AlignParams) { p.PIF.TwoOpt = false },
		"pif restarts": func(p *AlignParams) { p.PIF.Restarts = 2 },
		"earlier":      func(p *AlignParams) { p.Earlier = p.Earlier[:1] },
	} {
		if key(mod) == base {
			t.Errorf("changing %s leaves the key unchanged", name)
		}
	}
}
