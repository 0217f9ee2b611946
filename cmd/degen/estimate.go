package main

import (
	"fmt"
	"io"

	"degen/pipeline"
)

// printEstimate reports what the pending actions of a plan should cost, per
// stage, and each stage's rate and where it came from (this plan's cached
// actions, or the reference measured on the quick study): on a finished plan
// it prints the rates measured on this machine.
func printEstimate(w io.Writer, est *pipeline.Estimate) {
	var rows []pipeline.StageEstimate
	for _, se := range est.Stages {
		if se.Pending > 0 || se.Measured > 0 {
			rows = append(rows, se)
		}
	}
	if len(rows) == 0 {
		return
	}
	if est.Bound > 0 {
		fmt.Fprintf(w, "estimated cost of the pending actions: %s core-hours (%s if every network trains to max_epochs)\n",
			coreHours(est.Seconds), coreHours(est.Bound))
		fmt.Fprintf(w, "  networks train %.0f%% of max_epochs: %s\n", 100*est.EpochFraction, est.EpochSource)
	}
	fmt.Fprintf(w, "  %-9s %8s %12s  %s\n", "stage", "pending", "core-hours", "seconds per unit of work (stages.WorkOf)")
	for _, se := range rows {
		src := "reference"
		if se.Measured > 0 {
			src = fmt.Sprintf("measured on %d cached", se.Measured)
		}
		rate := fmt.Sprintf("%.3g", se.Rate.PerUnit)
		if se.Rate.PerCubic > 0 {
			rate += fmt.Sprintf(" + %.3g per n³", se.Rate.PerCubic)
		}
		fmt.Fprintf(w, "  %-9s %8d %12s  %s (%s)\n", se.Stage, se.Pending, coreHours(se.Seconds), rate, src)
	}
}

func coreHours(seconds float64) string {
	h := seconds / 3600
	switch {
	case h >= 100:
		return fmt.Sprintf("%.0f", h)
	case h >= 1:
		return fmt.Sprintf("%.1f", h)
	default:
		return fmt.Sprintf("%.2g", h)
	}
}
