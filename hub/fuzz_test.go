package hub

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus/hooks/test"

	"motcua/api"
)

// fuzzEnv is one hub shared by every input of a fuzz target (opening a hub
// per input would measure bbolt, not the request readers).
func fuzzEnv(f *testing.F) *env {
	logger, hook := test.NewNullLogger()
	h, err := OpenWith(f.TempDir(), Options{Logger: logger, RateLimit: -1})
	if err != nil {
		f.Fatal(err)
	}
	e := &env{h: h, keys: map[string]string{}, logs: hook}
	for _, a := range [][2]string{{commune, "UBND xã Tân Lập"}, {dept, "Sở Tư pháp"}} {
		k, err := h.AddAgency(a[0], a[1], "")
		if err != nil {
			f.Fatal(err)
		}
		e.keys[a[0]] = k
	}
	e.srv = httptest.NewServer(h.Handler())
	f.Cleanup(func() { e.srv.Close(); h.Close() })
	return e
}

// checkAnswer: whatever the body, the hub answers 2xx with JSON or 4xx with
// problem+json whose status matches; never 5xx.
func checkAnswer(t *testing.T, r result) {
	t.Helper()
	switch {
	case r.status >= 500:
		t.Fatalf("status %d for a client's input: %s", r.status, r.body)
	case r.status >= 400:
		var p api.Problem
		if r.header.Get("Content-Type") != api.MediaProblem || json.Unmarshal(r.body, &p) != nil || p.Status != r.status || p.Code == "" {
			t.Fatalf("status %d without a problem: %q %s", r.status, r.header.Get("Content-Type"), r.body)
		}
	}
}

// FuzzCreateTransfer sends arbitrary bodies to POST /v1/transfers.
func FuzzCreateTransfer(f *testing.F) {
	e := fuzzEnv(f)
	valid, _ := json.Marshal(api.TransferRequest{Purpose: api.PurposeProcess, ToAgency: dept, Dossier: api.Dossier{
		DossierCode: "000.00.01.H22-250115-0001", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Channel: 1,
		Applicant: api.Applicant{Kind: 1, FullName: "Nguyễn Thị Ánh Hằng"}, StatusCode: 4,
		ReceivedAt: time.Date(2025, 1, 15, 9, 0, 0, 0, time.FixedZone("", 7*3600)), Documents: []api.Document{{Name: "Tờ khai", Originals: 1}}}})
	f.Add(valid)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"purpose":"process","to_agency":"000.00.00.H56","dossier":{"channel":9}}`))
	f.Add([]byte(`{"purpose":"process","typo":1}`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, body []byte) {
		e.t = t
		r := e.do(commune, "POST", "/v1/transfers", bytes.NewReader(body),
			hdr{"Content-Type": api.MediaJSON, "Idempotency-Key": newKey()})
		checkAnswer(t, r)
	})
}

// FuzzAckAndStatus sends arbitrary bodies to the recipient's ack and status
// endpoints of a real pending transfer.
func FuzzAckAndStatus(f *testing.F) {
	e := fuzzEnv(f)
	f.Add([]byte(`{"accepted":true,"local_code":"000.00.00.H56-250115-0001"}`), true)
	f.Add([]byte(`{"accepted":false}`), true)
	f.Add([]byte(`{"status_code":9,"note":"x","actor":{"name":"A"},"occurred_at":"2025-01-15T09:00:00+07:00","results":[]}`), false)
	f.Add([]byte(`{"status_code":5,"supplement":{"request":"","deadline":"nope"}}`), false)
	f.Add([]byte(`null`), false)
	var id string
	f.Fuzz(func(t *testing.T, body []byte, ack bool) {
		e.t = t
		if id == "" {
			tr := e.mustCreate(commune, api.TransferRequest{Purpose: api.PurposeProcess, ToAgency: dept, Dossier: api.Dossier{
				DossierCode: "000.00.01.H22-250115-0009", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Channel: 1,
				Applicant: api.Applicant{Kind: 1, FullName: "Trần Văn Bình"}, StatusCode: 4, ReceivedAt: time.Date(2025, 1, 15, 9, 0, 0, 0, time.FixedZone("", 7*3600)),
				Documents: []api.Document{{Name: "Tờ khai", Originals: 1}}}})
			id = tr.ID
		}
		path, h := "/v1/transfers/"+id+"/status", hdr{"Content-Type": api.MediaJSON, "Idempotency-Key": newKey(), "If-Match": `"1"`}
		if ack {
			path, h = "/v1/transfers/"+id+"/ack", hdr{"Content-Type": api.MediaJSON}
		}
		checkAnswer(t, e.do(dept, "POST", path, bytes.NewReader(body), h))
	})
}

// FuzzStoredEvent feeds arbitrary stored bytes to the feed's reader: it never
// panics, and whatever it delivers encodes again (a feed never blocks).
func FuzzStoredEvent(f *testing.F) {
	logger, _ := test.NewNullLogger()
	h := &Hub{log: logger}
	f.Add([]byte(`{"id":"ev_1","seq":1,"type":"transfer.received","occurred_at":"2026-01-15T09:30:00+07:00","transfer_id":"t","version":1,"data":{"transfer":{"dossier":{"form_data":{"a":[[[1]]]}}}}}`))
	f.Add([]byte(`{"id":"ev_1","seq":1,"data":` + strings.Repeat("[", 11000) + `}`))
	f.Add([]byte(`{"seq":1,"id":"x","occurred_at":"bad"}`))
	f.Add([]byte("\x00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, ok := h.storedEvent("000.00.00.H56", 1, raw)
		if !ok {
			return
		}
		if ev.Seq != 1 {
			t.Fatalf("delivered seq %d for stored seq 1", ev.Seq)
		}
		if _, err := json.Marshal(api.InboxPage{Events: []api.Event{ev}}); err != nil {
			t.Fatalf("delivered event does not encode: %v", err)
		}
	})
}

// FuzzSubmissionReaders sends arbitrary bodies to the v1.1 writers: the
// portal's POST /v1/submissions, the agency's decision on a real pending
// submission and its PUT /v1/public-status; and arbitrary codes to the
// look-up and the /tra-cuu page. Never a 5xx, always a problem on 4xx.
func FuzzSubmissionReaders(f *testing.F) {
	e := fuzzEnv(f)
	k, err := e.h.AddPortal("DVC-H56", "Cổng dịch vụ công")
	if err != nil {
		f.Fatal(err)
	}
	e.keys["DVC-H56"] = k
	f.Add(uint8(0), []byte(`{"to_agency":"000.00.01.H22","portal_ref":"R1","submitted_at":"2026-01-14T21:00:00+07:00","dossier":{"procedure_code":"1.001193","procedure_name":"Khai sinh","channel":2,"status_code":1,"applicant":{"kind":1,"full_name":"Lê Thị Mai"}}}`))
	f.Add(uint8(1), []byte(`{"decision":"accepted","dossier_code":"000.00.01.H22-260115-0001","received_at":"2026-01-15T08:00:00+07:00","due_at":"2026-01-20T08:00:00+07:00","actor":{"name":"A"}}`))
	f.Add(uint8(1), []byte(`{"decision":"supplement","supplement":{"request":""},"actor":{"name":"A"}}`))
	f.Add(uint8(2), []byte(`{"version":1,"procedure_code":"1","procedure_name":"x","agency_name":"y","status_code":4,"received_at":"2026-01-15T08:00:00+07:00","applicant_masked":"L** M**"}`))
	f.Add(uint8(3), []byte("000.00.01.H22-260115-0001"))
	f.Add(uint8(4), []byte("<script>alert(1)</script>"))
	f.Add(uint8(4), []byte("\xff%00"))
	var subID string
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		e.t = t
		if subID == "" {
			var s api.Submission
			e.post("DVC-H56", "/v1/submissions", api.SubmissionRequest{ToAgency: commune, PortalRef: "seed", SubmittedAt: time.Now(),
				Dossier: api.SubmissionDossier{ProcedureCode: "1.001193", ProcedureName: "Khai sinh", Channel: 2, StatusCode: 1,
					Applicant: api.Applicant{Kind: 1, FullName: "Lê Thị Mai"}}}, hdr{api.HeaderIdempotencyKey: newKey()}).want(t, 201, &s)
			subID = s.ID
		}
		jh := hdr{"Content-Type": api.MediaJSON, api.HeaderIdempotencyKey: newKey()}
		switch which % 5 {
		case 0:
			checkAnswer(t, e.do("DVC-H56", "POST", "/v1/submissions", bytes.NewReader(body), jh))
		case 1:
			checkAnswer(t, e.do(commune, "POST", "/v1/submissions/"+subID+"/decision", bytes.NewReader(body), jh))
		case 2:
			checkAnswer(t, e.do(commune, "PUT", "/v1/public-status/"+commune+"-260115-0001", bytes.NewReader(body), jh))
		case 3:
			checkAnswer(t, e.do("", "GET", "/v1/public/lookup?code="+url.QueryEscape(string(body)), nil, nil))
		case 4:
			r := e.do("", "GET", "/tra-cuu?ma="+url.QueryEscape(string(body)), nil, nil)
			if r.status >= 500 || strings.Contains(string(r.body), "<script>alert") {
				t.Fatalf("page: %d %s", r.status, r.body)
			}
		}
	})
}

// FuzzAdminSocket sends arbitrary lines to the administration socket's
// reader: it never panics and always answers one JSON response.
func FuzzAdminSocket(f *testing.F) {
	e := fuzzEnv(f)
	f.Add([]byte(`{"cmd":"agency-list"}`))
	f.Add([]byte(`{"cmd":"key-issue","code":"000.00.01.H22"}`))
	f.Add([]byte(`{"cmd":"portal-add","code":"DVC-X","name":"x"}`))
	f.Add([]byte(`{"cmd":"agency-add","code":"bad","level":"village"}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, line []byte) {
		a, b := net.Pipe()
		done := make(chan struct{})
		go func() { e.h.adminConn(a); close(done) }()
		b.SetDeadline(time.Now().Add(5 * time.Second))
		go b.Write(append(bytes.ReplaceAll(line, []byte("\n"), nil), '\n'))
		var resp AdminResponse
		if err := json.NewDecoder(b).Decode(&resp); err != nil {
			t.Fatalf("no answer for %q: %v", line, err)
		}
		b.Close()
		<-done
	})
}
