package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// TestWizardSetsTheBackupPassphrase: the wizard's optional passphrase shows
// its strength, wants the promise to write it down, and is set with the
// office: the first backup is encrypted.
func TestWizardSetsTheBackupPassphrase(t *testing.T) {
	e := newEnv(t)
	e.ui.Start()
	s, ok := setupFrom(e)
	if !ok {
		t.Fatal("no wizard")
	}
	test.Type(s.name.entry, "UBND xã Tân Lập")
	test.Type(s.governing.entry, "UBND TỈNH THANH HÓA")
	test.Type(s.code.entry, "000.00.31.H56")
	test.Type(s.place.entry, "Tân Lập")
	test.Type(s.username.entry, "admin")
	test.Type(s.fullName.entry, "Lê Văn Quản")
	test.Type(s.pw1.entry, "matkhau123")
	test.Type(s.pw2.entry, "matkhau123")
	test.Type(s.pass.p1.entry, "abc123")
	if !strings.Contains(s.pass.strength.Text, "Rất yếu") || s.pass.strength.Importance != widget.DangerImportance {
		t.Errorf("strength of a weak passphrase: %q", s.pass.strength.Text)
	}
	s.pass.p1.entry.SetText(uiPassphrase)
	if !strings.Contains(s.pass.strength.Text, "Rất mạnh") {
		t.Errorf("strength: %q", s.pass.strength.Text)
	}
	s.pass.p2.entry.SetText(uiPassphrase)
	test.Tap(s.save)
	if ok, _ := e.svc.IsSetUp(); ok || !strings.Contains(s.errLine.Text, "ghi mật khẩu sao lưu ra giấy") {
		t.Fatalf("set up without the promise to write the passphrase down: %q", s.errLine.Text)
	}
	s.pass.written.SetChecked(true)
	test.Tap(s.save)
	if ok, _ := e.svc.IsSetUp(); !ok {
		t.Fatalf("not set up: %q", s.errLine.Text)
	}
	if ok, _ := e.ui.svc.HasBackupPassphrase(); !ok {
		t.Fatal("the wizard's passphrase was not set")
	}
	f, err := e.ui.svc.Backup(e.ui.user, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := verifySealed(t, e.ui.svc, f.Path); err != nil {
		t.Error(err)
	}
}

// TestBackupTabSetsThePassphraseAndWarnsOfAPlainBackup: without a
// passphrase the tab says backups cannot be taken; the dialog sets it; a
// plain backup from before still restores, after a warning.
func TestBackupTabSetsThePassphraseAndWarnsOfAPlainBackup(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	old := e.received(admin)
	// A backup of an earlier version: the database file in clear.
	legacy := filepath.Join(t.TempDir(), "motcua-20250101-090000.db")
	if _, err := e.db.WriteBackup(legacy, nil); err != nil {
		t.Fatal(err)
	}
	later := e.received(admin)

	e.signIn(admin)
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	ss.selectTab("backup")
	tab := ss.backup
	if !strings.Contains(tab.keyStatus.Text, "Chưa đặt mật khẩu sao lưu") {
		t.Errorf("status: %q", tab.keyStatus.Text)
	}
	test.Tap(findButton(t, tab.root, "Sao lưu ngay"))
	if !strings.Contains(tab.errLine.Text, "Chưa đặt mật khẩu sao lưu") {
		t.Errorf("a backup without a passphrase: %q", tab.errLine.Text)
	}
	test.Tap(findButton(t, tab.root, "Đặt mật khẩu sao lưu…"))
	f := tab.lastPassDialog
	f.p1.entry.SetText(uiPassphrase)
	f.p2.entry.SetText(uiPassphrase)
	f.written.SetChecked(true)
	tab.passSubmit()
	if !strings.Contains(tab.keyStatus.Text, "Đã đặt") {
		t.Fatalf("status after setting: %q", tab.keyStatus.Text)
	}
	test.Tap(findButton(t, tab.root, "Sao lưu ngay"))
	if tab.errLine.Visible() || len(tab.files) != 1 {
		t.Fatalf("backup after setting the passphrase: %q", tab.errLine.Text)
	}

	tab.pickOpen = func(done func(string)) { done(legacy) }
	test.Tap(findButton(t, tab.root, "Khôi phục từ tệp khác…"))
	ov := e.ui.win.Canvas().Overlays().Top()
	if ov == nil || !strings.Contains(renderedText(ov), "không được mã hóa") {
		t.Fatal("no warning before restoring a plain backup")
	}
	confirm := topDialogButton(t, e, "Khôi phục")
	e.afterBackground(func() { test.Tap(confirm) })
	if _, err := e.ui.svc.Dossier(later.Code); app.KindOf(err) != app.KindNotFound {
		t.Errorf("the later dossier survived: %v", err)
	}
	if _, err := e.ui.svc.Dossier(old.Code); err != nil {
		t.Errorf("the plain backup's dossier: %v", err)
	}
	if _, err := os.Stat(legacy); err != nil {
		t.Errorf("the plain backup itself was removed: %v", err)
	}
}
