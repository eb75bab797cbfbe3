package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"motcua/app"
	"motcua/internal/testgen"
)

// FuzzVerifyBackupFile feeds damaged backup files to the backup reader: it
// must answer nil or KindInvalid, never crash, whatever the bytes.
func FuzzVerifyBackupFile(f *testing.F) {
	dir := f.TempDir()
	db, err := Open(filepath.Join(dir, "seed.db"))
	if err != nil {
		f.Fatal(err)
	}
	ds := testgen.Dossiers(20, 1, "000.00.01.H22")
	if err := db.BulkLoad(ds, 20); err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := db.Backup(&buf); err != nil {
		f.Fatal(err)
	}
	db.Close()
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:4096])
	f.Add([]byte("not a database"))
	flipped := bytes.Clone(good)
	for i := 4096 * 2; i < len(flipped); i += 4099 {
		flipped[i] ^= 0x5a
	}
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "backup.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := VerifyBackupFile(p); err != nil && app.KindOf(err) != app.KindInvalid {
			t.Fatalf("want nil or KindInvalid, got %v", err)
		}
	})
}
