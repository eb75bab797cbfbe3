package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"motcua/app"
	"motcua/forms"
)

// TestTheLogRecordsWhoSawAndPrinted: opening a dossier and printing its
// receipt land in the log; the administrator's Nhật ký tab lists and
// filters them; an administrator who does not process dossiers sees the
// identity number masked.
func TestTheLogRecordsWhoSawAndPrinted(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp() // holds every role
	d := e.received(admin)
	e.signIn(admin)
	e.ui.shell.openDossier(d.Code)
	if txt := renderedText(e.ui.shell.detail.root); !strings.Contains(txt, "038190004321") {
		t.Errorf("an officer who processes dossiers does not see the whole number:\n%s", txt)
	}
	if _, err := e.ui.dossierForm(forms.KindReceipt, d)(); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SaveUser(admin, app.UserInput{Username: "quantri", FullName: "Trần Quản Trị", Roles: []app.Role{app.RoleAdmin}, Password: "matkhau123"}); err != nil {
		t.Fatal(err)
	}
	only, err := e.svc.User("quantri")
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(only)
	e.ui.shell.openDossier(d.Code)
	txt := renderedText(e.ui.shell.detail.root)
	if strings.Contains(txt, "038190004321") || !strings.Contains(txt, "0381••••••21") {
		t.Errorf("an administrator sees the whole identity number:\n%s", txt)
	}

	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	ss.selectTab("audit")
	tab := ss.audit
	if len(tab.entries) < 3 || tab.entries[0].Action != app.ActionView || tab.entries[0].User.Username != "quantri" {
		t.Fatalf("log, newest first: %+v", tab.entries)
	}
	tab.target.SetText(d.Code)
	tab.action.set(app.ActionView)
	test.Tap(findButton(t, tab.root, "Lọc"))
	if len(tab.entries) != 2 {
		t.Errorf("views of %s: %d entries", d.Code, len(tab.entries))
	}
	tab.action.set(app.ActionPrint)
	tab.user.SetText("admin")
	test.Tap(findButton(t, tab.root, "Lọc"))
	if len(tab.entries) != 1 || !strings.Contains(auditLine(tab.entries[0]), "In phiếu") {
		t.Errorf("prints by admin: %+v", tab.entries)
	}
	tab.from.SetText("31/02/2025x")
	test.Tap(findButton(t, tab.root, "Lọc"))
	if !tab.errLine.Visible() {
		t.Error("a bad date was accepted")
	}
}
