package artifacts

import "errors"

// Sentinel errors, checked with errors.Is; the errors returned wrap them with
// the operation, path and ID involved.
var (
	// ErrNotFound: no usable entry or object. A corrupt, truncated or
	// half-referenced entry is reported as ErrNotFound too: for the caller it
	// is a cache miss, and recomputing repairs it.
	ErrNotFound = errors.New("not found")

	// ErrDamaged: an index entry exists but cannot be used: it does not
	// parse or fails its sum, or it names an object that is missing or has
	// the wrong size. Lookup wraps it together with ErrNotFound (it is a
	// miss), so that verify can report it and run can remove the entry.
	ErrDamaged = errors.New("damaged")

	// ErrIntegrity: an object's bytes do not match its name or recorded size.
	ErrIntegrity = errors.New("integrity check failed")

	// ErrLocked: a lease is held by a live owner.
	ErrLocked = errors.New("locked")
)
