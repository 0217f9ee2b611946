package pipeline

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestPipelineWritesOnlyThroughArtifacts: only package artifacts writes into
// the store, with its durable write (issue #10: run logs and pins were
// written here with a rename and no fsync, so a crash could lose a GC root).
// No file of this package may call os's file-writing functions.
func TestPipelineWritesOnlyThroughArtifacts(t *testing.T) {
	writers := map[string]bool{"WriteFile": true, "Create": true, "CreateTemp": true, "OpenFile": true,
		"Rename": true, "Remove": true, "RemoveAll": true, "Mkdir": true, "MkdirAll": true, "MkdirTemp": true,
		"Chmod": true, "Link": true, "Symlink": true, "Truncate": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" && writers[sel.Sel.Name] {
				t.Errorf("%s: os.%s: write into the store through package artifacts", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}
