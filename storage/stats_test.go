package storage

import (
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
	"motcua/internal/testgen"
)

func statsSnapshot(t *testing.T, db *DB) ([]app.DayStats, map[string]string) {
	t.Helper()
	var rows []app.DayStats
	var names map[string]string
	err := db.View(func(tx app.Tx) error {
		st := tx.(app.StatsTx)
		if err := st.DailyStats(0, 1<<30, func(r app.DayStats) error { rows = append(rows, r); return nil }); err != nil {
			return err
		}
		var err error
		names, err = st.StatsProcedureNames()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows, names
}

// TestStatsMigrationRebuildsCounters opens a file of the schema before the
// counters (its dossiers written without them) and checks that migration 2
// builds exactly the counters the write path keeps.
func TestStatsMigrationRebuildsCounters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.BulkLoad(testgen.Dossiers(3000, 11, testAgency), 1000); err != nil {
		t.Fatal(err)
	}
	want, wantNames := statsSnapshot(t, db)
	if len(want) < 1000 || len(wantNames) != 10 {
		t.Fatalf("%d counter rows, %d names", len(want), len(wantNames))
	}
	// Make it a schema-1 file: no statistics buckets.
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bStatsDay, bStatsFacts, bStatsNames} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(keySchema, u64(1))
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
	got, gotNames := statsSnapshot(t, db)
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotNames, wantNames) {
		t.Errorf("rebuilt counters differ: %d rows, want %d", len(got), len(want))
	}
}

func TestStatsFactsRoundTrip(t *testing.T) {
	f := app.StatsFacts{Field: "Hộ tịch", Procedure: "1.004873", Marks: []app.StatMark{{Day: 20000, Counter: app.CtrReceivedOther}, {Day: 20003, Counter: app.CtrDueClosed}}}
	field, proc, marks, ok := decodeFacts(encodeFacts(&f))
	if !ok || field != f.Field || proc != f.Procedure || !reflect.DeepEqual(marks, f.Marks) {
		t.Errorf("got %q %q %v %v", field, proc, marks, ok)
	}
	if _, _, _, ok := decodeFacts([]byte("broken")); ok {
		t.Error("a damaged record decodes")
	}
}
