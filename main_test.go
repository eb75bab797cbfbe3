package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"--data", "/tmp/x", "--demo", "--lang", "en"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.dataDir != "/tmp/x" || !c.demo || c.lang != "en" {
		t.Errorf("parseFlags = %+v", c)
	}
	t.Setenv("MOTCUA_START_SCREEN", "receive")
	c, err = parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.screen != "receive" || c.demo || c.lang != "" {
		t.Errorf("defaults = %+v", c)
	}
	if filepath.Base(c.dataDir) != "MotCua" {
		t.Errorf("default data dir %q does not end in MotCua", c.dataDir)
	}
	if _, err := parseFlags([]string{"--lang", "fr"}, io.Discard); err == nil || !strings.Contains(err.Error(), "vi") {
		t.Errorf("--lang fr accepted: %v", err)
	}
}

// TestBinaryLinksNoTestData: data generators and fixtures live in test-only
// packages; the shipped binary never links them.
func TestBinaryLinksNoTestData(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 || !slices.Contains(deps, "motcua/app") {
		t.Fatalf("go list -deps returned too little: %d packages", len(deps))
	}
	for _, d := range deps {
		if d == "motcua/internal/testgen" || strings.HasSuffix(d, "test") && strings.HasPrefix(d, "motcua/") {
			t.Errorf("the binary links the test-only package %s", d)
		}
	}
}

// TestErrorsExaminedWithAs: no Go file of the module asserts the type of an
// error variable (err.(*app.Error), switch err.(type)): wrapped errors
// would slip through, and an unchecked assertion panics. errors.As it is.
func TestErrorsExaminedWithAs(t *testing.T) {
	var files []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("only %d Go files found", len(files))
	}
	isErr := regexp.MustCompile(`^(err\w*|\w*Err)$`)
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if ta, ok := n.(*ast.TypeAssertExpr); ok {
				if id, ok := ta.X.(*ast.Ident); ok && isErr.MatchString(id.Name) {
					t.Errorf("%s: type assertion on %s: use errors.As", fset.Position(ta.Pos()), id.Name)
				}
			}
			return true
		})
	}
}
