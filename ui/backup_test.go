package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
	"motcua/storage"
)

// backupTab opens Cài đặt → Sao lưu as the administrator.
func (e *env) backupTab(admin *app.User) *backupTab {
	e.t.Helper()
	e.signIn(admin)
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	ss.selectTab("backup")
	if ss.tabs.Selected().Content != ss.backup.root {
		e.t.Fatal("the Sao lưu tab is not shown")
	}
	e.setPassphrase(admin)
	ss.backup.askPass = func(_ string, done func(string)) { done(uiPassphrase) }
	return ss.backup
}

// uiPassphrase is the backup passphrase of these tests.
const uiPassphrase = "Tân Lập giữ dữ liệu 2026"

// setPassphrase sets the backup passphrase of the current data (once: each
// costs a second of scrypt).
func (e *env) setPassphrase(admin *app.User) {
	e.t.Helper()
	svc := e.ui.svc
	if ok, _ := svc.HasBackupPassphrase(); ok {
		return
	}
	if err := svc.SetBackupPassphrase(admin, uiPassphrase); err != nil {
		e.t.Fatal(err)
	}
}

// verifySealed opens the sealed backup at path with the passphrase and
// checks the database inside.
func verifySealed(t *testing.T, svc *app.Service, path string) error {
	t.Helper()
	if ok, _ := app.IsSealed(path); !ok {
		t.Errorf("%s is not encrypted", path)
	}
	plain, _, err := svc.OpenBackup(path, uiPassphrase, nil)
	if err == nil {
		err = storage.VerifyBackupFile(plain)
		os.Remove(plain)
	}
	return err
}

// auditActions lists the administration log of the office's current data.
func auditActions(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	err := e.data.Store().View(func(tx app.Tx) error {
		es, err := tx.Audit(0, 1000)
		for _, e := range es {
			out = append(out, e.Action)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBackupNowWritesAVerifiableFile(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.received(admin)
	tab := e.backupTab(admin)
	dir := filepath.Join(e.data.DataDir(), "backups")
	if tab.dir.entry.Text != dir || tab.keep.entry.Text != "14" {
		t.Fatalf("defaults: %q keep %q", tab.dir.entry.Text, tab.keep.entry.Text)
	}
	test.Tap(findButton(t, tab.root, "Sao lưu ngay"))
	if tab.errLine.Visible() {
		t.Fatalf("backup failed: %s", tab.errLine.Text)
	}
	path := filepath.Join(dir, app.BackupName(testNow))
	if err := verifySealed(t, e.ui.svc, path); err != nil {
		t.Fatalf("the backup does not verify: %v", err)
	}
	if !strings.Contains(tab.result.Text, filepath.Base(path)) || !strings.Contains(tab.result.Text, "KB") {
		t.Errorf("result line %q", tab.result.Text)
	}
	if len(tab.files) != 1 || tab.files[0].size == 0 || !tab.files[0].taken.Equal(testNow) {
		t.Errorf("list: %+v", tab.files)
	}
	if a := auditActions(t, e); a[len(a)-1] != "backup.create" {
		t.Errorf("audit: %v", a)
	}

	// A second backup an hour later lists first; keep 1 deletes the older.
	e.clock.T = testNow.Add(time.Hour)
	tab.keep.entry.SetText("1")
	tab.saveSettings()
	test.Tap(findButton(t, tab.root, "Sao lưu ngay"))
	if len(tab.files) != 1 || !tab.files[0].taken.Equal(testNow.Add(time.Hour)) {
		t.Errorf("after keep 1: %+v", tab.files)
	}
	if st, _ := e.svc.Settings(); st.BackupKeep != 1 || st.BackupDir != "" {
		t.Errorf("settings: keep %d dir %q", st.BackupKeep, st.BackupDir)
	}
}

func TestRestoreBringsBackTheBackedUpState(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	old := e.received(admin)
	tab := e.backupTab(admin)
	tab.backupNow()
	if len(tab.files) != 1 {
		t.Fatalf("no backup listed: %s", tab.errLine.Text)
	}

	// Receive another dossier after the backup.
	e.clock.T = testNow.Add(time.Hour)
	later := e.received(admin)
	if later.Code == old.Code {
		t.Fatal("same code")
	}

	tab.list.Select(0)
	test.Tap(tab.restore)
	confirm := topDialogButton(t, e, "Khôi phục")
	e.afterBackground(func() { test.Tap(confirm) })
	svc := e.ui.svc
	if svc == e.svc {
		t.Fatal("the service was not rebuilt")
	}
	if _, err := svc.Dossier(later.Code); app.KindOf(err) != app.KindNotFound {
		t.Errorf("the dossier received after the backup is still there: %v", err)
	}
	if _, err := svc.Dossier(old.Code); err != nil {
		t.Errorf("the backed-up dossier is gone: %v", err)
	}
	if !strings.Contains(e.ui.lastInfo, "1 hồ sơ") {
		t.Errorf("integrity result: %q", e.ui.lastInfo)
	}
	if _, err := os.Stat(e.data.Path() + ".before-restore"); err != nil {
		t.Errorf("the previous file was not kept: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(e.data.DataDir(), ".restore-*")); len(left) != 0 {
		t.Errorf("the decrypted backup was left behind: %v", left)
	}
	if a := auditActions(t, e); a[len(a)-1] != "backup.restore" {
		t.Errorf("audit: %v", a)
	}
	// Still signed in, back on the backup tab of the new shell.
	if e.ui.shell == nil || e.ui.shell.current != "settings" {
		t.Fatal("not back in settings")
	}
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	if ss.tabs.Selected().Content != ss.backup.root {
		t.Error("not on the backup tab")
	}
}

func TestExportAndRestoreOnANewComputer(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	tab := e.backupTab(admin)
	out := filepath.Join(t.TempDir(), "usb", "tanlap.db")
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		t.Fatal(err)
	}
	tab.pickSave = func(name string, done func(string)) {
		if !strings.HasPrefix(name, "motcua-000.00.31.H56-") {
			t.Errorf("suggested name %q", name)
		}
		done(out)
	}
	test.Tap(findButton(t, tab.root, "Xuất dữ liệu cơ quan…"))
	if err := verifySealed(t, e.ui.svc, out); err != nil {
		t.Fatalf("export: %v (%s)", err, tab.errLine.Text)
	}

	// The new computer: an empty data folder shows the wizard.
	n := newEnv(t)
	n.ui.Start()
	s, ok := setupFrom(n)
	if !ok {
		t.Fatal("no wizard")
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	s.pickOpen = func(done func(string)) { done(bad) }
	test.Tap(s.restore)
	if !s.errLine.Visible() {
		t.Error("a damaged file was accepted")
	}
	// A wrong passphrase says so and changes nothing.
	s.pickOpen = func(done func(string)) { done(out) }
	s.askPass = func(_ string, done func(string)) { done("không phải mật khẩu này") }
	test.Tap(s.restore)
	if !strings.Contains(s.errLine.Text, "Mật khẩu sao lưu không đúng") {
		t.Errorf("wrong passphrase: %q", s.errLine.Text)
	}
	if ok, _ := n.ui.svc.IsSetUp(); ok {
		t.Fatal("a wrong passphrase imported the office")
	}
	s.askPass = func(_ string, done func(string)) { done(uiPassphrase) }
	n.afterBackground(func() { test.Tap(s.restore) })
	if n.ui.win.Title() != "Một Cửa — Đăng nhập" || n.ui.shell != nil || !strings.Contains(n.ui.lastInfo, "Dữ liệu toàn vẹn") {
		t.Fatalf("after the import: %q %q", n.ui.win.Title(), n.ui.lastInfo)
	}
	if ok, _ := n.ui.svc.IsSetUp(); !ok {
		t.Fatal("the imported office is not set up")
	}
	if _, err := n.ui.svc.Dossier(d.Code); err != nil {
		t.Errorf("imported dossier: %v", err)
	}
	usr, err := n.ui.svc.SignIn("admin", "matkhau123")
	if err != nil {
		t.Fatalf("sign in on the new computer: %v", err)
	}
	n.signIn(usr)
}

func TestIntegrityButtonShowsABreak(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	tab := e.backupTab(admin)
	check := func() string {
		e.afterBackground(func() { test.Tap(tab.check.button) })
		return tab.check.result.Text
	}
	if got := check(); !strings.HasPrefix(got, "Dữ liệu toàn vẹn: 1 hồ sơ,") {
		t.Fatalf("clean data: %q", got)
	}
	if bar := tab.check.bar; bar.Max != 1 || bar.Value != 1 || bar.Visible() {
		t.Errorf("progress bar: %v/%v, visible %v", bar.Value, bar.Max, bar.Visible())
	}
	// A digest typed in from a printout: unreadable, then one the data does not give.
	tab.check.printed.SetText("Dấu tổng hợp dữ liệu đến ngày 31/12/2019: 12ab")
	test.Tap(tab.check.button) // refused at once: nothing runs in the background
	if got := tab.check.result.Text; !strings.HasPrefix(got, "Không đọc được dòng dấu tổng hợp") {
		t.Errorf("unreadable printed line: %q", got)
	}
	tab.check.printed.SetText("Dấu tổng hợp dữ liệu đến ngày 31/12/2019: " + strings.Repeat("ab12", 16))
	if got := check(); !strings.Contains(got, "dấu tổng hợp ngày 31/12/2019 trên bản in khác với dữ liệu hiện tại") {
		t.Errorf("printed digest: %q", got)
	}
	tab.check.printed.SetText("")
	// Rewrite the note of the dossier's first history entry behind the app's back.
	key := storage.HistoryKey(d.Code, 1)
	raw, err := e.db.RawGet(storage.HistoryBucket(), key)
	if err != nil || raw == nil {
		t.Fatalf("history entry: %v", err)
	}
	var h app.HistoryEntry
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	h.Note = "Tiếp nhận hồ sơ (đã sửa)"
	forged, _ := json.Marshal(h)
	if err := e.db.RawPut(storage.HistoryBucket(), key, forged); err != nil {
		t.Fatal(err)
	}
	// And move another dossier's appointment date.
	d2 := e.received(admin)
	if err := e.db.Tamper().EditDossier(d2.Code, func(x *app.Dossier) { x.DueAt = x.DueAt.AddDate(0, 0, 7) }); err != nil {
		t.Fatal(err)
	}
	got := check()
	if !strings.Contains(got, "Phát hiện 2 chỗ") || !strings.Contains(got, d.Code+" #1:") ||
		!strings.Contains(got, d2.Code+": hẹn trả đã bị sửa ngoài chương trình") || tab.check.result.Importance != widget.DangerImportance {
		t.Errorf("tampered data: %q", got)
	}

	// The start-up check names the dossier in a warning.
	e.ui.checked = false
	e.afterBackground(e.ui.quickCheck)
	if !strings.Contains(e.ui.lastWarning, d.Code) {
		t.Errorf("warning: %q", e.ui.lastWarning)
	}
}

func TestAutoBackupFailureShowsOnceInTheStatusBar(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	// A "USB drive" that is not there: a file where the folder should be.
	usb := filepath.Join(t.TempDir(), "E")
	os.WriteFile(usb, nil, 0o600)
	e.setPassphrase(admin)
	st, _ := e.svc.Settings()
	st.BackupDir = filepath.Join(usb, "motcua")
	if err := e.svc.SaveSettings(admin, st); err != nil {
		t.Fatal(err)
	}
	e.ui.autoBackup()
	bar := e.ui.shell.backup
	if !e.ui.shell.backupBox.Visible() || !strings.Contains(bar.Text, "ổ USB") {
		t.Fatalf("status bar: %q", bar.Text)
	}
	if n := len(e.ui.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs for a failed automatic backup", n)
	}
	st.BackupDir = ""
	e.svc.SaveSettings(admin, st)
	e.ui.autoBackup()
	if e.ui.shell.backupBox.Visible() {
		t.Errorf("the warning stays after a backup: %q", bar.Text)
	}
	names, _ := app.ListBackups(filepath.Join(e.data.DataDir(), "backups"))
	if len(names) != 1 {
		t.Fatalf("backups: %v", names)
	}
	e.ui.autoBackup() // not due again the same day
	if names, _ := app.ListBackups(filepath.Join(e.data.DataDir(), "backups")); len(names) != 1 {
		t.Errorf("a second backup the same day: %v", names)
	}
}

func TestRestoreFromAnotherFile(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	old := e.received(admin)
	tab := e.backupTab(admin)
	file := filepath.Join(t.TempDir(), "tanlap.db")
	tab.export(file, uiPassphrase)
	later := e.received(admin)

	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	tab.pickOpen = func(done func(string)) { done(bad) }
	test.Tap(findButton(t, tab.root, "Khôi phục từ tệp khác…"))
	if !tab.errLine.Visible() || e.ui.win.Canvas().Overlays().Top() != nil {
		t.Fatal("a damaged file was offered for restore")
	}

	tab.pickOpen = func(done func(string)) { done(file) }
	test.Tap(findButton(t, tab.root, "Khôi phục từ tệp khác…"))
	confirm := topDialogButton(t, e, "Khôi phục")
	e.afterBackground(func() { test.Tap(confirm) })
	if !strings.Contains(e.ui.lastInfo, "Dữ liệu toàn vẹn") {
		t.Fatalf("after the restore: %q", e.ui.lastInfo)
	}
	if _, err := e.ui.svc.Dossier(later.Code); app.KindOf(err) != app.KindNotFound {
		t.Errorf("the later dossier survived: %v", err)
	}
	if _, err := e.ui.svc.Dossier(old.Code); err != nil {
		t.Errorf("the exported dossier is gone: %v", err)
	}
}

// TestIntegrityWarningFitsTheWindow: hundreds of damaged dossiers are named
// ten at a time and the details scroll, so the dialog and its button stay
// on the screen.
func TestIntegrityWarningFitsTheWindow(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	rep := &app.IntegrityReport{Dossiers: 300}
	for i := range 300 {
		rep.Breaks = append(rep.Breaks, app.ChainBreak{Chain: fmt.Sprintf("000.00.31.H56-251231-%04d", i+1), Reason: app.M(app.MsgBreakHistoryDeleted)})
	}
	e.ui.integrityWarning(rep)
	if !strings.Contains(e.ui.lastWarning, "và 290 hồ sơ khác") || strings.Contains(e.ui.lastWarning, "251231-0011,") {
		t.Errorf("the names are not capped at ten:\n%.400s", e.ui.lastWarning)
	}
	top := e.ui.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no warning shown")
	}
	win := e.ui.win.Canvas().Size()
	if sz := top.MinSize(); sz.Height > win.Height || sz.Width > win.Width {
		t.Errorf("the warning (%v) is larger than the window (%v)", sz, win)
	}
}

// TestIntegrityReportSpeaksTheLanguage: the findings of the full check —
// an edited history entry, edited record fields, a deleted dossier, a
// deleted dossier with its history, statistics that no longer follow the
// records, a printed digest the data no longer gives — read in English
// without a Vietnamese letter in English mode, and in Vietnamese mode read
// exactly as the domain words them (ChainBreak.String).
func TestIntegrityReportSpeaksTheLanguage(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	t.Cleanup(func() { _ = SetLanguage("vi") })
	edited, moved, deleted, gone := e.received(admin), e.received(admin), e.received(admin), e.received(admin)

	key := storage.HistoryKey(edited.Code, 1)
	raw, err := e.db.RawGet(storage.HistoryBucket(), key)
	if err != nil || raw == nil {
		t.Fatalf("history entry: %v", err)
	}
	var h app.HistoryEntry
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	h.Note += " (đã sửa)"
	forged, _ := json.Marshal(h)
	if err := e.db.RawPut(storage.HistoryBucket(), key, forged); err != nil {
		t.Fatal(err)
	}
	tamper := e.db.Tamper()
	if err := tamper.EditDossier(moved.Code, func(x *app.Dossier) {
		x.DueAt, x.Channel = x.DueAt.AddDate(0, 0, 7), app.ChannelOnline
	}); err != nil {
		t.Fatal(err)
	}
	if err := tamper.DeleteDossier(deleted.Code); err != nil {
		t.Fatal(err)
	}
	if err := tamper.DeleteDossier(gone.Code); err != nil {
		t.Fatal(err)
	}
	if err := tamper.DeleteHistory(gone.Code); err != nil {
		t.Fatal(err)
	}
	printed := "Dấu tổng hợp dữ liệu đến ngày 31/12/2019: " + strings.Repeat("ab12", 16)
	d, _ := app.ParseFooterLine(printed)
	rep, err := e.svc.CheckIntegrityWith(app.CheckOptions{Full: true, Printed: []app.DailyDigest{d}})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[app.BreakKind]bool{}
	for _, b := range rep.Breaks {
		kinds[b.Kind] = true
	}
	for _, k := range []app.BreakKind{app.BreakEntry, app.BreakState, app.BreakDossierMissing, app.BreakHistoryMissing, app.BreakCounter, app.BreakPrintedDigest} {
		if !kinds[k] {
			t.Errorf("no %s finding in:\n%s", k, strings.Join(breakStrings(rep), "\n"))
		}
	}

	// Vietnamese: each finding of a dossier reads as the domain words it;
	// the statistics and digest findings without their internal chain name.
	if err := SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	for _, b := range rep.Breaks {
		want := b.String()
		if b.Chain == "stats" || b.Chain == "digest" {
			want = b.Reason.Text()
		}
		if got := breakText(b); got != want {
			t.Errorf("vi: %q, want %q", got, want)
		}
	}

	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	tab := e.backupTab(admin)
	tab.check.printed.SetText(printed)
	e.afterBackground(func() { test.Tap(tab.check.button) })
	got := tab.check.result.Text
	t.Logf("en:\n%s", got)
	day := app.ShortDate(moved.ReceivedAt)
	for _, w := range []string{
		fmt.Sprintf("Found %d places where data was changed or damaged", len(rep.Breaks)),
		edited.Code + " #1: the content was edited",
		moved.Code + ": appointment date edited outside the program",
		moved.Code + ": channel edited outside the program",
		deleted.Code + ": the dossier was deleted outside the program (history entries left: 1)",
		gone.Code + ": the dossier and its history were deleted outside the program (the chain head of " + day + " is still on record)",
		"the statistics of " + day + " differ from the dossiers (procedure 1.004873, received online: 0 in the statistics book, 1 from the dossiers; received in person or by post: ",
		"the digest of 31/12/2019 on the printout differs from the current data",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("en: missing %q in:\n%s", w, got)
		}
	}
	if vietnamese(got) {
		t.Errorf("en: Vietnamese in the report:\n%s", got)
	}

	// The start-up warning too (the quick check cannot list the dossiers
	// once a record is deleted behind the index: it says so, in English).
	e.ui.checked = false
	e.afterBackground(e.ui.quickCheck)
	if w := e.ui.lastWarning; w == "" || vietnamese(w) {
		t.Errorf("en: start-up warning:\n%s", w)
	}
}

func breakStrings(rep *app.IntegrityReport) []string {
	var out []string
	for _, b := range rep.Breaks {
		out = append(out, b.String())
	}
	return out
}

// onServer is a desk that works on a PostgreSQL server (app.Servers with
// Shared true); the rest of the port is not used here.
type onServer struct{ app.Servers }

func (onServer) Shared() bool { return true }

// TestNoAutoBackupWarningOnAServer: on a server the office is backed up with
// pg_dump (README), not as a file of one desk, so the status bar does not
// say that the automatic backup failed or that no passphrase is set.
func TestNoAutoBackupWarningOnAServer(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	e.ui.opts.Servers = onServer{}
	e.ui.autoBackup() // no passphrase: on one desk this warns
	if e.ui.shell.backupBox.Visible() || e.ui.backupWarning != "" {
		t.Fatalf("a desk on a server warns: %q", e.ui.backupWarning)
	}
	if names, _ := app.ListBackups(filepath.Join(e.data.DataDir(), "backups")); len(names) != 0 {
		t.Errorf("a desk on a server wrote backups: %v", names)
	}
}
