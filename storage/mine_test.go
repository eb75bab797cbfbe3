package storage

import (
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// TestHandlerIndexMigration: a file of schema 4 (no handler index, rows
// without the handler's username) opened by this program answers "Hồ sơ
// của tôi" from the new index: the open dossiers of the handler only.
func TestHandlerIndexMigration(t *testing.T) {
	db := openTemp(t)
	at := time.Date(2025, 4, 28, 9, 0, 0, 0, app.Vietnam)
	mk := func(n int, st app.State, user string) app.Dossier {
		d := app.Dossier{Code: app.DossierCode("000.00.01.H22", at, n), AgencyCode: "000.00.01.H22", ProcedureCode: "1.001193",
			Applicant: app.Person{FullName: "Nguyễn Văn A"}, State: st, Status: st.Code(), ReceivedAt: at.Add(time.Duration(n) * time.Minute),
			Version: 1, Handler: app.UserRef{Username: user, FullName: user}}
		return d
	}
	ds := []app.Dossier{mk(1, app.StateProcessing, "cv1"), mk(2, app.StateProcessing, "cv2"), mk(3, app.StateReturned, "cv1"),
		mk(4, app.StateAwaitingApproval, "cv1"), mk(5, app.StateReceived, "")}
	if err := db.Update(func(tx app.Tx) error {
		for i := range ds {
			if err := tx.PutDossier(&ds[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Back to schema 4: no index, no usernames in the rows.
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bIdxHandler); err != nil {
			return err
		}
		sums := tx.Bucket(bSummaries)
		for _, d := range ds {
			r, err := decodeRow(sums.Get([]byte(d.Code)))
			if err != nil {
				return err
			}
			r.Handler = ""
			raw, err := encodeRow(r)
			if err != nil {
				return err
			}
			if err := sums.Put([]byte(d.Code), raw); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(keySchema, u64(4))
	})
	if err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mine := func(user string) []string {
		var p app.Page
		if err := db.View(func(tx app.Tx) (err error) { p, err = tx.ListDossiers(app.Query{Handler: user}); return }); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range p.Items {
			out = append(out, it.Code)
		}
		return out
	}
	if got, want := mine("cv1"), []string{ds[3].Code, ds[0].Code}; !slices.Equal(got, want) {
		t.Errorf("cv1's dossiers after the migration: %v, want %v (open ones, newest first)", got, want)
	}
	if got := mine("cv2"); !slices.Equal(got, []string{ds[1].Code}) {
		t.Errorf("cv2's dossiers: %v", got)
	}
	// The migrated rows move with the next change as new ones do.
	d := ds[0]
	d.Version, d.Handler = 2, app.UserRef{Username: "cv2"}
	if err := db.Update(func(tx app.Tx) error { return tx.PutDossier(&d) }); err != nil {
		t.Fatal(err)
	}
	if got := mine("cv1"); !slices.Equal(got, []string{ds[3].Code}) {
		t.Errorf("after handing on: cv1 has %v", got)
	}
	if got := mine("cv2"); !slices.Equal(got, []string{ds[1].Code, d.Code}) {
		t.Errorf("after handing on: cv2 has %v", got)
	}
}
