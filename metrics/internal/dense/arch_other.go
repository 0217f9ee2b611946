//go:build !amd64 || purego

package dense

// archPaths: no assembly on this target or under the purego tag.
func archPaths() []*impl { return nil }
