// Package figure draws degen's figures with gonum.org/v1/plot: panels of
// lines with bands, scatters, and the fixed colours that keep a task the
// same colour in every figure. It knows nothing of the store or of stages:
// it turns numbers into SVG and PNG bytes.
//
// Vocabulary: a Figure is one image of Panels side by side; a Panel is one
// plot (axes, title, legend) of Series; a Series is one line or point set,
// with an optional band (SE or CI) drawn under it.
//
// Determinism: SVG output is a pure function of the Figure (vgsvg writes no
// clock, no random ids, and fonts are referenced by name, not embedded), and
// under arm64 it is the amd64 bytes. PNG is rasterised by pure-Go code
// (vgimg/gg) and is byte-identical for the same build on the same GOARCH and
// GOAMD64 level, but not across them: arm64 and GOAMD64=v3 fuse
// multiply-adds inside gonum/plot
// and the rasteriser, which moves anti-aliased pixels (measured, docs/figures.md).
// The figures stage therefore keeps PNGs in actions nothing reads.
package figure
