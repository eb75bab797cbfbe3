package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"motcua/app"
)

func TestIdleLockAfterTheConfiguredTime(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	st, _ := e.svc.Settings()
	st.IdleLockMin = 5
	if err := e.svc.SaveSettings(admin, st); err != nil {
		t.Fatal(err)
	}
	e.signIn(admin)
	l := e.ui.idle
	main := e.ui.win.Content()

	// Four minutes idle: still open. Typing in the home search is activity.
	e.clock.T = testNow.Add(4 * time.Minute)
	l.check()
	if l.locked {
		t.Fatal("locked too early")
	}
	h := e.ui.shell.screens["home"].(*homeScreen)
	e.ui.win.Canvas().Focus(h.search)
	test.Type(h.search, "Nguyễn")
	e.clock.T = testNow.Add(6 * time.Minute)
	l.check() // sees the typing: the idle time starts again
	if l.locked {
		t.Fatal("locked while typing")
	}
	// Keys typed with nothing focused count too (the canvas hook).
	e.ui.win.Canvas().Unfocus()
	e.clock.T = testNow.Add(10 * time.Minute)
	l.check() // the focus moved: activity at 10'
	e.clock.T = testNow.Add(13 * time.Minute)
	e.ui.win.Canvas().OnTypedRune()('x')
	e.clock.T = testNow.Add(17 * time.Minute)
	l.check()
	if l.locked {
		t.Fatal("locked although a key was typed 4 minutes ago")
	}

	// Five minutes without anything: the lock screen, without menu or dialogs.
	e.ui.info("Thông báo", "một hộp thoại đang mở")
	e.clock.T = testNow.Add(19 * time.Minute)
	l.check()
	if !l.locked || e.ui.win.Content() == main {
		t.Fatal("not locked after 5 idle minutes")
	}
	if e.ui.win.MainMenu() != nil || len(e.ui.win.Canvas().Overlays().List()) != 0 {
		t.Error("the menu or a dialog shows over the lock screen")
	}
	if !strings.Contains(renderedText(e.ui.win.Content()), "Phiên làm việc đã khóa") {
		t.Error("no lock title")
	}

	// A wrong password keeps it locked and says why.
	test.Type(l.password, "saimatkhau")
	test.Tap(l.unlockB)
	if !l.locked || !l.errLine.Visible() {
		t.Fatal("unlocked with a wrong password")
	}
	if l.password.Text != "" {
		t.Error("the wrong password stays in the box")
	}
	test.Type(l.password, "matkhau123")
	l.password.OnSubmitted(l.password.Text)
	if l.locked || e.ui.win.Content() != main {
		t.Fatalf("not unlocked with the right password: %q", l.errLine.Text)
	}
	if e.ui.win.MainMenu() == nil || len(e.ui.win.Canvas().Overlays().List()) != 1 {
		t.Error("the menu or the dialog did not come back")
	}

	// 0 minutes: never.
	st.IdleLockMin = 0
	e.svc.SaveSettings(admin, st)
	e.clock.T = testNow.Add(5 * time.Hour)
	l.check()
	if l.locked {
		t.Error("locked with the lock turned off")
	}
}

func TestIdleLockSignOutAndFailures(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	e.clock.T = testNow.Add(15 * time.Minute) // the default
	e.ui.idle.check()
	l := e.ui.idle
	if !l.locked {
		t.Fatal("not locked after the default 15 minutes")
	}
	// Five wrong passwords lock the account, as at the sign-in screen.
	for range 5 {
		l.password.SetText("sai")
		l.unlock()
	}
	l.password.SetText("matkhau123")
	l.unlock()
	if !l.locked {
		t.Fatal("unlocked after the account was locked")
	}
	if _, err := e.svc.SignIn("admin", "matkhau123"); app.KindOf(err) == app.KindOther || err == nil {
		t.Errorf("account not locked: %v", err)
	}
	test.Tap(findButton(t, e.ui.win.Content(), "Đăng xuất"))
	if e.ui.shell != nil || l.locked || e.ui.win.Title() != "Một Cửa — Đăng nhập" {
		t.Errorf("sign out from the lock screen: %q", e.ui.win.Title())
	}
}
