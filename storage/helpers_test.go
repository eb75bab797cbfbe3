package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

const testAgency = "000.00.01.H22"

// openTemp opens a fresh database file in t.TempDir().
func openTemp(t testing.TB, opts ...Option) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "data", "motcua.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func update(t testing.TB, db *DB, fn func(app.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func putAll(t testing.TB, db *DB, ds []app.Dossier) {
	t.Helper()
	update(t, db, func(tx app.Tx) error {
		for i := range ds {
			if err := tx.PutDossier(&ds[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func dossier(code, name string, st app.State, recv time.Time) app.Dossier {
	d := app.Dossier{Code: code, AgencyCode: testAgency, ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh",
		Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: app.NFC(name)},
		State:     st, Status: st.Code(), ReceivedAt: recv, Version: 1, UpdatedAt: recv}
	if st.Open() {
		d.DueAt = recv.Add(72 * time.Hour)
	}
	return d
}

func kindIs(t testing.TB, err error, k app.Kind) {
	t.Helper()
	if !app.Is(err, k) {
		t.Fatalf("error %v: want kind %v, got %v", err, k, app.KindOf(err))
	}
}

// checkIndexes compares every index bucket and counter with what the stored
// rows imply: a full scan, fine for tests.
func checkIndexes(t testing.TB, db *DB) {
	t.Helper()
	err := db.bolt.View(func(btx *bolt.Tx) error {
		want := map[string][]string{}
		states := map[string]uint64{}
		procs := map[string]uint64{}
		words := map[string]uint64{}
		btx.Bucket(bSummaries).ForEach(func(k, v []byte) error {
			r, err := decodeRow(v)
			if err != nil {
				t.Fatal(err)
			}
			if string(k) != r.Code {
				t.Errorf("summary key %s holds %s", k, r.Code)
			}
			for _, ik := range indexKeys(r) {
				want[ik.bucket] = append(want[ik.bucket], ik.key)
			}
			states[string(r.State)]++
			procs[r.ProcedureCode]++
			for _, w := range distinctWords(r.Fold) {
				words[w]++
			}
			if btx.Bucket(bDossiers).Get(k) == nil {
				t.Errorf("summary without dossier: %s", k)
			}
			return nil
		})
		for _, b := range [][]byte{bIdxState, bIdxRecv, bIdxDue, bIdxProc, bIdxID, bIdxPhone, bIdxName} {
			var got []string
			btx.Bucket(b).ForEach(func(k, v []byte) error {
				got = append(got, string(k))
				if string(b) != string(bIdxName) {
					if len(v) != 0 {
						t.Errorf("index %s: value on %q", b, k)
					}
					return nil
				}
				code := k[bytes.IndexByte(k, sep)+9:]
				if r, err := decodeRow(btx.Bucket(bSummaries).Get(code)); err != nil || !bytes.Equal(v, encodeHead(r)) {
					t.Errorf("name index: value of %q is not the head of %s (%v)", k, code, err)
				}
				return nil
			})
			w := want[string(b)]
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("index %s: %d keys, want %d", b, len(got), len(w))
			}
		}
		ctr := btx.Bucket(bCounters)
		for _, s := range app.AllStates() {
			if got := getU64(ctr, []byte(ctrState+string(s))); got != states[string(s)] {
				t.Errorf("counter of %s = %d, want %d", s, got, states[string(s)])
			}
		}
		for p, n := range procs {
			if got := getU64(ctr, []byte(ctrProc+p)); got != n {
				t.Errorf("counter of procedure %s = %d, want %d", p, got, n)
			}
		}
		nw := 0
		btx.Bucket(bWords).ForEach(func(k, v []byte) error {
			nw++
			if bytesU64(v) != words[string(k)] {
				t.Errorf("word %s counted %d, want %d", k, bytesU64(v), words[string(k)])
			}
			return nil
		})
		if nw != len(words) {
			t.Errorf("%d word counters, want %d", nw, len(words))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "motcua-example-") }
