package storage

import (
	"encoding/json"
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

// TestHistoryTamperedEntry: an entry rewritten behind the app's back (raw
// bbolt access) is caught by the full scan. The chain rules themselves are in
// the conformance suite (storage/storetest).
func TestHistoryTamperedEntry(t *testing.T) {
	db := openTemp(t)
	code := app.DossierCode(testAgency, day0, 1)
	d := dossier(code, "Nguyễn Văn A", app.StateReceived, day0)
	e1 := entry(nil, app.ActReceive, app.StateReceived)
	e2 := entry(&e1, app.ActHandover, app.StateProcessing)
	other := code + "0"
	od := dossier(other, "Lê Văn C", app.StateReceived, day0)
	update(t, db, func(tx app.Tx) error {
		for _, x := range []*app.Dossier{&d, &od} {
			if err := tx.PutDossier(x); err != nil {
				return err
			}
		}
		if err := tx.AppendHistory(other, e1); err != nil {
			return err
		}
		if err := tx.AppendHistory(code, e1); err != nil {
			return err
		}
		return tx.AppendHistory(code, e2)
	})
	raw, _ := db.RawGet(bDossiers, []byte(code))
	var stored map[string]any
	json.Unmarshal(raw, &stored)
	if _, ok := stored["history"]; ok {
		t.Error("the dossier record carries its history")
	}

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

// sameJSON compares values as stored (time zones decode as equal offsets, not
// the same *Location).
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
