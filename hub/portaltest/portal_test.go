package portaltest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/hub"
	"motcua/hub/portaltest"
)

const commune = "000.00.01.H22"

// liveHub is a real hub on a real data folder, served on a fixed loopback
// address so that it can be stopped and started again at the same place.
type liveHub struct {
	t    *testing.T
	dir  string
	addr string
	h    *hub.Hub
	srv  *http.Server
}

func startHub(t *testing.T, dir, addr string) *liveHub {
	t.Helper()
	logger := logrus.New()
	logger.SetOutput(io.Discard)
	h, err := hub.OpenWith(dir, hub.Options{Logger: logger, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := h.Server(hub.ServerOptions{})
	go srv.Serve(ln)
	lh := &liveHub{t: t, dir: dir, addr: ln.Addr().String(), h: h, srv: srv}
	t.Cleanup(lh.stop)
	return lh
}

func (l *liveHub) stop() {
	l.srv.Close()
	l.h.Close()
}

// office is the agency's side, spoken over plain HTTP with its key.
type office struct {
	t    *testing.T
	base string
	key  string
}

func (o *office) call(method, path string, body any, hdr map[string]string, out any) int {
	o.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, o.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+o.key)
	if body != nil {
		if _, raw := body.([]byte); raw {
			req.Header.Set("Content-Type", api.MediaBinary)
		} else {
			req.Header.Set("Content-Type", api.MediaJSON)
		}
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			o.t.Fatalf("%s %s: %v (%s)", method, path, err, data)
		}
	}
	if resp.StatusCode >= 300 {
		o.t.Logf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode
}

func (o *office) publish(code string, v int64, st api.StatusCode, mut func(*api.PublicStatus)) {
	o.t.Helper()
	ps := api.PublicStatus{Version: v, ProcedureCode: "1.001193", ProcedureName: "Thủ tục đăng ký khai sinh",
		AgencyName: "UBND xã Tân Lập", StatusCode: st, ReceivedAt: time.Date(2026, 1, 15, 8, 5, 0, 0, hub.Vietnam),
		DueAt: time.Date(2026, 1, 20, 8, 5, 0, 0, hub.Vietnam), ApplicantMasked: "Lê T** M**"}
	if mut != nil {
		mut(&ps)
	}
	if st := o.call("PUT", "/v1/public-status/"+code, ps, nil, nil); st != http.StatusOK {
		o.t.Fatalf("publish %s v%d: %d", code, v, st)
	}
}

func dossier(ref string, docs ...api.Document) api.SubmissionRequest {
	return api.SubmissionRequest{ToAgency: commune, PortalRef: ref, SubmittedAt: time.Date(2026, 1, 14, 21, 15, 0, 0, hub.Vietnam),
		Dossier: api.SubmissionDossier{ProcedureCode: "1.001193", ProcedureName: "Thủ tục đăng ký khai sinh", Channel: 2,
			StatusCode: api.StatusSubmitted, Applicant: api.Applicant{Kind: 1, FullName: "Lê Thị Mai", IDType: "CCCD", IDNumber: "038190004321"},
			Documents: docs, FormData: map[string]any{"child_name": "Lê Minh Khang"}}}
}

// TestOnlineDossierThroughTheHub: the stand-in portal uploads scans and
// submits; the hub restarts before the answer reaches the portal, which
// retries with the same key; the office takes the submission from its inbox,
// verifies the scans, accepts it with a receipt and publishes each step; the
// portal hears the decision, and the look-up page shows every step up to the
// return. A refused and a supplement submission follow.
func TestOnlineDossierThroughTheHub(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	lh := startHub(t, dir, "127.0.0.1:0")
	officeKey, err := lh.h.AddAgencyLevel(commune, "UBND xã Tân Lập", "", api.LevelCommune)
	if err != nil {
		t.Fatal(err)
	}
	portalKey, err := lh.h.AddPortal("DVC-H56", "Cổng dịch vụ công tỉnh Thanh Hóa")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + lh.addr
	p := portaltest.New(base, portalKey)
	o := &office{t: t, base: base, key: officeKey}

	scans := map[string][]byte{"Tờ khai đăng ký khai sinh": []byte("%PDF-1.4 tờ khai"), "Giấy chứng sinh": []byte("\xff\xd8\xff giấy chứng sinh")}
	var docs []api.Document
	for _, name := range []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"} {
		hx, err := p.Upload(ctx, scans[name])
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, api.Document{Name: name, Originals: 1, SHA256: hx, Size: int64(len(scans[name]))})
	}
	key := portaltest.NewIdempotencyKey()
	first, err := p.Submit(ctx, key, dossier("G22.99-000101", docs...))
	if err != nil {
		t.Fatal(err)
	}

	// the hub goes down and comes back on the same folder and address; the
	// portal, unsure its answer arrived, submits again with the same key
	lh.stop()
	lh = startHub(t, dir, lh.addr)
	again, err := p.SubmitRetrying(ctx, key, dossier("G22.99-000101", docs...))
	if err != nil || again.ID != first.ID {
		t.Fatalf("retry after restart: %+v %v (first %s)", again, err, first.ID)
	}

	// the office takes it from its inbox and checks every scan
	var page api.InboxPage
	o.call("GET", "/v1/inbox", nil, nil, &page)
	if len(page.Events) != 1 || page.Events[0].Type != api.EventSubmissionReceived {
		t.Fatalf("office inbox %+v", page)
	}
	sub := page.Events[0].Data.Submission
	for _, d := range sub.Dossier.Documents {
		req, _ := http.NewRequest("GET", base+"/v1/blobs/sha256/"+d.SHA256, nil)
		req.Header.Set("Authorization", "Bearer "+officeKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != d.SHA256 || !bytes.Equal(b, scans[d.Name]) {
			t.Fatalf("scan %s does not verify", d.Name)
		}
	}
	code := commune + "-260115-0001"
	if st, _, _ := p.LookupPage(ctx, code); st != http.StatusNotFound {
		t.Fatalf("before acceptance the page answers %d", st)
	}
	var receipt api.Blob
	o.call("PUT", "/v1/blobs/sha256/"+sha("%PDF-1.4 giấy tiếp nhận"), []byte("%PDF-1.4 giấy tiếp nhận"), nil, &receipt)
	dec := api.DecisionRequest{Decision: api.DecisionAccepted, DossierCode: code, ReceivedAt: time.Date(2026, 1, 15, 8, 5, 0, 0, hub.Vietnam),
		DueAt: time.Date(2026, 1, 20, 8, 5, 0, 0, hub.Vietnam), ReceiptSHA256: receipt.SHA256, Actor: api.Actor{Name: "Phạm Văn Tâm", Title: "Công chức Tư pháp - Hộ tịch"}}
	if st := o.call("POST", "/v1/submissions/"+sub.ID+"/decision", dec, nil, nil); st != http.StatusOK {
		t.Fatalf("accept: %d", st)
	}
	o.publish(code, 1, api.StatusReceived, nil)

	decided, err := p.WaitDecision(ctx, first.ID)
	if err != nil || decided.State != api.SubmissionAccepted || decided.Decision.DossierCode != code {
		t.Fatalf("portal's decision %+v %v", decided, err)
	}
	if b, err := p.Download(ctx, decided.Decision.ReceiptSHA256); err != nil || string(b) != "%PDF-1.4 giấy tiếp nhận" {
		t.Fatalf("the portal cannot read the receipt: %v", err)
	}

	steps := []struct {
		st    api.StatusCode
		words string
		mut   func(*api.PublicStatus)
	}{
		{api.StatusReceived, "Hồ sơ đang được giải quyết", nil},
		{api.StatusProcessing, "Hồ sơ đang được giải quyết", nil},
		{api.StatusResolved, "Đã có kết quả", func(ps *api.PublicStatus) { ps.FinishedAt = time.Date(2026, 1, 19, 15, 0, 0, 0, hub.Vietnam) }},
		{api.StatusReturned, "Đã trả kết quả", func(ps *api.PublicStatus) {
			ps.FinishedAt = time.Date(2026, 1, 19, 15, 0, 0, 0, hub.Vietnam)
			ps.ReturnedAt = time.Date(2026, 1, 20, 9, 0, 0, 0, hub.Vietnam)
		}},
	}
	for i, s := range steps {
		o.publish(code, int64(i+1), s.st, s.mut)
		st, html, err := p.LookupPage(ctx, code)
		if err != nil || st != http.StatusOK || !strings.Contains(html, s.words) {
			t.Fatalf("step %d (status %d): page %d lacks %q", i, s.st, st, s.words)
		}
		l, err := p.Lookup(ctx, code)
		if err != nil || l.StatusCode != s.st {
			t.Fatalf("step %d: lookup %+v %v", i, l, err)
		}
		if strings.Contains(html, "038190004321") {
			t.Fatal("the page shows the ID number")
		}
	}

	// refused, and supplement
	for _, c := range []struct {
		ref string
		dec api.DecisionRequest
		st  api.SubmissionState
	}{
		{"G22.99-000102", api.DecisionRequest{Decision: api.DecisionRefused, Reason: "Thủ tục thuộc thẩm quyền UBND huyện", Actor: api.Actor{Name: "Phạm Văn Tâm"}}, api.SubmissionRefused},
		{"G22.99-000103", api.DecisionRequest{Decision: api.DecisionSupplement, Supplement: &api.SupplementRequest{Request: "Bản chụp giấy chứng sinh rõ nét"}, Actor: api.Actor{Name: "Phạm Văn Tâm"}}, api.SubmissionSupplement},
	} {
		s, err := p.Submit(ctx, portaltest.NewIdempotencyKey(), dossier(c.ref, docs...))
		if err != nil {
			t.Fatal(err)
		}
		if st := o.call("POST", "/v1/submissions/"+s.ID+"/decision", c.dec, nil, nil); st != http.StatusOK {
			t.Fatalf("%s: %d", c.st, st)
		}
		got, err := p.WaitDecision(ctx, s.ID)
		if err != nil || got.State != c.st {
			t.Fatalf("%s: %+v %v", c.st, got, err)
		}
	}
	// and a second submission of an already used reference is refused with its id
	_, err = p.Submit(ctx, portaltest.NewIdempotencyKey(), dossier("G22.99-000101", docs...))
	var prob *api.Problem
	if !asProblem(err, &prob) || prob.Code != api.CodeDuplicateSubmission || prob.SubmissionID != first.ID {
		t.Fatalf("duplicate: %v", err)
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func asProblem(err error, p **api.Problem) bool {
	var pr *api.Problem
	if errors.As(err, &pr) {
		*p = pr
		return true
	}
	return false
}
