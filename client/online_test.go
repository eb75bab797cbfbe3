package client_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/api"
	"motcua/app"
	"motcua/forms"
	"motcua/hub"
	"motcua/hub/portaltest"
)

const portalCode = "DVC-H56"

// withPortal registers the province portal on a hub folder.
func withPortal(t *testing.T, th *testHub) string {
	t.Helper()
	h, err := hub.OpenWith(th.dir, hub.Options{Logger: quietLogger(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	key, err := h.AddPortal(portalCode, "Cổng dịch vụ công tỉnh Thanh Hóa")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func onlineRequest(ref, proc, name string, at time.Time, docs ...api.Document) api.SubmissionRequest {
	return api.SubmissionRequest{ToAgency: communeCode, PortalRef: ref, SubmittedAt: at,
		Dossier: api.SubmissionDossier{ProcedureCode: proc, ProcedureName: "Cấp Giấy xác nhận tình trạng hôn nhân", Channel: 2,
			StatusCode: api.StatusSubmitted, Summary: "Xác nhận tình trạng hôn nhân để đăng ký kết hôn",
			Applicant: api.Applicant{Kind: 1, FullName: name, IDType: "CCCD", IDNumber: "038190004321", Phone: "0912345678",
				Email: "an@example.vn", Address: "Thôn Đông, xã Tân Lập", BirthDate: "1990-05-01"},
			Documents: docs, FormData: map[string]any{"muc_dich": "Đăng ký kết hôn", "so_ban": 2.0}}}
}

// rawLookup reads the public look-up as bytes (to check what it carries).
func rawLookup(t *testing.T, base, code string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(base + "/v1/public/lookup?code=" + code)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestOnlineDossierEndToEnd: the stand-in portal submits three online
// dossiers with scans; the office's inbox turns them into its queue (oldest
// first, scans downloaded and verified); the hub is killed, the officer
// accepts one, refuses one (an unknown procedure) and asks a supplement for
// the third while it is down; the hub comes back, the decisions and the
// receipt (form 01) reach the portal; the accepted dossier is processed to
// its return and the look-up shows each step with nothing personal beyond
// the masked name.
func TestOnlineDossierEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	th := newHubDir(t)
	th.args = []string{"--lookup-rate", "0"}
	pkey := withPortal(t, th)
	th.startChild()
	portal := portaltest.New(th.URL(), pkey)
	com := newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
	com.svc.SetForms(forms.Printer{})

	scanA, scanB := []byte("%PDF-1.4 to khai xac nhan tinh trang hon nhan"), []byte("%PDF-1.4 ban chup can cuoc")
	shaA, err := portal.Upload(ctx, scanA)
	if err != nil {
		t.Fatal(err)
	}
	shaB, err := portal.Upload(ctx, scanB)
	if err != nil {
		t.Fatal(err)
	}
	docs := []api.Document{{Name: "Tờ khai", Originals: 1, SHA256: shaA, Size: int64(len(scanA)), MediaType: "application/pdf"},
		{Name: "Căn cước", Copies: 1, SHA256: shaB, Size: int64(len(scanB)), MediaType: "application/pdf"}}
	t0 := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	subs := map[string]api.Submission{}
	for i, r := range []api.SubmissionRequest{
		onlineRequest("P-accept", "1.004873", "Nguyễn Văn An", t0.Add(2*time.Minute), docs...),
		onlineRequest("P-refuse", "9.999999", "Lê Thị Bình", t0, docs[:1]...),
		onlineRequest("P-supplement", "1.004873", "Trần Văn Cường", t0.Add(time.Minute), docs[1:]...),
	} {
		s, err := portal.Submit(ctx, portaltest.NewIdempotencyKey(), r)
		if err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
		subs[r.PortalRef] = s
	}

	var queue []app.OnlineQueueItem
	eventually(t, 20*time.Second, "three submissions in the office's queue", func() bool {
		queue, err = com.svc.OnlineQueue()
		return err == nil && len(queue) == 3
	})
	if queue[0].PortalRef != "P-refuse" || queue[1].PortalRef != "P-supplement" || queue[2].PortalRef != "P-accept" {
		t.Errorf("queue order %s %s %s, want oldest first", queue[0].PortalRef, queue[1].PortalRef, queue[2].PortalRef)
	}
	for _, q := range queue {
		if q.Dossier.State != app.StateSubmitted || q.Dossier.Status != app.StatusSubmitted || q.Dossier.Channel != app.ChannelOnline || q.Dossier.Code != "" {
			t.Errorf("%s: state %s status %d channel %d code %q", q.PortalRef, q.Dossier.State, q.Dossier.Status, q.Dossier.Channel, q.Dossier.Code)
		}
		if q.Waited < 2*time.Hour+50*time.Minute || q.FormData["muc_dich"] != "Đăng ký kết hôn" || q.FormData["so_ban"] != "2" {
			t.Errorf("%s: waited %v, form %v", q.PortalRef, q.Waited, q.FormData)
		}
	}
	if len(queue[0].Warnings) != 1 || !strings.Contains(queue[0].Warnings[0].Text(), "9.999999") {
		t.Errorf("unknown procedure warnings: %v", queue[0].Warnings)
	}
	if !com.blobEquals(shaA, string(scanA)) || !com.blobEquals(shaB, string(scanB)) {
		t.Error("the scans were not downloaded into the office's store")
	}
	if n, _ := com.svc.OnlinePending(); n != 3 {
		t.Errorf("pending count %d", n)
	}

	// The hub dies; the officer decides anyway (the outbox keeps the calls).
	th.kill()
	if _, err := com.svc.AcceptOnline(com.rec, queue[0].ID); app.KindOf(err) != app.KindInvalid {
		t.Errorf("accepting an unknown procedure: %v, want Invalid", err)
	}
	if _, err := com.svc.AcceptOnline(com.spec, queue[2].ID); app.KindOf(err) != app.KindPermission {
		t.Errorf("a specialist accepts: %v, want Permission", err)
	}
	if _, err := com.svc.RefuseOnline(com.rec, queue[0].ID, "Thủ tục không thuộc thẩm quyền của UBND xã"); err != nil {
		t.Fatal(err)
	}
	if _, err := com.svc.RequestOnlineSupplement(com.rec, queue[1].ID, []string{"Bản chụp tờ khai có chữ ký"}, "Tờ khai chưa ký"); err != nil {
		t.Fatal(err)
	}
	d, err := com.svc.AcceptOnline(com.rec, queue[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := com.svc.AcceptOnline(com.rec, queue[2].ID); app.KindOf(err) != app.KindConflict {
		t.Errorf("accepting twice: %v, want Conflict", err)
	}
	if !strings.HasPrefix(d.Code, communeCode+"-") || d.State != app.StateReceived || d.Channel != app.ChannelOnline ||
		!d.SubmittedAt.Equal(t0.Add(2*time.Minute)) || d.DueAt.IsZero() || d.ReceivedAt.Before(t0.Add(3*time.Hour)) {
		t.Errorf("accepted dossier: code %s state %s channel %d submitted %v received %v due %v", d.Code, d.State, d.Channel, d.SubmittedAt, d.ReceivedAt, d.DueAt)
	}
	if n, _ := com.svc.OnlinePending(); n != 0 {
		t.Errorf("pending after the decisions: %d", n)
	}
	th.startChild()
	eventually(t, 30*time.Second, "the outbox to drain after the hub came back", com.drained)

	accepted, err := portal.Get(ctx, subs["P-accept"].ID)
	if err != nil || accepted.State != api.SubmissionAccepted || accepted.Decision.DossierCode != d.Code || accepted.Decision.ReceiptSHA256 == "" {
		t.Fatalf("accepted on the hub: %+v %v", accepted, err)
	}
	receipt, err := portal.Download(ctx, accepted.Decision.ReceiptSHA256)
	if err != nil || !bytes.HasPrefix(receipt, []byte("%PDF")) || !com.blobEquals(accepted.Decision.ReceiptSHA256, string(receipt)) {
		t.Errorf("receipt: %d bytes, %v", len(receipt), err)
	}
	if s, err := portal.Get(ctx, subs["P-refuse"].ID); err != nil || s.State != api.SubmissionRefused || s.Decision.Reason != "Thủ tục không thuộc thẩm quyền của UBND xã" {
		t.Errorf("refused on the hub: %+v %v", s.Decision, err)
	}
	if s, err := portal.Get(ctx, subs["P-supplement"].ID); err != nil || s.State != api.SubmissionSupplement || !strings.Contains(s.Decision.Supplement.Request, "Bản chụp tờ khai có chữ ký") {
		t.Errorf("supplement on the hub: %+v %v", s.Decision, err)
	}

	// Each step of the processing shows on the look-up.
	step := func(what string, want api.StatusCode) {
		t.Helper()
		var l api.PublicLookup
		eventually(t, 20*time.Second, what+" on the look-up", func() bool {
			l, err = portal.Lookup(ctx, d.Code)
			return err == nil && l.StatusCode == want
		})
		if l.ApplicantMasked != "Nguyễn V** A**" || l.AgencyName != "UBND xã Tân Lập" || l.StatusName != api.StatusNames[want] {
			t.Errorf("%s: %+v", what, l)
		}
		if code, page, err := portal.LookupPage(ctx, d.Code); err != nil || code != http.StatusOK ||
			!strings.Contains(page, api.StatusNames[want]) || !strings.Contains(page, "Nguyễn V** A**") || strings.Contains(page, "Nguyễn Văn An") {
			t.Errorf("%s: the page /tra-cuu answers %d %v:\n%s", what, code, err, page)
		}
		_, raw := rawLookup(t, th.URL(), d.Code)
		for _, secret := range []string{"Nguyễn Văn An", "038190004321", "0912345678", "an@example.vn", "Thôn Đông", "1990-05-01"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s: the look-up carries %q: %s", what, secret, raw)
			}
		}
	}
	step("accepted", api.StatusReceived)
	must := func(_ *app.Dossier, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(com.svc.Handover(com.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	step("processing", api.StatusProcessing)
	must(com.svc.SubmitForApproval(com.spec, d.Code, "Đủ điều kiện"))
	must(com.svc.Approve(com.lead, d.Code, "Đồng ý"))
	must(com.svc.RecordResult(com.spec, d.Code, app.ResultInput{Kind: "Giấy xác nhận tình trạng hôn nhân", Number: "12/XN",
		Date: time.Now().In(app.Vietnam).Format("2006-01-02"), Signer: "Phạm Quốc Việt", Summary: "Xác nhận độc thân"}))
	step("result ready", api.StatusResolved)
	must(com.svc.Return(com.rec, d.Code, app.ReturnInput{To: "Nguyễn Văn An"}))
	step("returned", api.StatusReturned)
	if l, _ := portal.Lookup(ctx, d.Code); l.ReturnedAt.IsZero() || l.FinishedAt.IsZero() || l.DueAt.IsZero() {
		t.Errorf("returned look-up lacks dates: %+v", l)
	}

	// Statistics: the accepted one is received online, the refused one is a refusal.
	rep, err := com.svc.Statistics(t0.Add(-24*time.Hour), time.Now().Add(24*time.Hour), app.ByField)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.NewOnline != 1 || rep.Total.NewOther != 0 || rep.RefusedOnline != 1 {
		t.Errorf("statistics: online %d other %d refused online %d", rep.Total.NewOnline, rep.Total.NewOther, rep.RefusedOnline)
	}
}
