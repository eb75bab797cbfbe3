package postgres_test

import (
	"context"
	"sync"
	"testing"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/storage/postgres"
	"motcua/storage/storetest"
)

var (
	benchOnce sync.Once
	benchDSN  string
	benchErr  error
)

// BenchmarkStores runs the side-by-side benchmarks (storage/storetest) on a
// database of the run's private cluster, loaded once with BulkLoad.
func BenchmarkStores(b *testing.B) {
	benchOnce.Do(func() {
		benchDSN = pgtest.DSN(b)
		db, err := postgres.Open(context.Background(), benchDSN)
		if err != nil {
			benchErr = err
			return
		}
		defer db.Close()
		if benchErr = db.BulkLoad(storetest.BenchData()); benchErr == nil {
			benchErr = storetest.SetUpBenchOffice(db)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	open := func(b *testing.B) (app.Store, func()) {
		db, err := postgres.Open(context.Background(), benchDSN)
		if err != nil {
			b.Fatal(err)
		}
		return db, func() { db.Close() }
	}
	storetest.Bench(b, storetest.BenchBackend{
		Open: func(b *testing.B) app.Store { s, done := open(b); b.Cleanup(done); return s },
		Desk: open,
	})
}
