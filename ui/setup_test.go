package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"motcua/app"
)

func TestSetupWizardRefusesBadCodeThenCreatesOffice(t *testing.T) {
	e := newEnv(t)
	e.ui.Start()
	s, ok := setupFrom(e)
	if !ok {
		t.Fatal("first run does not show the setup wizard")
	}
	test.Type(s.name.entry, "UBND xã Tân Lập")
	test.Type(s.governing.entry, "UBND TỈNH THANH HÓA")
	test.Type(s.code.entry, "000.00.31.h5") // lower case and too short
	test.Type(s.place.entry, "Tân Lập")
	test.Type(s.username.entry, "admin")
	test.Type(s.fullName.entry, "Lê Văn Quản")
	test.Type(s.pw1.entry, "matkhau123")
	test.Type(s.pw2.entry, "matkhau124")
	test.Tap(s.save)
	if s.code.message() == "" {
		t.Error("a bad agency code shows no message")
	}
	if s.pw2.message() != "Hai lần nhập mật khẩu không khớp" {
		t.Errorf("password mismatch message = %q", s.pw2.message())
	}
	if ok, _ := e.svc.IsSetUp(); ok {
		t.Fatal("the office was set up with bad input")
	}

	s.code.entry.SetText("000.00.31.H56")
	s.pw2.entry.SetText("matkhau123")
	s.counter.SetChecked(false) // an administrator only
	test.Tap(s.save)
	if ok, _ := e.svc.IsSetUp(); !ok {
		t.Fatalf("the office was not set up: %q", s.errLine.Text)
	}
	if e.ui.shell == nil || e.ui.user.Username != "admin" || !e.ui.user.Has(app.RoleAdmin) {
		t.Fatal("the administrator is not signed in after setup")
	}
	if _, ok := e.ui.shell.buttons["receive"]; ok {
		t.Error("an administrator without the receiver role sees Tiếp nhận")
	}
	if _, ok := e.ui.shell.buttons["settings"]; !ok {
		t.Error("the administrator does not see Cài đặt")
	}
}

// setupFrom finds the wizard on the window.
func setupFrom(e *env) (*setupScreen, bool) {
	s := newSetupScreen(e.ui) // same widgets as the one shown, but we need its fields
	e.ui.win.SetContent(s.view)
	return s, e.ui.shell == nil
}

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	e.setUp()
	e.ui.Start()
	s := newSignInScreen(e.ui)
	e.ui.win.SetContent(s.view)
	test.Type(s.username, "admin")
	test.Type(s.password, "sai-mat-khau")
	test.Tap(s.button)
	if s.errLine.Text != "Tên đăng nhập hoặc mật khẩu không đúng" {
		t.Errorf("bad password message = %q", s.errLine.Text)
	}
	if e.ui.shell != nil {
		t.Fatal("signed in with a bad password")
	}
	test.Type(s.password, "matkhau123")
	s.password.OnSubmitted(s.password.Text) // Enter
	if e.ui.shell == nil {
		t.Fatalf("not signed in: %q", s.errLine.Text)
	}
}

func TestSetupLetsTheFirstUserTakeTheCounterRoles(t *testing.T) {
	e := newEnv(t)
	e.ui.Start()
	s, ok := setupFrom(e)
	if !ok {
		t.Fatal("no wizard")
	}
	if !s.counter.Checked {
		t.Error("the counter roles are not offered by default")
	}
	s.name.entry.SetText("UBND xã Tân Lập")
	s.governing.entry.SetText("UBND TỈNH THANH HÓA")
	s.code.entry.SetText("000.00.31.H56")
	s.place.entry.SetText("Tân Lập")
	s.username.entry.SetText("admin")
	s.fullName.entry.SetText("Lê Văn Quản")
	s.pw1.entry.SetText("matkhau123")
	s.pw2.entry.SetText("matkhau123")
	test.Tap(s.save)
	if e.ui.user == nil || !e.ui.user.Has(app.RoleReceiver) || !e.ui.user.Has(app.RoleSpecialist) || !e.ui.user.Has(app.RoleLeader) {
		t.Fatalf("the first user cannot work the counter: %+v", e.ui.user)
	}
	if _, ok := e.ui.shell.buttons["receive"]; !ok {
		t.Error("no Tiếp nhận for the first user")
	}
	if !strings.Contains(e.ui.lastInfo, "Người dùng") {
		t.Errorf("nothing says what to do next: %q", e.ui.lastInfo)
	}
}
