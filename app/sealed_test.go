package app_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"motcua/app"
	"motcua/storage"
)

// encodings are the forms in which `strings` or `grep` could find a text in
// a file: UTF-8 in NFC and NFD, UTF-16 in both byte orders, and the
// ASCII-only digits of a number.
func encodings(s string) map[string][]byte {
	out := map[string][]byte{"utf8": []byte(s), "nfd": []byte(norm.NFD.String(s))}
	u := utf16.Encode([]rune(s))
	le, be := make([]byte, 2*len(u)), make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(le[2*i:], c)
		binary.BigEndian.PutUint16(be[2*i:], c)
	}
	out["utf16le"], out["utf16be"] = le, be
	return out
}

// TestBackupCarriesNoPersonalDataInClear: the plain copy holds the
// citizen's name, identity number and phone (the test would otherwise pass
// for nothing); neither the sealed backup nor the exported office does, in
// any encoding.
func TestBackupCarriesNoPersonalDataInClear(t *testing.T) {
	o := newOffice(t)
	d := o.receive()
	data := t.TempDir()
	svc := o.withBackups(data)
	plain := filepath.Join(t.TempDir(), "plain.db")
	if _, err := o.db.WriteBackup(plain, nil); err != nil {
		t.Fatal(err)
	}
	f, err := svc.Backup(o.admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "xuat.motcua")
	if _, err := svc.ExportOffice(o.admin, out, testPassphrase, nil); err != nil {
		t.Fatal(err)
	}
	secrets := []string{d.Applicant.FullName, d.Applicant.IDNumber, d.Applicant.Phone, "Ánh Hằng", "Thôn Đông"}
	clear, _ := os.ReadFile(plain)
	if !bytes.Contains(clear, []byte(d.Applicant.IDNumber)) {
		t.Fatal("the plain copy does not hold the identity number: the test checks nothing")
	}
	for _, path := range []string{f.Path, out} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) < 4096 {
			t.Fatalf("%s: %d bytes, too small to be the office", path, len(raw))
		}
		for _, s := range secrets {
			for enc, b := range encodings(s) {
				if bytes.Contains(raw, b) {
					t.Errorf("%s holds %q (%s)", filepath.Base(path), s, enc)
				}
			}
		}
		if ok, _ := app.IsSealed(path); !ok {
			t.Errorf("%s is not sealed", path)
		}
	}
}

// TestWrongPassphraseChangesNothing: the message says so, no decrypted file
// is left in the data folder, and the office is untouched.
func TestWrongPassphraseChangesNothing(t *testing.T) {
	o := newOffice(t)
	o.receive()
	data := t.TempDir()
	svc := o.withBackups(data)
	f, err := svc.Backup(o.admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A decrypted copy a crash left behind is removed on the way.
	stale := filepath.Join(data, ".restore-42.db")
	os.WriteFile(stale, []byte("Nguyễn Thị Ánh Hằng"), 0o600)
	_, _, err = svc.OpenBackup(f.Path, "ba con mèo trèo cây cau 2024", nil)
	if _, serr := os.Stat(stale); !os.IsNotExist(serr) {
		t.Errorf("a stale decrypted copy stays: %v", serr)
	}
	before, _ := os.ReadDir(data)
	_, _, err = svc.OpenBackup(f.Path, "ba con mèo trèo cây cau 2024", nil)
	if app.KindOf(err) != app.KindPermission {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if msg := err.Error(); !bytes.Contains([]byte(msg), []byte("Mật khẩu sao lưu không đúng")) {
		t.Errorf("message %q", msg)
	}
	after, _ := os.ReadDir(data)
	if len(after) != len(before) {
		t.Errorf("the data folder changed: %v → %v", before, after)
	}
	// Exporting needs the passphrase too: a file nobody can open is no export.
	out := filepath.Join(t.TempDir(), "xuat.motcua")
	if _, err := svc.ExportOffice(o.admin, out, "sai mật khẩu rồi nhé", nil); app.KindOf(err) != app.KindPermission {
		t.Errorf("export with a wrong passphrase: %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an export was written with a wrong passphrase")
	}
}

// TestSealedBackupRestoresByteForByte: the decrypted backup is the very
// copy of the database, and restoring it makes the database file that copy.
func TestSealedBackupRestoresByteForByte(t *testing.T) {
	o := newOffice(t)
	o.receive()
	data := t.TempDir()
	svc := o.withBackups(data)
	want := filepath.Join(t.TempDir(), "plain.db")
	if _, err := o.db.WriteBackup(want, nil); err != nil { // same state: nothing written in between
		t.Fatal(err)
	}
	var last, total int64
	f, err := svc.Backup(o.admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, legacy, err := svc.OpenBackup(f.Path, testPassphrase, func(d, tot int64) { last, total = d, tot })
	if err != nil || legacy {
		t.Fatalf("open: %v legacy %v", err, legacy)
	}
	defer os.Remove(plain)
	if total == 0 || last != total {
		t.Errorf("progress ended at %d of %d", last, total)
	}
	a, _ := os.ReadFile(want)
	b, _ := os.ReadFile(plain)
	if !bytes.Equal(a, b) {
		t.Fatalf("decrypted backup differs from the database copy (%d vs %d bytes)", len(a), len(b))
	}
	target := t.TempDir()
	h, err := storage.OpenHandle(target, o.clk)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Restore(plain, nil); err != nil {
		t.Fatal(err)
	}
	h.Close()
	c, _ := os.ReadFile(filepath.Join(target, "motcua.db"))
	if !bytes.Equal(a, c) {
		t.Fatalf("restored database differs from the backup (%d vs %d bytes)", len(a), len(c))
	}
}

// TestLegacyPlainBackupStillOpens: a backup from before encryption opens
// without a passphrase and says it is legacy (the screen warns).
func TestLegacyPlainBackupStillOpens(t *testing.T) {
	o := newOffice(t)
	o.receive()
	svc := o.withBackups(t.TempDir())
	old := filepath.Join(t.TempDir(), "motcua-20240101-090000.db")
	if _, err := o.db.WriteBackup(old, nil); err != nil {
		t.Fatal(err)
	}
	plain, legacy, err := svc.OpenBackup(old, "", nil)
	if err != nil || !legacy || plain != old {
		t.Fatalf("legacy backup: %q %v %v", plain, legacy, err)
	}
	// A damaged plain file is refused, as before.
	bad := filepath.Join(t.TempDir(), "hong.db")
	os.WriteFile(bad, bytes.Repeat([]byte("x"), 8192), 0o600)
	if _, _, err := svc.OpenBackup(bad, "", nil); app.KindOf(err) != app.KindInvalid {
		t.Errorf("damaged file: %v", err)
	}
}

// TestNoBackupWithoutPassphrase: a backup is never written in clear, and a
// weak passphrase is refused.
func TestNoBackupWithoutPassphrase(t *testing.T) {
	o := newOffice(t)
	data := t.TempDir()
	svc := app.NewService(o.db, o.clk, app.WithBackups(o.db, data))
	if _, err := svc.Backup(o.admin, nil); app.KindOf(err) != app.KindInvalid {
		t.Errorf("backup without a passphrase: %v", err)
	}
	if files, _ := app.ListBackups(filepath.Join(data, "backups")); len(files) != 0 {
		t.Errorf("written: %v", files)
	}
	if err := svc.SetBackupPassphrase(o.admin, "12345678"); app.KindOf(err) != app.KindInvalid {
		t.Errorf("weak passphrase: %v", err)
	}
	if err := svc.SetBackupPassphrase(o.rec, testPassphrase); app.KindOf(err) != app.KindPermission {
		t.Errorf("a receiving officer set the passphrase: %v", err)
	}
	for p, want := range map[string]int{"": 0, "aaaaaaaaaaaa": 1, "matkhau12": 1, "mèo trèo cây cau": 3, "meotreocay12": 2, "Ba con mèo trèo cây cau 2025": 4} {
		if got, _ := app.PassphraseStrength(p); got != want {
			t.Errorf("strength(%q) = %d, want %d", p, got, want)
		}
	}
	// Saving other settings keeps the key.
	if err := svc.SetBackupPassphrase(o.admin, testPassphrase); err != nil {
		t.Fatal(err)
	}
	st, _ := svc.Settings()
	st.BackupKey, st.BackupRecipient = "", ""
	if err := svc.SaveSettings(o.admin, st); err != nil {
		t.Fatal(err)
	}
	if ok, _ := svc.HasBackupPassphrase(); !ok {
		t.Error("saving the settings lost the backup key")
	}
}
