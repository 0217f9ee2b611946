package stages

// planMetrics adds the comparison actions of a condition.
func planMetrics(c *Condition, attrs []Attr, nets []network) []*Action {
	return nil
}
