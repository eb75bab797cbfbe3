package storage

import (
	"path/filepath"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
)

func TestAutoBackupOncePerDayKeepingTheNewest(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.BulkLoad(testgen.Dossiers(30, 7, "000.00.01.H22"), 30); err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "usb", "saoluu")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, app.Vietnam)
	written := 0
	for h := 0; h < 24*20; h++ { // twenty days, checked every hour
		p, err := db.AutoBackup(bdir, 14, 24*time.Hour, now.Add(time.Duration(h)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if p != "" {
			written++
			if err := VerifyBackupFile(p); err != nil {
				t.Fatalf("backup %s does not verify: %v", p, err)
			}
		}
	}
	names, _ := Backups(bdir)
	if written != 20 || len(names) != 14 || names[13] != BackupName(now.Add(19*24*time.Hour)) {
		t.Fatalf("wrote %d, kept %v", written, names)
	}
}
