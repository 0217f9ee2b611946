package artifacts

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// An Output is one named blob an action produced.
type Output struct {
	Name string // unique within the entry; [A-Za-z0-9._-], at most maxNameLen bytes
	ID   OutputID
	Size int64
}

// An Entry is the index record of one committed action: what it produced.
type Entry struct {
	Action  ActionID
	Outputs []Output // in the order the stage wrote them
	// Prov is the provenance record (who computed it, from what, how long
	// it took), stored as an object like any output; nil if there is none.
	// Its Name is always "prov".
	Prov *Output
}

// Output returns the output named name.
func (e *Entry) Output(name string) (Output, bool) {
	for _, o := range e.Outputs {
		if o.Name == name {
			return o, true
		}
	}
	return Output{}, false
}

// Blobs is every object e refers to: the outputs, then the provenance record.
func (e *Entry) Blobs() []Output {
	b := append([]Output(nil), e.Outputs...)
	if e.Prov != nil {
		b = append(b, *e.Prov)
	}
	return b
}

// Index entry grammar (version 2), one item per line, each ending in "\n":
//
//	degen-action v2 <action hex>
//	out <name> <output hex> <size>     zero or more, names unique
//	prov <output hex> <size>           optional
//	end <sum hex>
//
// Hex is 64 lowercase digits, size is decimal without sign or leading zeros.
// <sum> is the SHA-256 of every byte before the end line: a flipped bit, a
// renamed output or two swapped object IDs make the entry fail its sum, and a
// bad entry is a miss, never used (issue #10; version 1 had no sum, and its
// entries are now misses: the grammar accepts no "v1" line). There is exactly
// one encoding of each Entry, so parse(encode(e)) == e and encode(parse(b))
// == b for every b that parses. The end line also makes a truncated entry (a
// torn write on a filesystem without atomic rename) unparsable rather than
// silently shorter.
const (
	entryMagic   = "degen-action v2 "
	entryMagicV1 = "degen-action v1 " // read only to tell an old entry from a damaged one
	entryEnd     = "end "
	maxEntrySize = 64 << 10 // far above any real stage's outputs; bounds a corrupt read
	maxNameLen   = 128
	provName     = "prov"
)

// encodeEntry returns e's index entry. It fails on an entry parseEntry would
// reject, so nothing written is unreadable.
func encodeEntry(e *Entry) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s%s\n", entryMagic, e.Action)
	for _, o := range e.Outputs {
		fmt.Fprintf(&b, "out %s %s %d\n", o.Name, o.ID, o.Size)
	}
	if e.Prov != nil {
		fmt.Fprintf(&b, "prov %s %d\n", e.Prov.ID, e.Prov.Size)
	}
	fmt.Fprintf(&b, "%s%x\n", entryEnd, sha256.Sum256(b.Bytes()))
	if _, err := parseEntry(b.Bytes()); err != nil {
		return nil, fmt.Errorf("encode entry %s: %w", e.Action, err)
	}
	return b.Bytes(), nil
}

var errEntry = errors.New("malformed index entry")

// parseEntry parses an index entry. Anything unexpected is an error, never a
// panic: callers treat it as a miss.
func parseEntry(data []byte) (*Entry, error) {
	if len(data) > maxEntrySize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", errEntry, len(data), maxEntrySize)
	}
	body, err := checkSum(data)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(body), "\n")
	lines = lines[:len(lines)-1] // body ends in "\n"
	e := new(Entry)
	if err := parseHeader(e, lines[0]); err != nil {
		return nil, err
	}
	for i, line := range lines[1:] {
		if err := parseLine(e, line); err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
	}
	return e, nil
}

// checkSum splits data into its body and end line and checks the body's
// SHA-256 against the one the end line records. The body it returns is
// non-empty and ends in a newline.
func checkSum(data []byte) ([]byte, error) {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return nil, fmt.Errorf("%w: does not end in a newline (truncated?)", errEntry)
	}
	cut := bytes.LastIndexByte(data[:len(data)-1], '\n') + 1
	body, end := data[:cut], data[cut:len(data)-1]
	hexSum, ok := bytes.CutPrefix(end, []byte(entryEnd))
	if !ok || cut == 0 {
		return nil, fmt.Errorf("%w: last line is not %q<sum> (truncated?)", errEntry, entryEnd)
	}
	want, err := ParseOutputID(string(hexSum))
	if err != nil {
		return nil, fmt.Errorf("%w: sum: %v", errEntry, err)
	}
	if OutputID(sha256.Sum256(body)) != want {
		return nil, fmt.Errorf("%w: sum does not match the entry's bytes (damaged)", errEntry)
	}
	return body, nil
}

func parseHeader(e *Entry, line string) error {
	hex, ok := strings.CutPrefix(line, entryMagic)
	if !ok {
		return fmt.Errorf("%w: first line is not %q<action>", errEntry, entryMagic)
	}
	a, err := ParseActionID(hex)
	if err != nil {
		return fmt.Errorf("%w: %v", errEntry, err)
	}
	e.Action = a
	return nil
}

func parseLine(e *Entry, line string) error {
	f := strings.Split(line, " ")
	switch {
	case f[0] == "out" && len(f) == 4:
		if e.Prov != nil {
			return fmt.Errorf("%w: out after prov", errEntry)
		}
		if err := checkName(f[1]); err != nil {
			return err
		}
		if _, dup := e.Output(f[1]); dup {
			return fmt.Errorf("%w: output %q repeated", errEntry, f[1])
		}
		o, err := parseBlob(f[1], f[2], f[3])
		e.Outputs = append(e.Outputs, o)
		return err
	case f[0] == "prov" && len(f) == 3:
		if e.Prov != nil {
			return fmt.Errorf("%w: prov repeated", errEntry)
		}
		o, err := parseBlob(provName, f[1], f[2])
		e.Prov = &o
		return err
	}
	return fmt.Errorf("%w: unexpected line %.40q", errEntry, line)
}

func parseBlob(name, hex, size string) (Output, error) {
	id, err := ParseOutputID(hex)
	if err != nil {
		return Output{}, fmt.Errorf("%w: %v", errEntry, err)
	}
	n, err := parseSize(size)
	if err != nil {
		return Output{}, err
	}
	return Output{Name: name, ID: id, Size: n}, nil
}

// parseSize accepts only the canonical decimal spelling ("0", "17", never
// "017" or "+17"), so that the encoding stays unique.
func parseSize(s string) (int64, error) {
	if s == "" || len(s) > 1 && s[0] == '0' || s[0] < '0' || s[0] > '9' {
		return 0, fmt.Errorf("%w: size %.30q is not canonical decimal", errEntry, s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: size %.30q: %v", errEntry, s, err)
	}
	return n, nil
}

// checkName keeps output names to characters that need no quoting in the
// entry grammar, in file names and in shells.
func checkName(name string) error {
	if msg := nameProblem(name); msg != "" {
		return fmt.Errorf("%w: output name %.40q: %s", errEntry, name, msg)
	}
	return nil
}

// nameProblem says what is wrong with a name of an output or a run log, or
// "" if nothing is: 1 to maxNameLen bytes of [A-Za-z0-9._-].
func nameProblem(name string) string {
	if name == "" || len(name) > maxNameLen {
		return fmt.Sprintf("want 1 to %d bytes", maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Sprintf("byte %d (%q) not in [A-Za-z0-9._-]", i, c)
		}
	}
	return ""
}
