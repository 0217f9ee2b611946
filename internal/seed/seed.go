// Package seed derives deterministic random sources from keys.
//
// Every random draw in degen starts here: a PCG generator (math/rand/v2)
// seeded by the SHA-256 of a key's parts. Never global rand, never time.
package seed

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// Key hashes parts (length-prefixed, so "ab","c" differs from "a","bc") to
// two 64-bit words.
func Key(parts ...string) (uint64, uint64) {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	sum := h.Sum(nil)
	return binary.LittleEndian.Uint64(sum[0:8]), binary.LittleEndian.Uint64(sum[8:16])
}

// New returns a PCG generator seeded from the key's parts.
func New(parts ...string) *rand.Rand {
	a, b := Key(parts...)
	return rand.New(rand.NewPCG(a, b))
}
