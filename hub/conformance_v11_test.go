package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/api"
)

// Conformance of v1.1 (central-api.md "v1.1": online dossiers from the
// province portal, public status and look-up), one rule per test, over HTTP
// against a real hub on 127.0.0.1.

const portal = "DVC-H56"

// withPortal registers the province portal on an env; its key is e.keys[portal].
func withPortal(t *testing.T, e *env) {
	t.Helper()
	k, err := e.h.AddPortal(portal, "Cổng dịch vụ công tỉnh Thanh Hóa")
	if err != nil {
		t.Fatal(err)
	}
	e.keys[portal] = k
}

var portalRefN int

// onlineDossier is a birth registration submitted online for the commune.
func onlineDossier(to string, docs ...api.Document) api.SubmissionRequest {
	portalRefN++
	return api.SubmissionRequest{
		ToAgency: to, PortalRef: fmt.Sprintf("G22.99-%06d", portalRefN),
		SubmittedAt: time.Date(2026, 1, 14, 21, 15, 0, 0, Vietnam),
		Dossier: api.SubmissionDossier{
			ProcedureCode: "1.001193", ProcedureName: "Thủ tục đăng ký khai sinh", FieldName: "Hộ tịch",
			Channel: 2, StatusCode: api.StatusSubmitted,
			Applicant: api.Applicant{Kind: 1, FullName: "Lê Thị Mai", IDType: "CCCD", IDNumber: "038190004321", Phone: "0987654321"},
			Summary:   "Đăng ký khai sinh cho con", Documents: docs,
			FormData: map[string]any{"child_name": "Lê Minh Khang"},
		},
	}
}

func (e *env) submit(req any) result {
	e.t.Helper()
	return e.post(portal, "/v1/submissions", req, hdr{api.HeaderIdempotencyKey: newKey()})
}

func (e *env) mustSubmit(req api.SubmissionRequest) api.Submission {
	e.t.Helper()
	var s api.Submission
	e.submit(req).want(e.t, http.StatusCreated, &s)
	return s
}

func acceptance(code string) api.DecisionRequest {
	return api.DecisionRequest{Decision: api.DecisionAccepted, DossierCode: code,
		ReceivedAt: time.Date(2026, 1, 15, 8, 5, 0, 0, Vietnam), DueAt: time.Date(2026, 1, 20, 8, 5, 0, 0, Vietnam),
		Actor: api.Actor{Name: "Phạm Văn Tâm", Title: "Công chức Tư pháp - Hộ tịch"}}
}

func (e *env) decide(agency, id string, req any) result {
	e.t.Helper()
	return e.post(agency, "/v1/submissions/"+id+"/decision", req, nil)
}

func TestV11PortalKeyScope(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	scan := e.putBlob(portal, []byte("%PDF-1.4 tờ khai"))
	e.do(portal, "HEAD", "/v1/blobs/sha256/"+scan, nil, nil).want(t, http.StatusOK, nil)
	e.do(portal, "GET", "/v1/blobs/sha256/"+scan, nil, nil).want(t, http.StatusOK, nil)
	e.do(portal, "GET", "/v1/inbox", nil, nil).want(t, http.StatusOK, nil)
	s := e.mustSubmit(onlineDossier(commune))
	e.do(portal, "GET", "/v1/submissions/"+s.ID, nil, nil).want(t, http.StatusOK, nil)
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/agencies"}, {"GET", "/v1/transfers?role=sender"}, {"POST", "/v1/transfers"},
		{"POST", "/v1/submissions/" + s.ID + "/decision"}, {"PUT", "/v1/public-status/" + commune + "-260115-0001"},
	} {
		r := e.do(portal, c.method, c.path, strings.NewReader(`{}`), hdr{"Content-Type": api.MediaJSON, api.HeaderIdempotencyKey: newKey()})
		r.wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	}
}

func TestV11AgencyKeyCannotSubmit(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	e.post(commune, "/v1/submissions", onlineDossier(dept), hdr{api.HeaderIdempotencyKey: newKey()}).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
}

func TestV11SubmissionCreated(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	scan := e.putBlob(portal, []byte("%PDF-1.4 giấy chứng sinh"))
	r := e.submit(onlineDossier(commune, api.Document{Name: "Giấy chứng sinh", Originals: 1, SHA256: scan, Size: 27, MediaType: "application/pdf"}))
	var s api.Submission
	r.want(t, http.StatusCreated, &s)
	if s.State != api.SubmissionPending || s.Version != 1 || s.Portal != portal || s.ToAgency != commune || !strings.HasPrefix(s.ID, "sub_") {
		t.Fatalf("submission %+v", s)
	}
	if r.header.Get("Location") != "/v1/submissions/"+s.ID || r.header.Get(api.HeaderETag) != `"1"` {
		t.Fatalf("headers %v", r.header)
	}
	evs := e.allEvents(commune)
	if len(evs) != 1 || evs[0].Type != api.EventSubmissionReceived || evs[0].SubmissionID != s.ID || evs[0].FromAgency != portal ||
		evs[0].Data.Submission == nil || evs[0].Data.Submission.Dossier.Applicant.FullName != "Lê Thị Mai" {
		t.Fatalf("agency's events %+v", evs)
	}
	// the agency may read the scan the submission references; a stranger may not
	e.do(commune, "GET", "/v1/blobs/sha256/"+scan, nil, nil).want(t, http.StatusOK, nil)
	e.do(stranger, "GET", "/v1/blobs/sha256/"+scan, nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
}

func TestV11SubmissionNeedsIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	e.post(portal, "/v1/submissions", onlineDossier(commune), nil).wantProblem(t, http.StatusBadRequest, api.CodeIdempotencyKeyMissing)
}

func TestV11SubmissionIdempotentReplay(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	req, key := onlineDossier(commune), newKey()
	first := e.post(portal, "/v1/submissions", req, hdr{api.HeaderIdempotencyKey: key})
	first.want(t, http.StatusCreated, nil)
	again := e.post(portal, "/v1/submissions", req, hdr{api.HeaderIdempotencyKey: key})
	if again.status != http.StatusCreated || again.header.Get(api.HeaderIdempotentReplayed) != "true" || !bytes.Equal(again.body, first.body) {
		t.Fatalf("replay %d %s", again.status, again.body)
	}
	other := onlineDossier(commune)
	e.post(portal, "/v1/submissions", other, hdr{api.HeaderIdempotencyKey: key}).wantProblem(t, http.StatusUnprocessableEntity, api.CodeIdempotencyKeyReused)
	if n := len(e.allEvents(commune)); n != 1 {
		t.Fatalf("%d events", n)
	}
}

func TestV11DuplicateSubmission(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	req := onlineDossier(commune)
	s := e.mustSubmit(req)
	p := e.submit(req).wantProblem(t, http.StatusConflict, api.CodeDuplicateSubmission)
	if p.SubmissionID != s.ID {
		t.Fatalf("names %q, want %s", p.SubmissionID, s.ID)
	}
	// even after a decision the reference stays taken (a new one is a new portal_ref)
	e.decide(commune, s.ID, api.DecisionRequest{Decision: api.DecisionRefused, Reason: "Sai thẩm quyền", Actor: api.Actor{Name: "A"}}).want(t, http.StatusOK, nil)
	e.submit(req).wantProblem(t, http.StatusConflict, api.CodeDuplicateSubmission)
}

func TestV11SubmissionUnknownOrInactiveAgency(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	p := e.submit(onlineDossier("000.00.77.H22")).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/to_agency" {
		t.Fatalf("errors %+v", p.Errors)
	}
	if err := e.h.SetAgencyActive(dept, false); err != nil {
		t.Fatal(err)
	}
	e.submit(onlineDossier(dept)).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	if n := len(e.allEvents(dept)); n != 0 {
		t.Fatalf("inactive agency got %d events", n)
	}
}

func TestV11SubmissionMissingScans(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	ok := e.putBlob(portal, []byte("uploaded"))
	notMine := e.putBlob(commune, []byte("the commune's own file"))
	p := e.submit(onlineDossier(commune,
		api.Document{Name: "Tờ khai", Originals: 1, SHA256: ok},
		api.Document{Name: "Giấy chứng sinh", Originals: 1, SHA256: strings.Repeat("ab", 32)},
		api.Document{Name: "CCCD", Copies: 1, SHA256: notMine})).wantProblem(t, http.StatusUnprocessableEntity, api.CodeBlobMissing)
	if len(p.Errors) != 2 || p.Errors[0].Pointer != "/dossier/documents/1/sha256" || p.Errors[1].Pointer != "/dossier/documents/2/sha256" {
		t.Fatalf("errors %+v", p.Errors)
	}
	if n := len(e.allEvents(commune)); n != 0 {
		t.Fatalf("half-done: %d events", n)
	}
}

func TestV11SubmissionSchema(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	for name, mut := range map[string]func(m map[string]any){
		"channel 1":       func(m map[string]any) { m["dossier"].(map[string]any)["channel"] = 1 },
		"status 2":        func(m map[string]any) { m["dossier"].(map[string]any)["status_code"] = 2 },
		"a dossier code":  func(m map[string]any) { m["dossier"].(map[string]any)["dossier_code"] = commune + "-260115-0001" },
		"no portal_ref":   func(m map[string]any) { delete(m, "portal_ref") },
		"bad to_agency":   func(m map[string]any) { m["to_agency"] = "H22" },
		"no submitted_at": func(m map[string]any) { delete(m, "submitted_at") },
		"deep form_data": func(m map[string]any) {
			m["dossier"].(map[string]any)["form_data"] = json.RawMessage(strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40))
		},
	} {
		t.Run(name, func(t *testing.T) {
			var m map[string]any
			b, _ := json.Marshal(onlineDossier(commune))
			json.Unmarshal(b, &m)
			mut(m)
			e.submit(m).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
		})
	}
	if n := len(e.allEvents(commune)); n != 0 {
		t.Fatalf("%d events", n)
	}
}

func TestV11SubmissionVisibility(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	s := e.mustSubmit(onlineDossier(commune))
	var got api.Submission
	r := e.do(commune, "GET", "/v1/submissions/"+s.ID, nil, nil)
	r.want(t, http.StatusOK, &got)
	if got.ID != s.ID || r.header.Get(api.HeaderETag) != `"1"` {
		t.Fatalf("%+v %v", got, r.header)
	}
	e.do(stranger, "GET", "/v1/submissions/"+s.ID, nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.do(dept, "GET", "/v1/submissions/sub_nope", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
}

func TestV11DecisionAccepted(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	s := e.mustSubmit(onlineDossier(commune))
	receipt := e.putBlob(commune, []byte("%PDF-1.4 giấy tiếp nhận"))
	d := acceptance(commune + "-260115-0007")
	d.ReceiptSHA256 = receipt
	var got api.Submission
	r := e.decide(commune, s.ID, d)
	r.want(t, http.StatusOK, &got)
	if got.State != api.SubmissionAccepted || got.Version != 2 || got.Decision == nil || got.Decision.DossierCode != d.DossierCode || got.DecidedAt.IsZero() || r.header.Get(api.HeaderETag) != `"2"` {
		t.Fatalf("after accept %+v", got)
	}
	evs := e.allEvents(portal)
	if len(evs) != 1 || evs[0].Type != api.EventSubmissionDecided || evs[0].DossierCode != d.DossierCode || evs[0].Version != 2 || evs[0].Data.Submission.State != api.SubmissionAccepted {
		t.Fatalf("portal's events %+v", evs)
	}
	e.do(portal, "GET", "/v1/blobs/sha256/"+receipt, nil, nil).want(t, http.StatusOK, nil)
}

func TestV11DecisionRules(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	s := e.mustSubmit(onlineDossier(commune))
	actor := api.Actor{Name: "Phạm Văn Tâm"}
	for name, d := range map[string]api.DecisionRequest{
		"accepted without code":      {Decision: api.DecisionAccepted, ReceivedAt: time.Now(), DueAt: time.Now().Add(time.Hour), Actor: actor},
		"accepted with another code": func() api.DecisionRequest { a := acceptance(dept + "-260115-0001"); return a }(),
		"accepted due before": func() api.DecisionRequest {
			a := acceptance(commune + "-260115-0001")
			a.DueAt = a.ReceivedAt.Add(-time.Hour)
			return a
		}(),
		"refused without reason":     {Decision: api.DecisionRefused, Actor: actor},
		"supplement without request": {Decision: api.DecisionSupplement, Supplement: &api.SupplementRequest{Request: " "}, Actor: actor},
		"refused with a code":        {Decision: api.DecisionRefused, Reason: "x", DossierCode: commune + "-260115-0001", Actor: actor},
		"no actor":                   {Decision: api.DecisionRefused, Reason: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			e.decide(commune, s.ID, d).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
		})
	}
	e.decide(commune, s.ID, map[string]any{"decision": "maybe", "actor": actor}).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	d := acceptance(commune + "-260115-0001")
	d.ReceiptSHA256 = strings.Repeat("cd", 32)
	e.decide(commune, s.ID, d).wantProblem(t, http.StatusUnprocessableEntity, api.CodeBlobMissing)
	var got api.Submission
	e.do(portal, "GET", "/v1/submissions/"+s.ID, nil, nil).want(t, http.StatusOK, &got)
	if got.State != api.SubmissionPending || got.Version != 1 || len(e.allEvents(portal)) != 0 {
		t.Fatalf("half-done: %+v", got)
	}
	sup := api.DecisionRequest{Decision: api.DecisionSupplement, Supplement: &api.SupplementRequest{Request: "Bản chụp giấy chứng sinh rõ nét"}, Actor: actor}
	e.decide(commune, s.ID, sup).want(t, http.StatusOK, &got)
	if got.State != api.SubmissionSupplement {
		t.Fatalf("state %s", got.State)
	}
}

func TestV11DecisionTwice(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	s := e.mustSubmit(onlineDossier(commune))
	d := acceptance(commune + "-260115-0002")
	first := e.decide(commune, s.ID, d)
	first.want(t, http.StatusOK, nil)
	again := e.decide(commune, s.ID, d)
	again.want(t, http.StatusOK, nil)
	if !bytes.Equal(first.body, again.body) {
		t.Fatalf("the same decision again answered differently:\n%s\n%s", first.body, again.body)
	}
	e.decide(commune, s.ID, api.DecisionRequest{Decision: api.DecisionRefused, Reason: "x", Actor: api.Actor{Name: "A"}}).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	other := acceptance(commune + "-260115-0003")
	e.decide(commune, s.ID, other).wantProblem(t, http.StatusConflict, api.CodeInvalidTransition)
	if n := len(e.allEvents(portal)); n != 1 {
		t.Fatalf("portal got %d events", n)
	}
}

func TestV11DecisionOnlyByAddressedAgency(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	s := e.mustSubmit(onlineDossier(commune))
	e.decide(stranger, s.ID, acceptance(stranger+"-260115-0001")).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.decide(portal, s.ID, acceptance(commune+"-260115-0001")).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
}

func publicStatus(version int64, code api.StatusCode) api.PublicStatus {
	return api.PublicStatus{Version: version, ProcedureCode: "1.001193", ProcedureName: "Thủ tục đăng ký khai sinh",
		AgencyName: "UBND xã Tân Lập", StatusCode: code, ReceivedAt: time.Date(2026, 1, 15, 8, 5, 0, 0, Vietnam),
		DueAt: time.Date(2026, 1, 20, 8, 5, 0, 0, Vietnam), ApplicantMasked: "Lê T** M**"}
}

func (e *env) putPublic(agency, code string, ps any) result {
	e.t.Helper()
	b, _ := json.Marshal(ps)
	return e.do(agency, "PUT", "/v1/public-status/"+code, bytes.NewReader(b), hdr{"Content-Type": api.MediaJSON})
}

func TestV11PublicStatusOwnCodesOnly(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	e.putPublic(commune, commune+"-260115-0001", publicStatus(1, api.StatusReceived)).want(t, http.StatusOK, nil)
	for _, code := range []string{dept + "-260115-0001", "000.00.01.H2-260115-0001", commune + "260115-0001"} {
		e.putPublic(commune, code, publicStatus(1, api.StatusReceived)).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	}
}

func TestV11PublicStatusHighestVersionWins(t *testing.T) {
	e := newEnv(t)
	code := commune + "-260115-0004"
	var l api.PublicLookup
	e.putPublic(commune, code, publicStatus(3, api.StatusProcessing)).want(t, http.StatusOK, &l)
	e.putPublic(commune, code, publicStatus(2, api.StatusReceived)).want(t, http.StatusOK, &l)
	if l.StatusCode != api.StatusProcessing {
		t.Fatalf("an older version changed the status: %+v", l)
	}
	e.putPublic(commune, code, publicStatus(3, api.StatusStopped)).want(t, http.StatusOK, &l)
	if l.StatusCode != api.StatusProcessing {
		t.Fatalf("an equal version changed the status: %+v", l)
	}
	done := publicStatus(5, api.StatusResolved)
	done.FinishedAt = time.Date(2026, 1, 19, 15, 0, 0, 0, Vietnam)
	e.putPublic(commune, code, done).want(t, http.StatusOK, &l)
	if l.StatusCode != api.StatusResolved || l.StatusName != "Đã xử lý xong" || !l.FinishedAt.Equal(done.FinishedAt) {
		t.Fatalf("after v5 %+v", l)
	}
	// nothing personal: unknown fields (an ID number, a phone) are refused
	var m map[string]any
	b, _ := json.Marshal(publicStatus(6, api.StatusResolved))
	json.Unmarshal(b, &m)
	m["id_number"] = "038190004321"
	e.putPublic(commune, code, m).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
}

func TestV11PublicLookup(t *testing.T) {
	e := newEnv(t)
	code := commune + "-260115-0005"
	e.putPublic(commune, code, publicStatus(1, api.StatusProcessing)).want(t, http.StatusOK, nil)
	var l api.PublicLookup
	r := e.do("", "GET", "/v1/public/lookup?code="+code, nil, nil)
	r.want(t, http.StatusOK, &l)
	if l.DossierCode != code || l.StatusName != "Đang xử lý" || l.AgencyName != "UBND xã Tân Lập" || l.ApplicantMasked != "Lê T** M**" || l.UpdatedAt.IsZero() {
		t.Fatalf("lookup %+v", l)
	}
	for _, personal := range []string{"038190004321", "0987654321", "id_number", "phone"} {
		if bytes.Contains(r.body, []byte(personal)) {
			t.Fatalf("lookup reveals %q: %s", personal, r.body)
		}
	}
	e.do("", "GET", "/v1/public/lookup?code="+commune+"-260115-9999", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	e.do("", "GET", "/v1/public/lookup", nil, nil).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
}

func TestV11PublicLookupRateLimitedPerAddress(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.LookupRate = 0.01; o.LookupBurst = 5 })
	for i := 0; i < 5; i++ {
		e.do("", "GET", "/v1/public/lookup?code=x", nil, nil).wantProblem(t, http.StatusNotFound, api.CodeNotFound)
	}
	r := e.do("", "GET", "/v1/public/lookup?code=x", nil, nil)
	r.wantProblem(t, http.StatusTooManyRequests, api.CodeRateLimited)
	if r.header.Get(api.HeaderRetryAfter) == "" {
		t.Fatal("no Retry-After")
	}
	// the agencies' keyed calls are not affected by the look-up flood
	e.do(commune, "GET", "/v1/agencies", nil, nil).want(t, http.StatusOK, nil)
}

func (e *env) page(q string) (int, http.Header, string) {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/tra-cuu" + q)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestV11LookupPage(t *testing.T) {
	e := newEnv(t)
	code := commune + "-260115-0006"
	ready := publicStatus(4, api.StatusResolved)
	ready.FinishedAt = time.Date(2026, 1, 19, 15, 0, 0, 0, Vietnam)
	e.putPublic(commune, code, ready).want(t, http.StatusOK, nil)

	st, h, body := e.page("?ma=" + code)
	if st != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", st, h.Get("Content-Type"))
	}
	for _, want := range []string{`lang="vi"`, `name="viewport"`, "Đã có kết quả", "mời ông/bà đến nhận", "Khi đến nhận kết quả, xin mang theo",
		"Căn cước công dân", "Ngày hẹn trả kết quả", "08:05, thứ Ba 20/01/2026", "Lê T** M**", "Đã xử lý xong", code} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Error("the page carries a script")
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}

	st, _, body = e.page("?ma=" + commune + "-260115-9999")
	if st != http.StatusNotFound || !strings.Contains(body, "Chưa tìm thấy hồ sơ") || !strings.Contains(body, "Xin ông/bà vui lòng kiểm tra lại mã") {
		t.Fatalf("unknown code: %d\n%s", st, body)
	}
	st, _, body = e.page("")
	if st != http.StatusOK || !strings.Contains(body, `<form method="get" action="/tra-cuu">`) || strings.Contains(body, "Chưa tìm thấy") {
		t.Fatalf("empty form: %d", st)
	}
	// markup in a code is shown as text, never run
	_, _, body = e.page("?ma=%3Cb%3Ex%3C%2Fb%3E")
	if strings.Contains(body, "<b>x</b>") {
		t.Fatal("the code is not escaped")
	}
	// each status reads in words
	for code, words := range map[api.StatusCode]string{
		api.StatusSubmitted: "đang chờ tiếp nhận", api.StatusProcessing: "đang được giải quyết", api.StatusSupplement: "Cần bổ sung giấy tờ",
		api.StatusPaymentRequired: "nghĩa vụ tài chính", api.StatusRefused: "không được tiếp nhận", api.StatusWithdrawn: "đã được rút",
		api.StatusStopped: "đã dừng xử lý", api.StatusReturned: "Đã trả kết quả",
	} {
		dc := fmt.Sprintf("%s-260116-%04d", commune, code)
		e.putPublic(commune, dc, publicStatus(1, code)).want(t, http.StatusOK, nil)
		if _, _, body := e.page("?ma=" + dc); !strings.Contains(strings.ToLower(body), strings.ToLower(words)) {
			t.Errorf("status %d: page lacks %q", code, words)
		}
	}
}

func TestV11LookupPageRateLimited(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.LookupRate = 0.01; o.LookupBurst = 3 })
	for i := 0; i < 3; i++ {
		if st, _, _ := e.page("?ma=x"); st != http.StatusNotFound {
			t.Fatalf("look-up %d: %d", i, st)
		}
	}
	st, h, body := e.page("?ma=x")
	if st != http.StatusTooManyRequests || h.Get(api.HeaderRetryAfter) == "" || !strings.Contains(body, "Vui lòng thử lại sau ít phút") {
		t.Fatalf("flood: %d %v", st, h)
	}
}

func TestV11PortalAdministration(t *testing.T) {
	e := newEnv(t)
	for _, bad := range []string{"", "dvc", commune, "X", "DVC H56"} {
		if _, err := e.h.AddPortal(bad, "Cổng"); err == nil {
			t.Errorf("portal code %q accepted", bad)
		}
	}
	withPortal(t, e)
	if _, err := e.h.AddPortal(portal, "again"); err == nil {
		t.Error("a portal registered twice")
	}
	k2, err := e.h.IssuePortalKey(portal)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := e.h.Portals()
	if len(ps) != 1 || ps[0].Code != portal {
		t.Fatalf("portals %+v", ps)
	}
	if n, err := e.h.RevokePortalKey(portal); err != nil || n != 2 {
		t.Fatalf("revoked %d: %v", n, err)
	}
	e.do(portal, "GET", "/v1/inbox", nil, nil).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
	e.do("", "GET", "/v1/inbox", nil, hdr{"Authorization": "Bearer " + k2}).wantProblem(t, http.StatusUnauthorized, api.CodeUnauthorized)
	// a portal's key is not an agency's: agency key commands refuse a portal code
	if _, err := e.h.IssueKey(portal); err == nil {
		t.Error("agency key issued for a portal code")
	}
}

func TestV11OversizedSubmission(t *testing.T) {
	e := newEnv(t)
	withPortal(t, e)
	big := onlineDossier(commune)
	big.Dossier.FormData = map[string]any{"x": strings.Repeat("a", api.MaxJSONBody)}
	e.submit(big).wantProblem(t, http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge)
	many := onlineDossier(commune)
	for i := 0; i <= api.MaxDocuments; i++ {
		many.Dossier.Documents = append(many.Dossier.Documents, api.Document{Name: fmt.Sprint("Giấy tờ ", i), Copies: 1})
	}
	e.submit(many).wantProblem(t, http.StatusBadRequest, api.CodeValidationFailed)
	if n := len(e.allEvents(commune)); n != 0 {
		t.Fatalf("%d events", n)
	}
}
