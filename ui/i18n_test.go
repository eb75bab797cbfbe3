package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"motcua/resources"
)

func loadTranslations(t *testing.T, code string) map[string]any {
	t.Helper()
	b, err := resources.Translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

// TestTranslationsComplete: every literal passed to lang.L in this package
// is in both files, both files have the same keys, and vi.json translates
// every key of Fyne's own English bundle (dialog buttons, weekdays).
func TestTranslationsComplete(t *testing.T) {
	vi, en := loadTranslations(t, "vi"), loadTranslations(t, "en")
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "L" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "lang" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				n++
				if _, ok := vi[s]; !ok {
					t.Errorf("%s: %q missing from vi.json (go run scripts/i18n-sync.go)", fset.Position(lit.Pos()), s)
				}
				if _, ok := en[s]; !ok {
					t.Errorf("%s: %q missing from en.json", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
	if n < 100 {
		t.Errorf("only %d translated strings found", n)
	}
	for k := range vi {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("vi.json lacks %q", k)
		}
	}

	base := filepath.Join(fyneDir(t), "lang", "translations", "base.en.json")
	b, err := os.ReadFile(base)
	if err != nil {
		t.Fatalf("Fyne's base.en.json not found: %v", err)
	}
	fy := map[string]any{}
	if err := json.Unmarshal(b, &fy); err != nil {
		t.Fatal(err)
	}
	for k, v := range fy {
		got, ok := vi[k]
		if !ok {
			t.Errorf("vi.json lacks Fyne's key %q", k)
			continue
		}
		if s, isStr := v.(string); isStr && got == s && s != "OK" {
			t.Errorf("vi.json leaves Fyne's %q in English", k)
		}
	}
}

// fyneDir asks the go command where the Fyne module this build uses lives,
// so that an upgrade of Fyne moves the test along with it instead of turning
// it into a skip.
func fyneDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("go list -m fyne.io/fyne/v2: %v", err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go list -m fyne.io/fyne/v2 gave no module directory (%v): %s", err, out)
	}
	return m.Dir
}

func TestSetLanguageForcesTheChoice(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Cleanup(func() { _ = SetLanguage("vi") })
	if err := SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Tiếp nhận"); got != "Tiếp nhận" {
		t.Errorf("vi: %q", got)
	}
	if got := lang.L("Cancel"); got != "Hủy" {
		t.Errorf("vi Fyne key: Cancel = %q", got)
	}
	if got := lang.X("monday.short", "Mon"); got != "T2" {
		t.Errorf("vi weekday: %q", got)
	}
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Tiếp nhận"); got != "Receive" {
		t.Errorf("en: %q", got)
	}
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("en Fyne key: Cancel = %q", got)
	}
	if got := lang.L("Hẹn trả: %s (%s)"); got != "Appointment: %s (%s)" {
		t.Errorf("en: %q", got)
	}
}
