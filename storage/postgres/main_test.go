package postgres_test

import (
	"context"
	"os"
	"testing"

	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openDB opens a fresh database of the run's private cluster.
func openDB(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigrates(t *testing.T) {
	db := openDB(t)
	v, err := db.Schema(context.Background())
	if err != nil || v != postgres.SchemaVersion() {
		t.Fatalf("schema %d, %v; want %d", v, err, postgres.SchemaVersion())
	}
}
