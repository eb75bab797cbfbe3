package storage

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

func TestOpenCreatesFolderAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "motcua.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q", db.Path())
	}
	raw, _ := db.RawGet(bMeta, keySchema)
	if len(raw) != 8 || int(bytesU64(raw)) != SchemaVersion() {
		t.Errorf("schema = %v, want %d", raw, SchemaVersion())
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	// Reopening runs no migration and keeps the data.
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(func(tx app.Tx) error { _, err := tx.Settings(); return err }); err != nil {
		t.Fatal(err)
	}
}

func TestOpenNewerSchemaFails(t *testing.T) {
	db := openTemp(t)
	if err := db.RawPut(bMeta, keySchema, u64(uint64(SchemaVersion()+1))); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	_, err := Open(path)
	kindIs(t, err, app.KindInvalid)
	t.Log(err)
	// The file is not locked after the failed open.
	if _, err := Open(path, ReadOnly()); !app.Is(err, app.KindInvalid) {
		t.Fatalf("read-only open of a newer schema: %v", err)
	}
}

func TestOpenMigratesOldFile(t *testing.T) {
	// A file at schema 0 (no meta) with no buckets gets them all.
	db := openTemp(t)
	path := db.Path()
	if err := db.RawPut(bMeta, keySchema, u64(0)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, _ := db.RawGet(bMeta, keySchema)
	if int(bytesU64(raw)) != SchemaVersion() {
		t.Fatalf("schema after migration = %d", bytesU64(raw))
	}
}

// TestHelperHoldDB is not a test: the lock test runs the test binary again
// with MOTCUA_HOLD_DB set, and this function then holds the database open
// until its stdin closes.
func TestHelperHoldDB(t *testing.T) {
	path := os.Getenv("MOTCUA_HOLD_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	db, err := Open(path)
	if err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("ready\n")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
	os.Exit(0)
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "motcua.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldDB$", "-test.count=1")
	cmd.Env = append(os.Environ(), "MOTCUA_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}

	start := time.Now()
	db, err := Open(path)
	elapsed := time.Since(start)
	if err == nil {
		db.Close()
		t.Fatal("opened a database held by another process")
	}
	kindIs(t, err, app.KindLocked)
	var ae *app.Error
	if !errors.As(err, &ae) || ae.ID != ErrLockedMsg {
		t.Errorf("message: %v", err)
	}
	if elapsed > 3*time.Second {
		t.Errorf("Open took %v to fail", elapsed)
	}

	stdin.Close() // the helper closes the database and exits
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatalf("open after the other process quit: %v", err)
	}
	db.Close()
}

func TestReadOnlyOpen(t *testing.T) {
	db := openTemp(t)
	path := db.Path()
	update(t, db, func(tx app.Tx) error { return tx.PutAgency(&app.Agency{Code: testAgency, Name: "UBND xã Tân Lập"}) })
	db.Close()
	ro, err := Open(path, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	ro.View(func(tx app.Tx) error {
		a, err := tx.Agency()
		if err != nil || a.Name != "UBND xã Tân Lập" {
			t.Errorf("Agency() = %v, %v", a, err)
		}
		return nil
	})
	if err := ro.Update(func(tx app.Tx) error { return nil }); err == nil {
		t.Error("Update on a read-only database succeeded")
	}
}

func TestRawPutGet(t *testing.T) {
	db := openTemp(t)
	if err := db.RawPut([]byte("x"), []byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	v, err := db.RawGet([]byte("x"), []byte("k"))
	if err != nil || string(v) != "v" {
		t.Fatalf("RawGet = %q, %v", v, err)
	}
	if v, _ := db.RawGet([]byte("nope"), []byte("k")); v != nil {
		t.Fatalf("RawGet of a missing bucket = %q", v)
	}
}

// TestMigrateRowHeads opens a file as the first release wrote it (schema 2:
// bare JSON rows, empty name index values) and checks the migration.
func TestMigrateRowHeads(t *testing.T) {
	db, ds := queryFixture(t)
	path := db.Path()
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		sums := tx.Bucket(bSummaries)
		for i := range ds {
			rec := summaryOf(&ds[i])
			raw, _ := encode(rec)
			if err := sums.Put([]byte(ds[i].Code), raw); err != nil {
				return err
			}
			for _, ik := range indexKeys(rec) {
				if ik.bucket == string(bIdxName) {
					tx.Bucket(bIdxName).Put([]byte(ik.key), nil)
				}
			}
		}
		return tx.Bucket(bMeta).Put(keySchema, u64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkIndexes(t, db)
	for _, q := range []app.Query{{}, {Text: "nguyen van"}, {Sort: app.SortDueAsc}} {
		if got, want := codes(listAll(t, db, q)), oracle(ds, q); !slices.Equal(got, want) {
			t.Errorf("%+v after migration: %d rows, want %d", q, len(got), len(want))
		}
	}
}
