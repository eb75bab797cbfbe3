package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"motcua/app"
)

func TestShortcutsAndNavigationByRole(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	rcv := e.receiver(admin)
	if !rcv.Has(app.RoleReceiver) {
		t.Fatal("not a receiver")
	}
	s := e.ui.shell
	for _, id := range []string{"home", "receive", "dossiers", "settings"} {
		if _, ok := s.buttons[id]; !ok {
			t.Errorf("receiver lacks %s", id)
		}
	}
	if s.current != "home" {
		t.Errorf("first screen = %s", s.current)
	}
	c := e.ui.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })

	c.TypedShortcut(shortcutNew)
	if s.current != "receive" {
		t.Fatalf("Ctrl+N opened %s", s.current)
	}
	if r := s.screens["receive"].(*receiveScreen); e.ui.win.Canvas().Focused() != r.filter {
		t.Error("Ctrl+N does not focus the procedure filter")
	}

	c.TypedShortcut(shortcutFind)
	if s.current != "dossiers" {
		t.Fatalf("Ctrl+F opened %s", s.current)
	}
	if ds := s.screens["dossiers"].(*dossiersScreen); e.ui.win.Canvas().Focused() != ds.search {
		t.Error("Ctrl+F does not focus the search box")
	}

	// A specialist has no Tiếp nhận; signing out returns to the sign-in screen.
	if err := e.svc.SaveUser(admin, app.UserInput{Username: "cv", FullName: "Trần Đức Thắng", Roles: []app.Role{app.RoleSpecialist}, Password: "matkhau123"}); err != nil {
		t.Fatal(err)
	}
	e.ui.signOut()
	if e.ui.shell != nil {
		t.Fatal("still signed in")
	}
	cv, _ := e.svc.SignIn("cv", "matkhau123")
	e.signIn(cv)
	if _, ok := e.ui.shell.buttons["receive"]; ok {
		t.Error("a specialist sees Tiếp nhận")
	}
	c.TypedShortcut(shortcutNew) // ignored
	if e.ui.shell.current == "receive" {
		t.Error("Ctrl+N opened the receive screen for a specialist")
	}
}

func TestHomeQuickSearchOpensDossier(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	e.signIn(admin)
	h := e.ui.shell.screens["home"].(*homeScreen)
	if h.tiles[app.StateReceived].Text != "1" {
		t.Errorf("received tile = %q", h.tiles[app.StateReceived].Text)
	}
	h.search.SetText(d.Code)
	h.search.OnSubmitted(d.Code)
	if e.ui.shell.current != "detail" || e.ui.shell.detail.d.Code != d.Code {
		t.Fatalf("quick search by code opened %s", e.ui.shell.current)
	}
	e.ui.shell.goBack()
	if e.ui.shell.current != "home" {
		t.Errorf("back went to %s", e.ui.shell.current)
	}
	h.search.SetText("do thi mai")
	h.search.OnSubmitted("")
	ds := e.ui.shell.screens["dossiers"].(*dossiersScreen)
	if e.ui.shell.current != "dossiers" || len(ds.rows) != 1 {
		t.Errorf("quick search by name: %s, %d rows", e.ui.shell.current, len(ds.rows))
	}
}
