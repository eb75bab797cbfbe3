package postgres_test

import (
	"context"
	"testing"

	"motcua/app"
	"motcua/storage/postgres"
	"motcua/storage/storetest"
)

// TestConformance runs the store conformance suite (shared with the bbolt
// store) against a fresh database of the run's private cluster per test.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open:  func(t *testing.T) app.Store { return openDB(t) },
		Load:  func(s app.Store, ds []app.Dossier) error { return s.(*postgres.DB).BulkLoad(ds) },
		Check: checkDerived,
	})
}

// checkDerived compares every derived column, table and counter with what
// the dossiers imply (full scans: tests only).
func checkDerived(t *testing.T, s app.Store) {
	t.Helper()
	pool := s.(*postgres.DB).Pool()
	for name, sql := range map[string]string{
		"name words of a row": `SELECT count(*) FROM dossiers d WHERE words <>
			coalesce((SELECT array_agg(word ORDER BY word) FROM dossier_words w WHERE w.code = d.code), '{}')`,
		"posting received and words": `SELECT count(*) FROM dossier_words w JOIN dossiers d USING (code)
			WHERE w.received <> d.received OR w.words <> d.words`,
		"word counters": `SELECT count(*) FROM (SELECT word, count(*) AS c FROM dossier_words GROUP BY word) a
			FULL JOIN (SELECT word, n FROM word_counts WHERE n <> 0) b USING (word) WHERE a.c IS DISTINCT FROM b.n`,
		"state counters": `SELECT count(*) FROM (SELECT 'state/' || state AS name, count(*) AS c FROM dossiers GROUP BY state) a
			FULL JOIN (SELECT name, n FROM counters WHERE name LIKE 'state/%' AND n <> 0) b USING (name) WHERE a.c IS DISTINCT FROM b.n`,
		"open flag": `SELECT count(*) FROM dossiers WHERE open <> (state IN ('received', 'processing', 'supplement', 'payment',
			'awaiting_approval', 'approved', 'transferred'))`,
	} {
		var n int
		if err := pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows disagree", name, n)
		}
	}
}
