package hub

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"motcua/api"
)

const (
	commune  = "000.00.01.H22" // UBND xã: sends
	dept     = "000.00.00.H56" // Sở: receives
	stranger = "000.00.02.H22" // another commune: sees nothing of theirs
)

type env struct {
	t    *testing.T
	h    *Hub
	srv  *httptest.Server
	keys map[string]string
	logs *test.Hook
}

// newEnv starts a hub on a real bbolt file and a real loopback HTTP server,
// with three agencies.
func newEnv(t *testing.T, opts ...func(*Options)) *env {
	t.Helper()
	logger, hook := test.NewNullLogger()
	logger.SetLevel(logrus.InfoLevel)
	o := Options{Logger: logger, RateLimit: -1}
	for _, f := range opts {
		f(&o)
	}
	h, err := OpenWith(t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, h: h, keys: map[string]string{}, logs: hook}
	for _, a := range []struct{ code, name, parent string }{
		{commune, "UBND xã Tân Lập", "000.00.00.H56"},
		{dept, "Sở Tư pháp", ""},
		{stranger, "UBND xã Đông Sơn", ""},
	} {
		k, err := h.AddAgency(a.code, a.name, a.parent)
		if err != nil {
			t.Fatal(err)
		}
		e.keys[a.code] = k
	}
	e.srv = httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		e.srv.Close()
		h.Close()
	})
	return e
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) problem(t *testing.T) api.Problem {
	t.Helper()
	var p api.Problem
	if ct := r.header.Get("Content-Type"); ct != api.MediaProblem {
		t.Fatalf("status %d, content type %q, body %s: want a problem", r.status, ct, r.body)
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem body %s: %v", r.body, err)
	}
	return p
}

// wantProblem checks the status and the code of a problem response.
func (r result) wantProblem(t *testing.T, status int, code api.Code) api.Problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	p := r.problem(t)
	if p.Code != code || p.Status != status || p.Type != api.ProblemTypePrefix+string(code) {
		t.Fatalf("problem %+v, want code %s status %d", p, code, status)
	}
	return p
}

func (r result) want(t *testing.T, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("body %s: %v", r.body, err)
		}
	}
}

type hdr map[string]string

func (e *env) do(agency, method, path string, body io.Reader, h hdr) result {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if agency != "" {
		req.Header.Set("Authorization", "Bearer "+e.keys[agency])
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: data}
}

// post sends v (a value, or raw []byte) as JSON.
func (e *env) post(agency, path string, v any, h hdr) result {
	e.t.Helper()
	var body []byte
	switch b := v.(type) {
	case []byte:
		body = b
	case nil:
	default:
		var err error
		if body, err = json.Marshal(v); err != nil {
			e.t.Fatal(err)
		}
	}
	if h == nil {
		h = hdr{}
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = api.MediaJSON
	}
	return e.do(agency, "POST", path, bytes.NewReader(body), h)
}

var keyN int

func newKey() string { keyN++; return fmt.Sprintf("key-%d-%d", time.Now().UnixNano(), keyN) }

func (e *env) create(agency string, req api.TransferRequest) result {
	e.t.Helper()
	return e.post(agency, "/v1/transfers", req, hdr{api.HeaderIdempotencyKey: newKey()})
}

// mustCreate creates a transfer and returns it.
func (e *env) mustCreate(agency string, req api.TransferRequest) api.Transfer {
	e.t.Helper()
	var tr api.Transfer
	e.create(agency, req).want(e.t, http.StatusCreated, &tr)
	return tr
}

func (e *env) putBlob(agency string, data []byte) string {
	e.t.Helper()
	sum := sha256.Sum256(data)
	hx := hex.EncodeToString(sum[:])
	r := e.do(agency, "PUT", "/v1/blobs/sha256/"+hx, bytes.NewReader(data), hdr{"Content-Type": api.MediaBinary})
	if r.status != http.StatusCreated && r.status != http.StatusOK {
		e.t.Fatalf("put blob: %d %s", r.status, r.body)
	}
	return hx
}

func (e *env) ack(agency, id string, accepted bool) result {
	e.t.Helper()
	req := api.AckRequest{Accepted: accepted, LocalCode: "LOCAL-1"}
	if !accepted {
		req.Reason = "sai thẩm quyền"
	}
	return e.post(agency, "/v1/transfers/"+id+"/ack", req, nil)
}

func (e *env) status(agency, id string, version int64, code api.StatusCode) result {
	e.t.Helper()
	req := statusReq(code)
	return e.post(agency, "/v1/transfers/"+id+"/status", req, hdr{api.HeaderIdempotencyKey: newKey(), api.HeaderIfMatch: api.ETag(version)})
}

func statusReq(code api.StatusCode) api.StatusRequest {
	req := api.StatusRequest{
		StatusCode: code, Note: "ghi chú",
		Actor:      api.Actor{Name: "Lê Thị B", Title: "Chuyên viên", Unit: "Phòng Hộ tịch"},
		OccurredAt: time.Date(2026, 1, 16, 8, 0, 0, 0, Vietnam),
	}
	switch code {
	case api.StatusSupplement:
		req.Supplement = &api.Supplement{Request: "Bổ sung giấy chứng sinh", Deadline: time.Date(2026, 1, 20, 17, 0, 0, 0, Vietnam)}
	case api.StatusResolved:
		req.Results = []api.ResultDoc{{Name: "Giấy khai sinh", Kind: "certificate", Number: "123/2026"}}
	}
	return req
}

var dossierN int

// sample is a birth registration going from the commune to the department.
func sample(to string, docs ...api.Document) api.TransferRequest {
	dossierN++
	return api.TransferRequest{
		Purpose:  api.PurposeProcess,
		ToAgency: to,
		Dossier: api.Dossier{
			DossierCode:   fmt.Sprintf("%s-260115-%04d", commune, dossierN),
			ProcedureCode: "1.001193",
			ProcedureName: "Thủ tục đăng ký khai sinh",
			FieldName:     "Hộ tịch",
			Channel:       1,
			Applicant: api.Applicant{Kind: 1, FullName: "Nguyễn Văn An", IDType: "CCCD", IDNumber: "038090001234",
				BirthDate: "1990-05-01", Phone: "0912345678", Address: "Thôn 1, xã Tân Lập"},
			Summary:    "Đăng ký khai sinh cho con",
			ReceivedAt: time.Date(2026, 1, 15, 9, 30, 0, 0, Vietnam),
			DueAt:      time.Date(2026, 1, 19, 17, 0, 0, 0, Vietnam),
			StatusCode: api.StatusProcessing,
			Documents:  docs,
			Fees:       []api.Fee{{Name: "Lệ phí hộ tịch", AmountVND: 0, Paid: true}},
			FormData:   map[string]any{"child_name": "Nguyễn Văn Bình", "gender": "nam"},
		},
	}
}

// inbox reads one page of an agency's feed.
func (e *env) inbox(agency, cursor string, limit int) api.InboxPage {
	e.t.Helper()
	var p api.InboxPage
	e.do(agency, "GET", fmt.Sprintf("/v1/inbox?cursor=%s&limit=%d", cursor, limit), nil, nil).want(e.t, http.StatusOK, &p)
	return p
}

// allEvents drains an agency's feed from the start.
func (e *env) allEvents(agency string) []api.Event {
	e.t.Helper()
	var out []api.Event
	cursor := ""
	for {
		p := e.inbox(agency, cursor, 500)
		out = append(out, p.Events...)
		cursor = p.NextCursor
		if !p.HasMore {
			return out
		}
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
