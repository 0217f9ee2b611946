// Package artifacts is degen's content-addressed store and its one way of
// writing and reading tables.
//
// Vocabulary:
//
//   - An ActionID names a repeatable computation: the SHA-256 of a complete,
//     canonical description of it (stage, stage version, parameters, the
//     OutputIDs of its inputs, toolchain salt). The pipeline computes it;
//     this package only stores under it.
//   - An OutputID names bytes: the SHA-256 of a blob's content. Two equal
//     blobs are one object.
//   - An object is an immutable, read-only file objects/ab/<outputid>.
//   - An index entry (actions/ab/<actionid>) maps an ActionID to its named
//     outputs (OutputID and size each) and an optional provenance record.
//     It is written last, so a visible entry means every object it names was
//     already in place.
//   - A lease (leases/<actionid>) says "someone is computing this action". It
//     only saves duplicate work; correctness never depends on it.
//   - A Table is what a stage writes; WriteParquet and ReadParquet are the
//     only Parquet code in degen, so every artifact has the same encoding.
//
// A worker computes an action like this: Lookup (a hit ends it); TryLease
// (ErrLocked: someone else is on it, come back later); compute, calling
// Lease.Refresh every LeaseRefresh; Put or PutTable each output; Commit the
// Entry; Release. A reader uses Lookup, then ReadTable, which re-hashes.
//
// The on-disk format is described for users in docs/store.md.
//
// Safety: any number of processes, on one machine or on several sharing the
// store over NFS, may Put, Commit and Lookup concurrently. Objects are
// installed with link(2), which fails rather than overwrites, and entries
// with rename(2); neither needs a lock. A reader trusts an entry only if
// every object it names exists with the recorded size, so a vanished or
// truncated object (a crash, a concurrent GC, a disk error) is a miss, not
// an error. Content corruption that keeps the size is caught by VerifyObject
// and ReadTable, which re-hash.
package artifacts
