package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"motcua/app"
	"motcua/storage"
)

// withBackups is o's service with the backup port of its own file, the
// data folder being dir.
func (o *office) withBackups(dir string) *app.Service {
	svc := app.NewService(o.db, o.clk, app.WithBackups(o.db, dir))
	if err := svc.SetBackupPassphrase(o.admin, testPassphrase); err != nil {
		o.t.Fatal(err)
	}
	return svc
}

// testPassphrase is the backup passphrase of the tests.
const testPassphrase = "ba con mèo trèo cây cau 2025"

func lastAudit(t *testing.T, o *office) app.AuditEntry {
	t.Helper()
	var es []app.AuditEntry
	if err := o.db.View(func(tx app.Tx) (err error) { es, err = tx.Audit(-1, 1); return }); err != nil || len(es) != 1 {
		t.Fatalf("audit tail: %v %v", es, err)
	}
	return es[0]
}

func TestBackupKeepsTheNewestAndIsLogged(t *testing.T) {
	o := newOffice(t)
	o.receive()
	data := t.TempDir()
	svc := o.withBackups(data)
	st, _ := svc.Settings()
	st.BackupKeep = 3
	if err := svc.SaveSettings(o.admin, st); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Backup(o.rec, nil); app.KindOf(err) != app.KindPermission {
		t.Fatalf("a receiving officer backed up: %v", err)
	}
	other := filepath.Join(data, "backups", "motcua-notes.txt")
	os.MkdirAll(filepath.Dir(other), 0o700)
	os.WriteFile(other, []byte("x"), 0o600)
	var written []string
	for i := range 5 {
		var last, total int64
		f, err := svc.Backup(o.admin, func(d, tot int64) { last, total = d, tot })
		if err != nil {
			t.Fatal(err)
		}
		if total == 0 || last != total || f.Size == 0 {
			t.Errorf("backup %d: progress %d of %d, size %d", i, last, total, f.Size)
		}
		if a := lastAudit(t, o); a.Action != "backup.create" || a.Target != f.Name || a.User.Username != "admin" {
			t.Errorf("audit: %+v", a)
		}
		written = append(written, f.Name)
		o.clk.Advance(24 * time.Hour)
	}
	if written[0] != "motcua-20250428-090000.db" {
		t.Errorf("name %s", written[0])
	}
	files, err := app.ListBackups(filepath.Join(data, "backups"))
	if err != nil || len(files) != 3 || files[0].Name != written[2] || files[2].Name != written[4] {
		t.Fatalf("kept %+v (%v), want the last three of %v", files, err, written)
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a file that is not a backup was deleted")
	}
	if plain, _, err := svc.OpenBackup(files[2].Path, testPassphrase, nil); err != nil {
		t.Errorf("the newest backup does not verify: %v", err)
	} else {
		os.Remove(plain)
	}
	// The name is in Vietnam time whatever the zone of the clock.
	if n := app.BackupName(time.Date(2025, 3, 1, 20, 0, 0, 0, time.UTC)); n != "motcua-20250302-030000.db" {
		t.Errorf("BackupName = %s", n)
	}
}

func TestAutoBackupOncePerDayKeepingTheNewest(t *testing.T) {
	o := newOffice(t)
	o.receive()
	data := t.TempDir()
	svc := o.withBackups(data)
	usb := filepath.Join(data, "usb", "saoluu")
	st, _ := svc.Settings()
	st.BackupDir = usb
	if err := svc.SaveSettings(o.admin, st); err != nil {
		t.Fatal(err)
	}
	written := 0
	for range 24 * 20 { // twenty days, looked at every hour
		f, err := svc.AutoBackup()
		if err != nil {
			t.Fatal(err)
		}
		if f.Path != "" {
			written++
		}
		o.clk.Advance(time.Hour)
	}
	files, _ := app.ListBackups(usb)
	if written != 20 || len(files) != 14 {
		t.Fatalf("wrote %d, kept %d", written, len(files))
	}
	if a := lastAudit(t, o); a.Action != "backup.auto" {
		t.Errorf("audit: %+v", a)
	}
	// A USB drive that is not there: a file where the folder should be.
	os.WriteFile(filepath.Join(data, "E"), nil, 0o600)
	st.BackupDir = filepath.Join(data, "E", "motcua")
	svc.SaveSettings(o.admin, st)
	if _, err := svc.AutoBackup(); app.KindOf(err) != app.KindTransient {
		t.Errorf("missing drive: %v", err)
	}
}

// TestExportCarriesScansAndCancelledScansStayOut: a transfer's scans and a
// result's file are in the exported office; the scans of a transfer the
// service refused are stored nowhere.
func TestExportCarriesScansAndCancelledScansStayOut(t *testing.T) {
	o := newOffice(t)
	in := receiptInput("1.004873")
	in.Documents = append(in.Documents, app.SubmittedDocument{Name: "Bản sao Căn cước", Copies: 1})
	d, err := o.svc.Receive(o.rec, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	scan := func(name, body string) app.ScanFile {
		f, err := app.NewScanFile(name, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	refused := scan("nham.pdf", "%PDF-1.4 gửi nhầm")
	refused.For = d.Documents[0].Name
	_, err = o.svc.Transfer(o.spec, d.Code, app.TransferInput{ToAgency: "000.00.01.H22", Scans: []app.ScanFile{refused}})
	if app.KindOf(err) != app.KindInvalid {
		t.Fatalf("a transfer to the office itself: %v", err)
	}
	if ok, _ := hasScan(o, refused.SHA256()); ok {
		t.Error("the refused transfer's scan was kept")
	}
	a, b := scan("To khai.pdf", "%PDF-1.4 tờ khai"), scan("CCCD.jpg", "\xff\xd8\xff căn cước")
	a.For, b.For = d.Documents[0].Name, d.Documents[1].Name
	got, err := o.svc.Transfer(o.spec, d.Code, app.TransferInput{ToAgency: "000.00.00.H22", Scans: []app.ScanFile{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	var shas []string
	for _, doc := range got.Documents {
		if doc.SHA256 != "" {
			shas = append(shas, doc.SHA256)
		}
	}
	if len(shas) != 2 {
		t.Fatalf("documents with scans: %+v", got.Documents)
	}
	out := filepath.Join(t.TempDir(), "tanlap.db")
	svc := o.withBackups(t.TempDir())
	if _, err := svc.ExportOffice(o.rec, out, testPassphrase, nil); app.KindOf(err) != app.KindPermission {
		t.Fatalf("a receiving officer exported the office: %v", err)
	}
	if _, err := svc.ExportOffice(o.admin, out, testPassphrase, nil); err != nil {
		t.Fatal(err)
	}
	if a := lastAudit(t, o); a.Action != "backup.export" || a.Target != out {
		t.Errorf("audit: %+v", a)
	}
	plain, legacy, err := svc.OpenBackup(out, testPassphrase, nil)
	if err != nil || legacy {
		t.Fatalf("open the export: %v (legacy %v)", err, legacy)
	}
	cp, err := storage.Open(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	exported := app.NewService(cp, o.clk)
	for sha, want := range map[string]app.ScanFile{a.SHA256(): a, b.SHA256(): b} {
		data, err := exported.Scan(sha)
		if err != nil || !bytes.Equal(data, want.Data) {
			t.Errorf("%s in the export: %v", want.FileName, err)
		}
	}
}

func hasScan(o *office, sha string) (bool, error) {
	ok := false
	err := o.db.View(func(tx app.Tx) (err error) { ok, err = tx.HasScan(sha); return })
	return ok, err
}

// notifier records whether the outbox item was already committed when it
// was told.
type notifier struct {
	db    *storage.DB
	calls int
	seen  []int
}

func (n *notifier) OutboxQueued() {
	n.calls++
	_ = n.db.View(func(tx app.Tx) error {
		p, _, err := tx.OutboxCount()
		n.seen = append(n.seen, p)
		return err
	})
}

func TestTheOutboxWakesItselfAfterTheCommit(t *testing.T) {
	o := newOffice(t)
	n := &notifier{db: o.db}
	o.svc.SetOutboxNotifier(n)
	d := o.receive()
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	if n.calls != 0 {
		t.Fatalf("told %d times with nothing queued", n.calls)
	}
	if _, err := o.svc.Transfer(o.spec, d.Code, app.TransferInput{ToAgency: "000.00.01.H22"}); err == nil {
		t.Fatal("a transfer to the office itself was accepted")
	}
	if n.calls != 0 {
		t.Fatal("told of a transfer that was rolled back")
	}
	if _, err := o.svc.Transfer(o.spec, d.Code, app.TransferInput{ToAgency: "000.00.00.H22"}); err != nil {
		t.Fatal(err)
	}
	if n.calls != 1 || n.seen[0] != 1 {
		t.Fatalf("after the transfer: told %d times, saw %v pending", n.calls, n.seen)
	}
}
