package client

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"motcua/api"
	"motcua/app"
	"motcua/storage"
)

// FuzzSubmissionEvent feeds arbitrary inbox pages through the reader of
// submission.received (decodeInboxPage, submissionFromWire) and files what
// it accepts on a real store: nothing panics, the queue stays readable, and
// every kept form field is valid NFC text within the limits.
func FuzzSubmissionEvent(f *testing.F) {
	db, err := storage.Open(filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	svc := app.NewService(db, &app.FixedClock{T: time.Date(2025, 4, 28, 9, 0, 0, 0, app.Vietnam)})
	const own = "000.00.31.H56"
	if _, err := svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: own, Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Quản trị", Password: "12345678"}}); err != nil {
		f.Fatal(err)
	}
	sub := api.Submission{ID: "s1", Portal: "DVC-H56", ToAgency: own, PortalRef: "P1", SubmittedAt: time.Date(2025, 4, 27, 20, 0, 0, 0, time.UTC),
		State: api.SubmissionPending, Version: 1, Dossier: api.SubmissionDossier{ProcedureCode: "1.004873", Channel: 2, StatusCode: 1,
			Applicant: api.Applicant{Kind: 1, FullName: "Nguyễn Văn An"}, Documents: []api.Document{{Name: "Tờ khai", SHA256: "zz"}},
			FormData: map[string]any{"a": "Nguyễn", "b": 2.5, "c": true, "d": map[string]any{"x": []any{1.0, nil}}}}}
	seed, _ := json.Marshal(api.InboxPage{Events: []api.Event{{ID: "e1", Seq: 1, Type: api.EventSubmissionReceived, SubmissionID: "s1",
		FromAgency: "DVC-H56", ToAgency: own, Version: 1, Data: api.EventData{Submission: &sub}}}})
	f.Add(seed)
	f.Add([]byte(`{"events":[{"id":"e2","type":"submission.received","data":{"submission":{"id":"s2","to_agency":"000.00.31.H56","dossier":{"form_data":{"k":"\u0065\u0301\ud800"}}}}}]}`))
	f.Add([]byte(`{"events":[{"id":"e3","type":"submission.received","data":{"submission":{"id":"","to_agency":"x"}}}]}`))
	f.Add([]byte(`{"events":[{"id":"e4","type":"submission.received","data":{"submission":{"id":"s4","to_agency":"000.00.00.H56"}}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, _, err := decodeInboxPage(body)
		if err != nil {
			return
		}
		for _, e := range page.Events {
			if e.Type != api.EventSubmissionReceived {
				continue
			}
			s, err := submissionFromWire(e.Data.Submission, own)
			if err != nil {
				continue
			}
			if len(s.FormData) > maxFormFields {
				t.Fatalf("%d form fields kept", len(s.FormData))
			}
			for k, v := range s.FormData {
				if len(v) > maxFormText || !utf8.ValidString(k) || !utf8.ValidString(v) || !norm.NFC.IsNormalString(v) {
					t.Fatalf("form field %q = %q", k, v)
				}
			}
			for _, d := range s.Dossier.Documents {
				if d.SHA256 != "" && !hexSHA.MatchString(d.SHA256) {
					t.Fatalf("document keeps sha %q", d.SHA256)
				}
			}
			_ = db.Update(func(tx app.Tx) error { return svc.ReceiveSubmission(tx, e.ID, s) })
		}
		if _, err := svc.OnlineQueue(); err != nil {
			t.Fatal(err)
		}
	})
}
