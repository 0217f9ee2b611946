package stages

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// docs/schema.md names each stage's version; it must be the current one.
func TestSchemaDocVersionsAreCurrent(t *testing.T) {
	b, err := os.ReadFile("../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]int{}
	for _, m := range regexp.MustCompile("\\(`stages/(\\w+)\\.go`, version (\\d+)\\)").FindAllStringSubmatch(string(b), -1) {
		doc[m[1]], _ = strconv.Atoi(m[2])
	}
	for _, s := range []Stage{Generate{}, Train{}, Record{}, DSAFit{}, Align{}, Score{}} {
		v, ok := doc[s.Name()]
		if !ok {
			t.Errorf("docs/schema.md does not give the %s stage's version", s.Name())
		} else if v != s.Version() {
			t.Errorf("docs/schema.md says %s is version %d; Version() is %d", s.Name(), v, s.Version())
		}
	}
}
