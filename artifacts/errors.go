package artifacts

import "errors"

// Sentinel errors, checked with errors.Is; the errors returned wrap them with
// the operation, path and ID involved.
var (
	// ErrNotFound: no usable entry or object. A corrupt, truncated or
	// half-referenced entry is reported as ErrNotFound too: for the caller it
	// is a cache miss, and recomputing repairs it.
	ErrNotFound = errors.New("not found")

	// ErrIntegrity: an object's bytes do not match its name or recorded size.
	ErrIntegrity = errors.New("integrity check failed")

	// ErrLocked: a lease is held by a live owner.
	ErrLocked = errors.New("locked")
)
