package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/secrets"
	"motcua/storage"
)

// TestHubKeyStaysOutOfTheDatabase: the hub key set in the settings is kept
// among this computer's secrets (0600), read back through the service, and
// found in none of the database, a decrypted backup, the log or an error.
// A key left in the database by an earlier version is moved out on open.
func TestHubKeyStaysOutOfTheDatabase(t *testing.T) {
	const key = "mc_live_K9f2Qx7Lw3Rt8Zp1"
	data := t.TempDir()
	logged := captureLog(t) // what logs.Open would write to the log file

	// An office of an earlier version: the key in the database.
	old, err := storage.OpenHandle(data, app.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := old.Service().Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.31.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "matkhau123", Roles: app.AllRoles()},
	})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := old.Service().Settings()
	st.HubURL, st.HubKey = "http://127.0.0.1:1", key
	if err := old.Service().SaveSettings(admin, st); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if raw, _ := os.ReadFile(filepath.Join(data, "motcua.db")); !bytes.Contains(raw, []byte(key)) {
		t.Fatal("the earlier version's database does not hold the key: the test checks nothing")
	}

	d, err := openDesk(config{dataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	svc := d.Service()
	if st, err := svc.Settings(); err != nil || st.HubKey != key {
		t.Fatalf("the service does not read the key back: %q %v", st.HubKey, err)
	}
	if k, _ := secrets.Open(data).Secret("hub_key"); k != key {
		t.Errorf("secret %q", k)
	}
	// Saving the settings again keeps it out.
	st, _ = svc.Settings()
	st.BackupKeep = 7
	if err := svc.SaveSettings(admin, st); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetBackupPassphrase(admin, "Tân Lập giữ dữ liệu 2026"); err != nil {
		t.Fatal(err)
	}
	f, err := svc.Backup(admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := svc.OpenBackup(f.Path, "Tân Lập giữ dữ liệu 2026", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(plain)
	d.Close()

	check := func(what string, b []byte) {
		if bytes.Contains(b, []byte(key)) {
			t.Errorf("%s holds the hub key", what)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(data, "motcua.db"))
	check("the database", raw)
	// bbolt reuses pages: an old copy could stay in a free page. The backup
	// copies only live pages.
	pb, _ := os.ReadFile(plain)
	check("the decrypted backup", pb)
	check("the log", logged.Bytes())
	if logged.Len() == 0 {
		t.Error("nothing was logged: the test checks nothing")
	}
	if fi, err := os.Stat(filepath.Join(data, "secrets", "hub_key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v %v", fi, err)
	}
}

// TestDatabasePasswordIsKeptProtected: a --db with a password saves it
// among the secrets; the next start without it connects with the kept one.
func TestDatabasePasswordIsKeptProtected(t *testing.T) {
	const secret = "Mật-khẩu-CSDL-77"
	dsn := pgtest.DSN(t)
	data := t.TempDir()
	buf := captureLog(t)
	for _, db := range []string{dsn + " password='" + secret + "'", dsn} {
		h, err := openHandle(config{dataDir: data, db: db})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Service().IsSetUp(); err != nil {
			t.Fatal(err)
		}
		h.Close()
	}
	if k, _ := secrets.Open(data).Secret("db_password"); k != secret {
		t.Errorf("kept %q", k)
	}
	if strings.Contains(buf.String(), secret) {
		t.Errorf("the log holds the password:\n%s", buf.String())
	}
	got, err := withDBPassword("postgres://motcua@may-chu:5432/motcua", secrets.Open(data))
	if err != nil || !strings.Contains(got, "motcua:M%E1%BA%ADt-kh%E1%BA%A9u-CSDL-77@may-chu") {
		t.Errorf("URL with the kept password: %q %v", got, err)
	}
}
