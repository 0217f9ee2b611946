package dsa

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestEmbed(t *testing.T) {
	x := Trials{N: 1, Data: [][]float64{{1, 2, 3, 4, 5}}}
	tests := []struct {
		name    string
		m, tau  int
		want    [][]float64
		wantErr bool
	}{
		{"m3 tau1", 3, 1, [][]float64{{3, 2, 1}, {4, 3, 2}, {5, 4, 3}}, false},
		{"m2 tau2", 2, 2, [][]float64{{3, 1}, {4, 2}, {5, 3}}, false},
		{"m1", 1, 1, [][]float64{{1}, {2}, {3}, {4}, {5}}, false},
		{"m5 exactly one row", 5, 1, [][]float64{{5, 4, 3, 2, 1}}, false},
		{"m6 too long", 6, 1, nil, true},
		{"m3 tau3 too long", 3, 3, nil, true},
		{"m0", 0, 1, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, rows, err := Embed(x, tc.m, tc.tau)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Embed(m=%d, τ=%d) = %v, want an error", tc.m, tc.tau, mat.Formatted(h))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0] != len(tc.want) {
				t.Fatalf("rows = %v, want [%d]", rows, len(tc.want))
			}
			for i, row := range tc.want {
				for j, w := range row {
					if got := h.At(i, j); got != w {
						t.Errorf("H[%d][%d] = %v, want %v", i, j, got, w)
					}
				}
			}
		})
	}
}

// TestEmbedPerTrialEqualsBatched checks that trials are embedded on their
// own: the batched matrix is the per-trial matrices stacked, for a
// multi-unit signal with ragged trial lengths.
func TestEmbedPerTrialEqualsBatched(t *testing.T) {
	const n = 3
	var data [][]float64
	for k, steps := range []int{9, 7, 12} {
		x := make([]float64, steps*n)
		for i := range x {
			x[i] = float64(100*k + i)
		}
		data = append(data, x)
	}
	batched, rows, err := Embed(Trials{N: n, Data: data}, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	for k, x := range data {
		one, r1, err := Embed(Trials{N: n, Data: [][]float64{x}}, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r1[0] != rows[k] {
			t.Fatalf("trial %d: %d rows alone, %d batched", k, r1[0], rows[k])
		}
		for i := 0; i < r1[0]; i++ {
			for j := 0; j < 3*n; j++ {
				if got, want := batched.At(at+i, j), one.At(i, j); got != want {
					t.Fatalf("trial %d row %d col %d: batched %v, alone %v", k, i, j, got, want)
				}
			}
		}
		at += r1[0]
	}
	if r, _ := batched.Dims(); r != at {
		t.Errorf("batched rows = %d, want %d", r, at)
	}
}

func TestEmbedRejectsBadTrials(t *testing.T) {
	for _, tc := range []struct {
		name string
		tr   Trials
	}{
		{"no trials", Trials{N: 2}},
		{"no units", Trials{N: 0, Data: [][]float64{{1}}}},
		{"ragged row", Trials{N: 2, Data: [][]float64{{1, 2, 3}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Embed(tc.tr, 1, 1); err == nil {
				t.Errorf("Embed(%+v) succeeded, want an error", tc.tr)
			}
		})
	}
}
