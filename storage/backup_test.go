package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
	"motcua/internal/testgen"
)

// seeded returns a database with some dossiers, history and an agency.
func seeded(t *testing.T, n int) *DB {
	t.Helper()
	db := openTemp(t)
	ds := testgen.Dossiers(n, 3, testAgency)
	putAll(t, db, ds)
	update(t, db, func(tx app.Tx) error {
		if err := tx.PutAgency(&app.Agency{Code: testAgency, Name: "UBND xã Tân Lập"}); err != nil {
			return err
		}
		return tx.AppendHistory(ds[0].Code, entry(nil, app.ActReceive, app.StateReceived))
	})
	return db
}

func countAll(t *testing.T, path string) int {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	db.View(func(tx app.Tx) error {
		c, _ := tx.CountByState()
		for _, v := range c {
			n += v
		}
		return nil
	})
	return n
}

func TestBackupWhileWriting(t *testing.T) {
	db := seeded(t, 300)
	// Writers keep going during the backup; the copy is one consistent moment.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			d := dossier(app.DossierCode(testAgency, day0, 5000+i), "Phạm Văn Bình", app.StateReceived, day0)
			if err := db.Update(func(tx app.Tx) error { return tx.PutDossier(&d) }); err != nil {
				t.Error(err)
			}
		}
	}()
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	wg.Wait()
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup = %d, %v (buffer %d)", n, err, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := VerifyBackupFile(path); err != nil {
		t.Fatal(err)
	}
	if got := countAll(t, path); got < 300 || got > 320 {
		t.Errorf("backup holds %d dossiers", got)
	}
	cp, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	checkIndexes(t, cp)
}

func TestBackupToFile(t *testing.T) {
	db := seeded(t, 50)
	dir := filepath.Join(t.TempDir(), "sao lưu")
	path := filepath.Join(dir, "one.db")
	if err := db.BackupToFile(path); err != nil {
		t.Fatal(err)
	}
	if err := db.BackupToFile(path); err != nil { // again, over the first
		t.Fatal(err)
	}
	if err := VerifyBackupFile(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if got := countAll(t, path); got != 50 {
		t.Errorf("backup holds %d dossiers", got)
	}
}

func TestVerifyBackupFileRejects(t *testing.T) {
	db := seeded(t, 20)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := db.BackupToFile(good); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	// A page in the middle overwritten with garbage.
	corrupt := append([]byte{}, raw...)
	for i := 4 * 4096; i < 6*4096 && i < len(corrupt); i++ {
		corrupt[i] = 0xA5
	}
	// A bbolt file that is not ours.
	foreign := filepath.Join(dir, "foreign.db")
	{
		f, err := bolt.Open(foreign, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		f.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
		f.Close()
	}
	newer := filepath.Join(dir, "newer.db")
	{
		n, _ := Open(newer)
		n.RawPut(bMeta, keySchema, u64(uint64(SchemaVersion()+1)))
		n.Close()
	}
	noMeta := filepath.Join(dir, "nometa.db")
	{
		n, _ := Open(noMeta)
		n.RawPut(bMeta, keySchema, u64(0))
		n.Close()
	}
	for name, p := range map[string]string{
		"missing":   filepath.Join(dir, "nope.db"),
		"empty":     write("empty.db", nil),
		"text":      write("text.db", []byte("đây không phải là cơ sở dữ liệu")),
		"truncated": write("truncated.db", raw[:len(raw)/2]),
		"corrupt":   write("corrupt.db", corrupt),
		"newer":     newer,
		"no schema": noMeta,
		"folder":    dir,
		"foreign":   foreign,
	} {
		err := VerifyBackupFile(p)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		t.Logf("%s: %v", name, err)
	}
	if err := VerifyBackupFile(good); err != nil {
		t.Fatal(err)
	}
}

func TestRestore(t *testing.T) {
	db := seeded(t, 40)
	path := db.Path()
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := db.BackupToFile(backup); err != nil {
		t.Fatal(err)
	}
	// Work after the backup, then the disaster: restore.
	more := testgen.Dossiers(60, 99, "000.00.09.H22")
	putAll(t, db, more)

	// Refused while the database is open.
	kindIs(t, Restore(path, backup), app.KindLocked)
	db.Close()

	// Refused when the backup is bad; the database is untouched.
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("garbage"), 0o600)
	if err := Restore(path, bad); err == nil {
		t.Fatal("restored garbage")
	}
	if got := countAll(t, path); got != 100 {
		t.Fatalf("after a refused restore: %d dossiers", got)
	}

	if err := Restore(path, backup); err != nil {
		t.Fatal(err)
	}
	if got := countAll(t, path); got != 40 {
		t.Errorf("restored database has %d dossiers, want 40", got)
	}
	if got := countAll(t, path+".before-restore"); got != 100 {
		t.Errorf(".before-restore has %d dossiers, want 100", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"motcua.db", "motcua.db.before-restore"}) {
		t.Errorf("folder holds %v", names)
	}

	// Restoring into a place with no database yet (a new machine).
	fresh := filepath.Join(t.TempDir(), "new", "motcua.db")
	if err := Restore(fresh, backup); err != nil {
		t.Fatal(err)
	}
	if got := countAll(t, fresh); got != 40 {
		t.Errorf("fresh restore: %d", got)
	}
}

// TestVerifyBackupFileNeverCrashes damages each page of a backup in turn:
// bbolt asserts on damaged pages (some in a goroutine of its own), and the
// verifier must turn every one of them into an error, not a crash.
func TestVerifyBackupFileNeverCrashes(t *testing.T) {
	db := seeded(t, 120)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := db.BackupToFile(good); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	const page = 4096
	rejected := 0
	for p := 0; p*page < len(raw); p++ {
		for _, fill := range []byte{0x00, 0xA5} {
			bad := append([]byte{}, raw...)
			for i := p * page; i < (p+1)*page && i < len(bad); i++ {
				bad[i] = fill
			}
			path := filepath.Join(dir, "bad.db")
			os.WriteFile(path, bad, 0o600)
			if VerifyBackupFile(path) != nil {
				rejected++
			}
		}
	}
	t.Logf("%d pages, %d damaged copies rejected", len(raw)/page, rejected)
	if rejected < len(raw)/page {
		t.Errorf("only %d damaged copies rejected", rejected)
	}
}

func TestScansAreChunkedAndTravelWithTheBackup(t *testing.T) {
	db := seeded(t, 3)
	big := make([]byte, 3*scanChunk+17) // four chunks, the last a short one
	for i := range big {
		big[i] = byte(i * 7)
	}
	small := []byte("%PDF-1.4 giấy khai sinh")
	if err := db.Update(func(tx app.Tx) error {
		if err := tx.PutScan("aa", big); err != nil {
			return err
		}
		return tx.PutScan("bb", small)
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	var last, total int64
	if _, err := db.WriteBackup(out, func(d, tot int64) { last, total = d, tot }); err != nil {
		t.Fatal(err)
	}
	if total == 0 || last != total {
		t.Errorf("progress ended at %d of %d", last, total)
	}
	var vlast, vtotal int64
	if err := db.VerifyBackup(out, func(d, tot int64) { vlast, vtotal = d, tot }); err != nil || vlast != vtotal || vtotal == 0 {
		t.Fatalf("verify: %v (%d of %d)", err, vlast, vtotal)
	}
	cp, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	err = cp.View(func(tx app.Tx) error {
		for sha, want := range map[string][]byte{"aa": big, "bb": small} {
			got, err := tx.Scan(sha)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("scan %s: %d bytes, %v", sha, len(got), err)
			}
		}
		if ok, _ := tx.HasScan("cc"); ok {
			t.Error("HasScan of a missing scan")
		}
		_, err := tx.Scan("cc")
		if app.KindOf(err) != app.KindNotFound {
			t.Errorf("missing scan: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
