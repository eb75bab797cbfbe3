package ui

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/app"
)

// appMessageIDs reads the MsgID constants of app/messages.go, by name.
func appMessageIDs(t *testing.T) map[string]app.MsgID {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "app", "messages.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]app.MsgID{}
	for _, decl := range file.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "MsgID" {
				continue
			}
			for i, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					ids[vs.Names[i].Name] = app.MsgID(s)
				}
			}
		}
	}
	if len(ids) < 100 {
		t.Fatalf("only %d message IDs in app/messages.go", len(ids))
	}
	return ids
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z%]`)

// vietnamese reports whether s has a letter with a Vietnamese diacritic
// (precomposed or combining). The product's name is the same in every
// language.
func vietnamese(s string) bool {
	for _, r := range strings.ReplaceAll(s, "Một Cửa", "") {
		if r > unicode.MaxASCII && (unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Mn, r)) {
			return true
		}
	}
	return false
}

// TestMessagesTranslated: every message ID of app has its Vietnamese text of
// today in vi.json and an English text in en.json with the same arguments;
// and every message that app, storage, forms and client put in a domain
// error is one of those IDs (no string literal where a message ID goes).
func TestMessagesTranslated(t *testing.T) {
	vi, en := loadTranslations(t, "vi"), loadTranslations(t, "en")
	for name, id := range appMessageIDs(t) {
		if got, _ := vi[string(id)].(string); got != string(id) {
			t.Errorf("vi.json: %s = %q, want its Vietnamese text %q (go run scripts/i18n-sync.go)", name, got, id)
		}
		e, ok := en[string(id)].(string)
		switch {
		case !ok || e == string(id):
			t.Errorf("en.json does not translate %s %q", name, id)
		case vietnamese(e):
			t.Errorf("en.json: %s is not English: %q", name, e)
		case fmt.Sprint(verb.FindAllString(e, -1)) != fmt.Sprint(verb.FindAllString(string(id), -1)):
			t.Errorf("en.json: %s has verbs %v, the Vietnamese %v", name, verb.FindAllString(e, -1), verb.FindAllString(string(id), -1))
		}
	}

	// Where a message ID goes in app's calls: the argument positions.
	idArgs := map[string]func(i int) bool{
		"E":        func(i int) bool { return i > 0 },
		"M":        func(i int) bool { return i == 0 },
		"FieldErr": func(i int) bool { return i == 1 },
		"deny":     func(i int) bool { return i == 1 },
		"required": func(i int) bool { return i == 3 },
		"MsgID":    func(i int) bool { return true },
	}
	files, _ := filepath.Glob(filepath.Join("..", "app", "*.go"))
	for _, pkg := range []string{"storage", "forms", "client"} {
		more, _ := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		files = append(files, more...)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				fn, ok := n.Fun.(*ast.Ident)
				if sel, isSel := n.Fun.(*ast.SelectorExpr); isSel {
					if pkg, _ := sel.X.(*ast.Ident); pkg != nil && pkg.Name == "app" {
						fn, ok = sel.Sel, true
					}
				}
				if !ok || idArgs[fn.Name] == nil {
					return true
				}
				calls++
				for i, a := range n.Args {
					if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING && idArgs[fn.Name](i) {
						t.Errorf("%s: %s(…) carries the literal %s: add a MsgID to app/messages.go", fset.Position(lit.Pos()), fn.Name, lit.Value)
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "ID" {
					if lit, ok := n.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						t.Errorf("%s: ID: %s: add a MsgID to app/messages.go", fset.Position(lit.Pos()), lit.Value)
					}
				}
			}
			return true
		})
	}
	if calls < 150 {
		t.Errorf("only %d message-carrying calls found", calls)
	}
}

// TestDomainErrorsSpeakTheLanguage: in English mode a domain error, its
// field errors and every message ID render without a Vietnamese letter; in
// Vietnamese mode they read as they always have.
func TestDomainErrorsSpeakTheLanguage(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	t.Cleanup(func() { _ = SetLanguage("vi") })

	transition := app.ErrTransition("Approve", app.StateReceived, app.ActApprove)
	_, receive := e.svc.Receive(admin, app.ReceiveInput{ProcedureCode: "1.001193", Applicant: app.Person{Phone: "12"}})
	_, signIn := e.svc.SignIn("admin", "sai-mat-khau")
	_, catalogue := app.ParseCatalogue([]byte(`[{"code":"1.001193","name":"","field":""}]`))
	_, transfer := e.svc.Transfer(admin, "000.00.31.H56-250429-9999", app.TransferInput{ToAgency: "000.00.31.H56"})
	errs := []error{transition, receive, signIn, catalogue, transfer, app.CheckPhone("12"), app.ValidAgencyCode("x")}
	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
	}
	if app.IDOf(transition) != app.MsgTransition || app.KindOf(transition) != app.KindConflict ||
		app.IDOf(signIn) != app.MsgBadCredentials || app.IDOf(catalogue) != app.MsgCatalogueEntry {
		t.Errorf("IDs: %q %q %q", app.IDOf(transition), app.IDOf(signIn), app.IDOf(catalogue))
	}
	var fe *app.Error
	if !errors.As(receive, &fe) || len(fe.Fields) == 0 {
		t.Fatalf("Receive: no field errors in %v", receive)
	}

	if err := SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	// The Vietnamese of today, as the domain wrote it before messages had IDs.
	want := fmt.Sprintf("Không thể thực hiện \"%s\" khi hồ sơ đang ở trạng thái \"%s\"", app.ActApprove.Label(), app.StateReceived.Label())
	if got := message(transition); got != want {
		t.Errorf("vi: %q, want %q", got, want)
	}
	if got := message(app.CheckPhone("12")); got != "Số điện thoại không hợp lệ (ví dụ 0912345678)" {
		t.Errorf("vi: %q", got)
	}
	for _, err := range errs {
		var ae *app.Error
		errors.As(err, &ae)
		if got := message(err); ae.ID != "" && got != ae.Message().Text() {
			t.Errorf("vi: %q, want %q", got, ae.Message().Text())
		}
	}

	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := message(transition); got != `Cannot "Approve" while the dossier is "Received"` {
		t.Errorf("en: %q", got)
	}
	wrapped := app.E("storage.Open", app.E("storage.schema", app.KindInvalid, app.MsgStoreUpgrade))
	if got := message(wrapped); got != "The database needs an upgrade: open it once in normal mode" {
		t.Errorf("en: wrapped: %q", got)
	}
	for _, err := range errs {
		if got := message(err); vietnamese(got) {
			t.Errorf("en: %q (from %v)", got, err)
		}
		for _, f := range fieldErrors(err) {
			if got := render(f.Message()); vietnamese(got) || got == "" {
				t.Errorf("en: field %s: %q", f.Field, got)
			}
		}
	}
	for name, id := range appMessageIDs(t) {
		var args []any
		for _, v := range verb.FindAllString(string(id), -1) {
			if strings.HasSuffix(v, "d") {
				args = append(args, 3)
			} else {
				args = append(args, "X")
			}
		}
		got := render(app.M(id, args...))
		if vietnamese(got) || strings.Contains(got, "%!") {
			t.Errorf("en: %s renders %q", name, got)
		}
	}
}

// TestReceiveFieldErrorsInEnglish: the receive screen in English mode shows
// the domain's field error and sentence in English.
func TestReceiveFieldErrorsInEnglish(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	t.Cleanup(func() { _ = SetLanguage("vi") })
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	r := e.receiveScreen()
	test.Type(r.filter, "khai sinh")
	r.filter.OnSubmitted(r.filter.Text)
	test.Type(r.name.entry, "Phạm Thị Lan")
	test.Type(r.idNumber.entry, "03809000123") // 11 digits
	r.phone.entry.SetText("12")
	test.Tap(r.save)
	if got, want := r.idNumber.message(), "A citizen ID number has exactly 12 digits"; got != want {
		t.Errorf("id message = %q, want %q", got, want)
	}
	if got := r.phone.message(); got != "The phone number is not valid (for example 0912345678)" {
		t.Errorf("phone message = %q", got)
	}
	if !r.errLine.Visible() || r.errLine.Text == "" || vietnamese(r.errLine.Text) {
		t.Errorf("sentence under the form: %q", r.errLine.Text)
	}
	if dir := os.Getenv("MOTCUA_SHOTS"); dir != "" {
		e.ui.win.Resize(fyne.NewSize(1280, 720))
		writePNG(t, filepath.Join(dir, "receive-errors-en.png"), e.ui.win.Canvas().Capture())
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
