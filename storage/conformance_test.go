package storage_test

import (
	"path/filepath"
	"testing"

	"motcua/app"
	"motcua/storage"
	"motcua/storage/storetest"
)

// TestConformance runs the store conformance suite (shared with the
// PostgreSQL store) on bbolt, checking every index and counter bucket
// against the records after the tests that write many dossiers.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) app.Store {
			db, err := storage.Open(filepath.Join(t.TempDir(), "data", "motcua.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		Check: storage.CheckIndexes,
		Load:  func(s app.Store, ds []app.Dossier) error { return s.(*storage.DB).BulkLoad(ds, 200) },
	})
}

// TestLockOutAcrossDesks: two services over one bbolt file count the failed
// sign-ins of one account together.
func TestLockOutAcrossDesks(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "data", "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.LockOutAcrossDesks(t, db, db)
}
