package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/internal/testgen"
	"motcua/storage/postgres"
	"motcua/storage/storetest"
)

// TestMigrationsOnData: a database left at schema 2 with dossiers in it is
// brought to the current schema by Open (migrations 3 and 4 fill the new
// columns and counters from the existing rows); a database from a newer program is
// refused with a clear message.
func TestMigrationsOnData(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ds := testgen.Dossiers(400, 8, storetest.Agency)
	if err := db.BulkLoad(ds); err != nil {
		t.Fatal(err)
	}
	// Back to schema 2, as an older program left it.
	_, err = db.Pool().Exec(ctx, `DROP INDEX dossier_words_walk; ALTER TABLE dossier_words DROP COLUMN words;
		ALTER TABLE dossiers DROP COLUMN words; DROP TABLE word_counts; DROP TABLE scans; DROP TABLE chain_days; DROP TABLE digests; DROP TABLE submissions; DELETE FROM schema_version WHERE version >= 3`)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Schema(ctx); v != postgres.SchemaVersion() {
		t.Fatalf("schema %d after Open, want %d", v, postgres.SchemaVersion())
	}
	checkDerived(t, db)
	for _, q := range []app.Query{{Text: "nguyen van"}, {Text: "tran th"}, {Text: "le"}} {
		if got, want := storetest.Codes(storetest.ListAll(t, db, q)), storetest.Oracle(ds, q); !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%q after the migration: %d rows, want %d", q.Text, len(got), len(want))
		}
	}

	// A newer program's database.
	if _, err := db.Pool().Exec(ctx, `INSERT INTO schema_version (version) VALUES (99)`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(ctx, dsn); !app.Is(err, app.KindInvalid) || !strings.Contains(err.Error(), "phiên bản mới hơn") {
		t.Errorf("a newer schema: %v", err)
	}
}
