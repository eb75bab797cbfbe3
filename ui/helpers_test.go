package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/app"
	"motcua/storage"
)

// env is a UI over a real database file in a temporary folder.
type env struct {
	t     *testing.T
	db    *storage.DB
	svc   *app.Service
	clock *app.FixedClock
	ui    *UI
}

// testNow is a Tuesday morning in office hours.
var testNow = time.Date(2025, 4, 29, 9, 0, 0, 0, app.Vietnam)

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Setenv("LANG", "en_US.UTF-8")
	test.NewTempApp(t)
	db, err := storage.Open(filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &app.FixedClock{T: testNow}
	svc := app.NewService(db, clk)
	u := New(fyne.CurrentApp(), svc, Options{Language: "vi"})
	u.open = func(string) error { return nil }
	t.Cleanup(func() {
		if u.shell != nil {
			u.shell.stop()
		}
	})
	return &env{t: t, db: db, svc: svc, clock: clk, ui: u}
}

// setUp runs the wizard's use case directly and signs in as a user holding
// every role.
func (e *env) setUp() *app.User {
	e.t.Helper()
	admin, err := e.svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.31.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "matkhau123", Roles: app.AllRoles()},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return admin
}

// signIn opens the main window as u.
func (e *env) signIn(u *app.User) {
	e.t.Helper()
	e.ui.signedIn(u)
	e.ui.win.Resize(fyne.NewSize(1280, 720))
}

// waitFor polls cond on the UI goroutine until it holds (no fixed sleeps).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
