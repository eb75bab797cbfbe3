//go:build ignore

// i18n-sync adds every string the interface translates to
// resources/translations/vi.json and en.json: the literal arguments of
// lang.L in ui/*.go, the labels of app's states, roles, actions and
// channels, and the message IDs of app's errors (app/messages.go). Vietnamese is the source language: vi.json maps a new key to
// itself; en.json gets the key as a placeholder and the tool lists it so that
// someone translates it. Strings no longer used are removed. Fyne's own keys
// are kept as they are.
//
//	go run scripts/i18n-sync.go
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"motcua/app"
)

func main() {
	keys := map[string]bool{}
	files, _ := filepath.Glob("ui/*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			panic(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
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
				keys[s] = true
			}
			return true
		})
	}
	for _, s := range app.AllStates() {
		keys[s.Label()] = true
	}
	for _, c := range app.AllStatusCodes() {
		keys[c.Name()] = true
	}
	for _, r := range app.AllRoles() {
		keys[r.Label()] = true
	}
	for _, a := range app.Actions() {
		keys[a.Label()] = true
	}
	keys[app.ActReceive.Label()] = true
	keys[app.ActRecall.Label()] = true
	for _, c := range []app.Channel{app.ChannelInPerson, app.ChannelOnline, app.ChannelPostal} {
		keys[c.Label()] = true
	}
	for _, k := range []app.ApplicantKind{1, 2, 3, 4} {
		keys[k.Label()] = true
	}
	for _, o := range []app.Outcome{app.OutcomeEarly, app.OutcomeOnTime, app.OutcomeLate} {
		keys[o.Label()] = true
	}
	for _, f := range app.SealFields() { // integrity findings name the edited field (ui/backup.go)
		keys[app.SealFieldLabel(f)] = true
	}

	for _, id := range messageIDs() {
		keys[id] = true
	}

	vi, en := load("vi"), load("en")
	// Forget app strings no longer used: in vi.json they map to themselves
	// (Fyne's own keys map to Vietnamese and are kept).
	for k, v := range vi {
		if s, ok := v.(string); ok && s == k && !keys[k] {
			delete(vi, k)
			delete(en, k)
		}
	}
	var todo []string
	for k := range keys {
		if _, ok := vi[k]; !ok {
			vi[k] = k
		}
		if _, ok := en[k]; !ok {
			en[k] = k
			todo = append(todo, k)
		}
	}
	save("vi", vi)
	save("en", en)
	sort.Strings(todo)
	for _, k := range todo {
		fmt.Println("en: untranslated:", k)
	}
}

// messageIDs returns the values of the MsgID constants of package app.
func messageIDs() []string {
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("app", "messages.go"), nil, 0)
	if err != nil {
		panic(err)
	}
	var ids []string
	for _, decl := range file.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if t, ok := vs.Type.(*ast.Ident); !ok || t.Name != "MsgID" {
				continue
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					ids = append(ids, s)
				}
			}
		}
	}
	return ids
}

func path(l string) string { return filepath.Join("resources", "translations", l+".json") }

func load(l string) map[string]any {
	m := map[string]any{}
	b, err := os.ReadFile(path(l))
	if err == nil {
		if err := json.Unmarshal(b, &m); err != nil {
			panic(err)
		}
	}
	return m
}

func save(l string, m map[string]any) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err)
	}
	b = append(b, '\n')
	if err := os.WriteFile(path(l), b, 0o644); err != nil {
		panic(err)
	}
}
