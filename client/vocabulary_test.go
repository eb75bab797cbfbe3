package client

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"motcua/api"
	"motcua/app"
)

// constants returns the string constants of each named type declared in the
// Go files of dir, by type name: the test reads the source so that a
// constant added on one side only cannot be forgotten.
func constants(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok || len(vs.Values) != len(vs.Names) {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out[typ.Name] = append(out[typ.Name], s)
					}
				}
			}
		}
	}
	return out
}

// TestTransferVocabularyMatches: every transfer purpose, state and event
// type of the wire has its constant in app and back; only app's local
// states (queued, the resync snapshot) have no wire twin.
func TestTransferVocabularyMatches(t *testing.T) {
	wire, domain := constants(t, "../api"), constants(t, "../app")
	local := map[string]bool{string(app.TransferQueued): true, string(app.EventSnapshot): true}
	for _, c := range []struct {
		wireType, appType string
		toApp             func(string) string
		toWire            func(string) string
	}{
		{"Purpose", "TransferPurpose",
			func(s string) string { return string(fromWirePurpose(api.Purpose(s))) },
			func(s string) string { return string(wirePurpose(app.TransferPurpose(s))) }},
		{"TransferState", "TransferState",
			func(s string) string { return string(fromWireState(api.TransferState(s))) },
			func(s string) string { return s }},
		{"EventType", "EventType",
			func(s string) string { return string(fromWireEventType(api.EventType(s))) },
			func(s string) string { return s }},
	} {
		w, a := wire[c.wireType], domain[c.appType]
		if len(w) < 3 || len(a) < 3 {
			t.Fatalf("%s: found %d wire and %d domain constants", c.appType, len(w), len(a))
		}
		for _, v := range w {
			if !slices.Contains(a, c.toApp(v)) {
				t.Errorf("api.%s %q has no app.%s", c.wireType, v, c.appType)
			}
		}
		for _, v := range a {
			if local[v] {
				continue
			}
			if !slices.Contains(w, c.toWire(v)) {
				t.Errorf("app.%s %q has no api.%s", c.appType, v, c.wireType)
			}
		}
	}
	for _, p := range []app.TransferPurpose{app.PurposeProcess, app.PurposeSupplement, app.PurposeResult} {
		if !p.Valid() {
			t.Errorf("%q not valid", p)
		}
	}
	if app.TransferPurpose("other").Valid() {
		t.Error("an unknown purpose is valid")
	}
}
