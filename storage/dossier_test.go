package storage

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"motcua/app"
)

var day0 = time.Date(2025, 1, 15, 8, 0, 0, 0, app.Vietnam)

func entry(prev *app.HistoryEntry, a app.Action, to app.State) app.HistoryEntry {
	e := app.HistoryEntry{Seq: 1, At: day0, User: app.UserRef{Username: "motcua", FullName: "Lê Thị Hồng"}, Action: a, To: to}
	if prev != nil {
		e.Seq, e.PrevHash, e.From = prev.Seq+1, prev.Hash, prev.To
	}
	e.Hash = app.HashEntry(e)
	return e
}

func TestPutDossierVersions(t *testing.T) {
	db := openTemp(t)
	code := app.DossierCode(testAgency, day0, 1)
	d := dossier(code, "Nguyễn Văn A", app.StateReceived, day0)
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })

	// A second insert with the same code.
	dup := d
	err := db.Update(func(tx app.Tx) error { return tx.PutDossier(&dup) })
	kindIs(t, err, app.KindConflict)

	// Replace needs stored version + 1.
	d.Version, d.State, d.Status = 2, app.StateProcessing, app.StatusProcessing
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	stale := d // someone who loaded version 1
	stale.Version = 2
	err = db.Update(func(tx app.Tx) error { return tx.PutDossier(&stale) })
	kindIs(t, err, app.KindConflict)
	skip := d
	skip.Version = 4
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&skip) }), app.KindConflict)

	// Replacing a dossier that does not exist.
	ghost := dossier(app.DossierCode(testAgency, day0, 2), "Trần Thị B", app.StateProcessing, day0)
	ghost.Version = 3
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&ghost) }), app.KindNotFound)

	// Bad input.
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&app.Dossier{Version: 1}) }), app.KindInvalid)
	bad := dossier(app.DossierCode(testAgency, day0, 3), "X", "nonsense", day0)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&bad) }), app.KindInvalid)

	db.View(func(tx app.Tx) error {
		got, err := tx.Dossier(code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.State != app.StateProcessing || got.Applicant.FullName != "Nguyễn Văn A" {
			t.Errorf("stored %+v", got)
		}
		_, err = tx.Dossier("000.00.01.H22-250115-9999")
		kindIs(t, err, app.KindNotFound)
		c, _ := tx.CountByState()
		if len(c) != 1 || c[app.StateProcessing] != 1 {
			t.Errorf("CountByState = %v", c)
		}
		return nil
	})
	checkIndexes(t, db)
}

func TestHistoryChain(t *testing.T) {
	db := openTemp(t)
	code := app.DossierCode(testAgency, day0, 1)
	d := dossier(code, "Nguyễn Văn A", app.StateReceived, day0)
	e1 := entry(nil, app.ActReceive, app.StateReceived)
	e2 := entry(&e1, app.ActHandover, app.StateProcessing)

	// No dossier, no history.
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendHistory(code, e1) }), app.KindNotFound)

	update(t, db, func(tx app.Tx) error {
		if err := tx.PutDossier(&d); err != nil {
			return err
		}
		return tx.AppendHistory(code, e1)
	})
	for name, e := range map[string]app.HistoryEntry{
		"seq gap":       func() app.HistoryEntry { e := e2; e.Seq = 3; return e }(),
		"seq repeat":    e1,
		"wrong prev":    func() app.HistoryEntry { e := e2; e.PrevHash = "00"; return e }(),
		"no prev":       func() app.HistoryEntry { e := e2; e.PrevHash = ""; return e }(),
		"first again":   entry(nil, app.ActNote, app.StateReceived),
		"seq zero":      func() app.HistoryEntry { e := e2; e.Seq = 0; return e }(),
		"negative seq":  func() app.HistoryEntry { e := e2; e.Seq = -1; return e }(),
		"rewrite entry": func() app.HistoryEntry { e := e1; e.Note = "sửa"; return e }(),
	} {
		if err := db.Update(func(tx app.Tx) error { return tx.AppendHistory(code, e) }); !app.Is(err, app.KindConflict) {
			t.Errorf("%s: %v", name, err)
		}
	}
	noHash := e2
	noHash.Hash = ""
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendHistory(code, noHash) }), app.KindInvalid)
	update(t, db, func(tx app.Tx) error { return tx.AppendHistory(code, e2) })

	// A second dossier whose code extends the first one's must not mix chains.
	other := code + "0"
	od := dossier(other, "Lê Văn C", app.StateReceived, day0)
	o1 := entry(nil, app.ActReceive, app.StateReceived)
	update(t, db, func(tx app.Tx) error {
		if err := tx.PutDossier(&od); err != nil {
			return err
		}
		return tx.AppendHistory(other, o1)
	})

	db.View(func(tx app.Tx) error {
		got, err := tx.Dossier(code)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.History) != 2 || !sameJSON(got.History[1], e2) {
			t.Errorf("history = %+v", got.History)
		}
		if br := app.VerifyHistory(code, got.History); br != nil {
			t.Errorf("chain: %v", br)
		}
		h, _ := tx.History(other)
		if len(h) != 1 || !sameJSON(h[0], o1) {
			t.Errorf("other history = %+v", h)
		}
		_, err = tx.History("000.00.01.H22-250115-7777")
		kindIs(t, err, app.KindNotFound)
		return nil
	})

	// PutDossier ignores History: the chain stays as appended.
	got := d
	got.Version = 2
	got.History = []app.HistoryEntry{entry(nil, app.ActNote, app.StateReceived)}
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&got) })
	raw, _ := db.RawGet(bDossiers, []byte(code))
	var stored map[string]any
	json.Unmarshal(raw, &stored)
	if _, ok := stored["history"]; ok {
		t.Error("the dossier record carries its history")
	}

	// ForEachHistory sees every chain, and a tampered entry.
	e1t := e1
	e1t.Note = "sửa sau lưng ứng dụng"
	b, _ := json.Marshal(e1t)
	if err := db.RawPut(HistoryBucket(), HistoryKey(code, 1), b); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var broken []string
	err := db.ForEachHistory(func(c string, es []app.HistoryEntry) error {
		seen[c] = len(es)
		if br := app.VerifyHistory(c, es); br != nil {
			broken = append(broken, br.String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[code] != 2 || seen[other] != 1 {
		t.Errorf("ForEachHistory saw %v", seen)
	}
	if len(broken) != 1 {
		t.Errorf("broken chains: %v", broken)
	}
}

// TestNextSeqConcurrent: 8 goroutines × 500 transactions each take a number
// and insert the dossier with that code: 4,000 distinct, gapless codes.
func TestNextSeqConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("4,000 fsync'd transactions")
	}
	db := openTemp(t)
	const workers, each = 8, 500
	name := "dossier/" + testAgency + "/250115"
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := db.Update(func(tx app.Tx) error {
					n, err := tx.NextSeq(name)
					if err != nil {
						return err
					}
					d := dossier(app.DossierCode(testAgency, day0, n), fmt.Sprintf("Nguyễn Văn %d", n), app.StateReceived, day0.Add(time.Duration(n)*time.Second))
					return tx.PutDossier(&d)
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db.View(func(tx app.Tx) error {
		for n := 1; n <= workers*each; n++ {
			if _, err := tx.Dossier(app.DossierCode(testAgency, day0, n)); err != nil {
				t.Fatalf("code %d: %v", n, err)
			}
		}
		c, _ := tx.CountByState()
		if c[app.StateReceived] != workers*each {
			t.Errorf("count = %v", c)
		}
		_, err := tx.NextSeq(name) // a read-only transaction cannot take a number
		kindIs(t, err, app.KindPermission)
		return nil
	})
	update(t, db, func(tx app.Tx) error {
		n, err := tx.NextSeq(name)
		if n != workers*each+1 {
			t.Errorf("next = %d", n)
		}
		return err
	})
	checkIndexes(t, db)
}

// sameJSON compares values as stored (time zones decode as equal offsets, not
// the same *Location).
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
