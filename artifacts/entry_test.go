package artifacts

import (
	"errors"
	"strings"
	"testing"
)

const (
	hexA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	hexB = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func TestParseEntryAccepts(t *testing.T) {
	tests := []struct {
		name, in  string
		outs      int
		prov      bool
		firstName string
		firstSize int64
	}{
		{"no outputs", "degen-action v1 " + hexA + "\nend\n", 0, false, "", 0},
		{"one output", "degen-action v1 " + hexA + "\nout table " + hexB + " 17\nend\n", 1, false, "table", 17},
		{"outputs and prov", "degen-action v1 " + hexA + "\nout a.b_c-1 " + hexB + " 0\nout x " + hexA + " 9223372036854775807\nprov " + hexB + " 5\nend\n", 2, true, "a.b_c-1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := parseEntry([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Outputs) != tt.outs || (e.Prov != nil) != tt.prov {
				t.Fatalf("got %d outputs, prov %v; want %d, %v", len(e.Outputs), e.Prov != nil, tt.outs, tt.prov)
			}
			if tt.outs > 0 && (e.Outputs[0].Name != tt.firstName || e.Outputs[0].Size != tt.firstSize) {
				t.Errorf("first output = %q %d, want %q %d", e.Outputs[0].Name, e.Outputs[0].Size, tt.firstName, tt.firstSize)
			}
			b, err := encodeEntry(e)
			if err != nil || string(b) != tt.in {
				t.Errorf("encode(parse(x)) = %q, %v; want x = %q", b, err, tt.in)
			}
		})
	}
}

func TestParseEntryRejects(t *testing.T) {
	head := "degen-action v1 " + hexA + "\n"
	out := "out t " + hexB + " 3\n"
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"no trailing newline", head + "end"},
		{"no end", head + out},
		{"truncated mid-line", head + out[:20]},
		{"version 2", "degen-action v2 " + hexA + "\nend\n"},
		{"uppercase hex", "degen-action v1 " + strings.ToUpper(hexA) + "\nend\n"},
		{"short hex", "degen-action v1 " + hexA[:63] + "\nend\n"},
		{"leading zero size", head + "out t " + hexB + " 03\nend\n"},
		{"negative size", head + "out t " + hexB + " -3\nend\n"},
		{"plus size", head + "out t " + hexB + " +3\nend\n"},
		{"size overflow", head + "out t " + hexB + " 9223372036854775808\nend\n"},
		{"repeated name", head + out + out + "end\n"},
		{"bad name", head + "out t/x " + hexB + " 3\nend\n"},
		{"long name", head + "out " + strings.Repeat("n", 129) + " " + hexB + " 3\nend\n"},
		{"double space", head + "out  t " + hexB + " 3\nend\n"},
		{"extra field", head + "out t " + hexB + " 3 x\nend\n"},
		{"out after prov", head + "prov " + hexB + " 3\n" + out + "end\n"},
		{"two provs", head + "prov " + hexB + " 3\nprov " + hexB + " 3\nend\n"},
		{"line after end", head + "end\n" + out},
		{"blank line", head + "\nend\n"},
		{"crlf", "degen-action v1 " + hexA + "\r\nend\r\n"},
		{"unknown line", head + "foo bar\nend\n"},
		{"too big", head + strings.Repeat("x", maxEntrySize) + "\nend\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e, err := parseEntry([]byte(tt.in)); !errors.Is(err, errEntry) {
				t.Errorf("parseEntry(%.60q) = %+v, %v; want errEntry", tt.in, e, err)
			}
		})
	}
}

// FuzzParseEntry checks that the parser never panics and that whatever it
// accepts is in the one canonical encoding. The seed corpus (testdata/fuzz)
// runs in every plain go test.
func FuzzParseEntry(f *testing.F) {
	f.Add([]byte("degen-action v1 " + hexA + "\nout t " + hexB + " 3\nprov " + hexB + " 0\nend\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := parseEntry(data)
		if err != nil {
			return
		}
		b, err := encodeEntry(e)
		if err != nil {
			t.Fatalf("encode of a parsed entry: %v", err)
		}
		if string(b) != string(data) {
			t.Fatalf("encode(parse(x)) = %q, want x = %q", b, data)
		}
	})
}
