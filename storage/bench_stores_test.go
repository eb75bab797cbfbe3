package storage_test

import (
	"path/filepath"
	"sync"
	"testing"

	"motcua/app"
	"motcua/storage"
	"motcua/storage/storetest"
)

var (
	benchOnce sync.Once
	benchDB   *storage.DB
	benchErr  error
)

// BenchmarkStores runs the side-by-side benchmarks (storage/storetest) on a
// bbolt file loaded once with BulkLoad. bbolt is one process's file: the
// "desks" are goroutines of this process on the same DB.
func BenchmarkStores(b *testing.B) {
	benchOnce.Do(func() {
		benchDB, benchErr = storage.Open(filepath.Join(b.TempDir(), "motcua.db"))
		if benchErr != nil {
			return
		}
		b.Cleanup(func() { benchDB.Close() })
		if benchErr = benchDB.BulkLoad(storetest.BenchData(), 2000); benchErr == nil {
			benchErr = storetest.SetUpBenchOffice(benchDB)
		}
	})
	db := benchDB
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	storetest.Bench(b, storetest.BenchBackend{
		Open: func(b *testing.B) app.Store { return db },
		Desk: func(b *testing.B) (app.Store, func()) { return db, func() {} },
	})
}
