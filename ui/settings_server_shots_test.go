package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/internal/pgtest"
)

// TestServerScreenshots writes PNGs of the wizard's two choices, its
// connection test answers and Cài đặt → Máy chủ to $MOTCUA_SHOTS (for a
// person to look at; skipped without it).
func TestServerScreenshots(t *testing.T) {
	dir := os.Getenv("MOTCUA_SHOTS")
	if dir == "" {
		t.Skip("MOTCUA_SHOTS not set")
	}
	dsn := pgtest.DSN(t)
	if err := pgtest.Shared().CreatePasswordUser(); err != nil {
		t.Fatal(err)
	}
	shot := func(e *env, name string) {
		img := e.ui.win.Canvas().Capture()
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	e, _ := newServerEnv(t)
	e.ui.win.Resize(fyne.NewSize(1100, 820))
	e.ui.Start()
	s, _ := setupFrom(e)
	shot(e, "setup-one-desk")
	_, server := storeChoices()
	s.mode.SetSelected(server)
	shot(e, "setup-server")
	for _, c := range []struct{ name, user, pw, db, port string }{
		{"ok", "motcua", "", "", ""},
		{"wrong-password", pgtest.PasswordUser, "sai", "", ""},
		{"missing-database", "motcua", "", "khong_co", ""},
		{"unreachable", "motcua", "", "", strconv.Itoa(pgtest.Shared().Port + 1)},
	} {
		fillServer(s.server, dsn, c.user, c.pw)
		if c.db != "" {
			s.server.database.entry.SetText(c.db)
		}
		if c.port != "" {
			s.server.port.entry.SetText(c.port)
		}
		test.Tap(s.server.test)
		shot(e, "setup-server-"+c.name)
	}

	e2, _ := newServerEnv(t)
	if _, err := e2.svc.SeedDemo(testNow); err != nil {
		t.Fatal(err)
	}
	admin, _ := e2.svc.SignIn("quantri", "demo")
	e2.signIn(admin)
	e2.ui.win.Resize(fyne.NewSize(1280, 820))
	e2.ui.shell.go_("settings")
	ss := e2.ui.shell.screens["settings"].(*settingsScreen)
	ss.selectTab("server")
	fillServer(ss.server.form, dsn, "motcua", "")
	test.Tap(ss.server.form.test)
	shot(e2, "settings-server")
}
