package ui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
	"motcua/client"
	"motcua/release"
)

// TestUpdateInStatusBar: a signed release published on the real hub is found
// by the real updater, shown as "Có phiên bản mới" with its notes in the
// status bar; a receiving officer is told to ask the administrator, the
// administrator installs it (the installer is launched) and the program quits.
func TestUpdateInStatusBar(t *testing.T) {
	h, srv, quiet := startHub(t)
	key, err := h.AddAgency("000.00.31.H56", "UBND xã Tân Lập", "")
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	msi := bytes.Repeat([]byte("MotCua 0.2.0 MSI\n"), 1000)
	sig := release.EncodeSignature(release.Sign(priv, "0.2.0", sha256.Sum256(msi)))
	if _, err := h.PublishRelease("0.2.0", "Mẫu phiếu tiếp nhận mới theo Thông tư 01/2026\nSửa lỗi in sổ theo dõi", sig, bytes.NewReader(msi)); err != nil {
		t.Fatal(err)
	}

	e := newEnv(t)
	admin := e.setUp()
	cl, err := client.New(e.svc, e.db, client.Config{URL: srv.URL, Key: key, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	var launched []string
	up := client.NewUpdater(cl, client.UpdaterConfig{Current: "0.1.0", Keys: []ed25519.PublicKey{pub},
		Dir: filepath.Join(t.TempDir(), "updates"), Logger: quiet,
		Launch: func(p string) error { launched = append(launched, p); return nil }})
	e.ui.opts.Updates = up
	e.ui.wireUpdates()

	if err := e.svc.SaveUser(admin, app.UserInput{Username: "tiepnhan", FullName: "Nguyễn Thị Hằng",
		Password: "matkhau123", Roles: []app.Role{app.RoleReceiver}}); err != nil {
		t.Fatal(err)
	}
	officer, err := e.svc.User("tiepnhan")
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(officer)
	if e.ui.shell.update.Visible() {
		t.Fatal("the update button shows before any release was found")
	}
	if _, err := up.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "Có phiên bản mới 0.2.0 — Mẫu phiếu tiếp nhận mới theo Thông tư 01/2026"
	waitFor(t, "the status bar to show the update", func() bool {
		return e.ui.shell.update.Visible() && e.ui.shell.update.Text == want
	})
	test.Tap(e.ui.shell.update)
	ov := e.ui.win.Canvas().Overlays().Top()
	if ov == nil {
		t.Fatal("no dialog")
	}
	if txt := renderedText(ov); !strings.Contains(txt, "Sửa lỗi in sổ theo dõi") || !strings.Contains(txt, "Quản trị viên của bộ phận") {
		t.Fatalf("the officer's dialog says %q", txt)
	}
	test.Tap(topDialogButton(t, e, "Đóng"))
	if len(launched) != 0 {
		t.Fatal("an officer started the installer")
	}

	e.signIn(admin)
	waitFor(t, "the administrator's status bar to show the update", func() bool { return e.ui.shell.update.Visible() })
	test.Tap(e.ui.shell.update)
	// Every line of the dialog fits within it (the restart warning ran over
	// the buttons under Wine's wider font).
	for _, o := range test.LaidOutObjects(e.ui.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && l.Text != "" && l.Wrapping == fyne.TextWrapOff && l.MinSize().Width > 480 {
			t.Errorf("the line %q does not wrap and needs %.0f units, wider than the dialog", l.Text, l.MinSize().Width)
		}
	}
	test.Tap(topDialogButton(t, e, "Cài đặt và khởi động lại"))
	if len(launched) != 1 || filepath.Base(launched[0]) != "MotCua-0.2.0.msi" {
		t.Fatalf("launched %v", launched)
	}
}
