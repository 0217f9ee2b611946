package artifacts

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// HashSize is the size of an ActionID or OutputID: a SHA-256 digest.
const HashSize = sha256.Size

// An ActionID is a store key: the SHA-256 of a complete, canonical
// description of a repeatable computation (stage name and version, resolved
// parameters, the OutputIDs of its inputs, toolchain salt). Two computations
// with the same ActionID are assumed to produce the same bytes.
type ActionID [HashSize]byte

// An OutputID is the SHA-256 of the bytes of one stored blob. It names the
// object objects/ab/<hex>, and every reader can check it by re-hashing.
type OutputID [HashSize]byte

// String is the lowercase hex form used in file names and index entries.
func (id ActionID) String() string { return hex.EncodeToString(id[:]) }

// String is the lowercase hex form used in file names and index entries.
func (id OutputID) String() string { return hex.EncodeToString(id[:]) }

// ParseActionID parses the 64-digit lowercase hex form written by String.
func ParseActionID(s string) (ActionID, error) {
	var id ActionID
	err := parseHex(id[:], s)
	if err != nil {
		return ActionID{}, fmt.Errorf("parse action ID %q: %w", s, err)
	}
	return id, nil
}

// ParseOutputID parses the 64-digit lowercase hex form written by String.
func ParseOutputID(s string) (OutputID, error) {
	var id OutputID
	err := parseHex(id[:], s)
	if err != nil {
		return OutputID{}, fmt.Errorf("parse output ID %q: %w", s, err)
	}
	return id, nil
}

// parseHex accepts exactly one spelling per ID (lowercase, full length), so
// that an ID read back from disk re-encodes to the same file name.
func parseHex(dst []byte, s string) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("want %d hex digits, have %d", 2*len(dst), len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("byte %d (%q) is not a lowercase hex digit", i, c)
		}
	}
	_, err := hex.Decode(dst, []byte(s))
	return err
}

// HashOutput reads r to the end and returns the OutputID of its bytes and
// their count.
func HashOutput(r io.Reader) (OutputID, int64, error) {
	h := sha256.New()
	// Hide r's WriteTo (os.File has one, with a 32 KiB buffer).
	n, err := io.CopyBuffer(h, struct{ io.Reader }{r}, make([]byte, copyBufSize))
	if err != nil {
		return OutputID{}, n, err
	}
	var id OutputID
	h.Sum(id[:0])
	return id, n, nil
}

// HashBytes returns the OutputID of b.
func HashBytes(b []byte) OutputID { return sha256.Sum256(b) }

// copyBufSize is large enough that a 100 MB copy makes ~100 syscalls per
// side rather than ~3000 with io.Copy's 32 KiB default.
const copyBufSize = 1 << 20
