package postgres_test

import (
	"testing"

	"motcua/app"
	"motcua/storage/postgres"
	"motcua/storage/storetest"
)

// TestConformance runs the store conformance suite (shared with the bbolt
// store) against a fresh database of the run's private cluster per test.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) app.Store { return openDB(t) },
		Load: func(s app.Store, ds []app.Dossier) error { return s.(*postgres.DB).BulkLoad(ds) },
	})
}
