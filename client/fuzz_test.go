package client

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"motcua/api"
	"motcua/app"
	"motcua/storage"
)

// FuzzInboxPage feeds arbitrary inbox pages, as the hub's JSON, through the
// desktop's decoding and ApplyEvent on a real store: no input may panic, and
// a failed event leaves nothing behind (its transaction rolls back).
func FuzzInboxPage(f *testing.F) {
	db, err := storage.Open(filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	clk := &app.FixedClock{T: time.Date(2025, 4, 28, 9, 0, 0, 0, app.Vietnam)}
	svc := app.NewService(db, clk)
	if _, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.00.H56", Name: "Sở Tư pháp", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa"},
		Admin:  app.UserInput{Username: "admin", FullName: "Quản trị", Password: "12345678"}}); err != nil {
		f.Fatal(err)
	}
	at := "2025-04-28T09:00:00+07:00"
	received := api.InboxPage{Events: []api.Event{{ID: "e1", Seq: 1, Type: api.EventType("transfer.received"), TransferID: "t1", Version: 1,
		DossierCode: "000.00.31.H56-250428-0001", FromAgency: "000.00.31.H56", ToAgency: "000.00.00.H56"}}}
	seed, _ := json.Marshal(received)
	f.Add(seed)
	f.Add([]byte(`{"events":[{"id":"e2","seq":2,"type":"transfer.status_changed","transfer_id":"t1","version":5,"occurred_at":"` + at + `","data":{"status":{"status_code":9,"results":[{"name":"Kết quả","sha256":"zz"}]}}}],"next_cursor":"x","has_more":false}`))
	f.Add([]byte(`{"events":[{"id":"e3","type":"transfer.accepted","transfer_id":"","version":-1}]}`))
	f.Add([]byte(`{"events":null}`))
	f.Add([]byte(`{"events":[{"id":"e4","seq":4,"type":"transfer.rejected","transfer_id":"t9","version":2,"dossier_code":"000.00.00.H56-250428-0001","from_agency":"000.00.00.H56","to_agency":"000.00.31.H56","data":{"ack":{"accepted":false,"reason":"x"}}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var page api.InboxPage
		if json.Unmarshal(body, &page) != nil {
			return
		}
		for _, e := range page.Events {
			ev := fromWireEvent(e)
			_ = db.Update(func(tx app.Tx) error { return svc.ApplyEvent(tx, ev) })
		}
		if _, err := svc.Counts(); err != nil {
			t.Fatal(err)
		}
	})
}
