package app_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"motcua/app"
	"motcua/forms"
)

func submission(id, proc, name string, at time.Time) app.OnlineSubmission {
	return app.OnlineSubmission{ID: id, Portal: "DVC-H22", PortalRef: "P-" + id, SubmittedAt: at,
		Dossier: app.Dossier{ProcedureCode: proc, ProcedureName: "Cấp Giấy xác nhận tình trạng hôn nhân", Summary: "Để kết hôn",
			Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: name, IDType: app.IDCCCD, IDNumber: "022190001234",
				Phone: "0912345678", Email: "an@example.vn", Address: "Thôn Đông, xã Tân Lập", BirthDate: "1990-05-01"},
			Documents: []app.SubmittedDocument{{Name: "Tờ khai", Originals: 1, SHA256: strings.Repeat("ab", 32)}}},
		FormData: map[string]string{"muc_dich": "Đăng ký kết hôn"}}
}

func (o *office) submit(event string, s app.OnlineSubmission) {
	o.t.Helper()
	if err := o.db.Update(func(tx app.Tx) error { return o.svc.ReceiveSubmission(tx, event, s) }); err != nil {
		o.t.Fatal(err)
	}
}

func (o *office) outbox(kind app.OutboxKind) []app.OutboxItem {
	o.t.Helper()
	items, err := o.svc.OutboxItems(o.rec)
	if err != nil {
		o.t.Fatal(err)
	}
	var out []app.OutboxItem
	for _, it := range items {
		if it.Kind == kind {
			out = append(out, it)
		}
	}
	return out
}

// TestOnlineQueue: submissions arrive once (an event or a submission seen
// before changes nothing), wait oldest first with the time waited, and are
// late past the end of the next working day after their submission
// (30/4 and 1/5 are holidays); an unknown procedure and a missing scan are
// warnings.
func TestOnlineQueue(t *testing.T) {
	o := newOffice(t)
	o.clk.T = vn(2025, 4, 29, 20, 0)
	o.submit("ev1", submission("s1", "1.004873", "Nguyễn Văn An", vn(2025, 4, 29, 19, 0)))
	o.submit("ev1", submission("s1-again", "1.004873", "Nguyễn Văn An", vn(2025, 4, 29, 19, 0)))
	o.submit("ev2", submission("s1", "1.004873", "Nguyễn Văn An", vn(2025, 4, 29, 19, 0)))
	o.submit("ev3", submission("s0", "9.999999", "Lê Thị Bình", vn(2025, 4, 24, 21, 0)))
	o.clk.T = vn(2025, 5, 2, 16, 0)
	q, err := o.svc.OnlineQueue()
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 2 || q[0].ID != "s0" || q[1].ID != "s1" {
		t.Fatalf("queue %+v", q)
	}
	if !q[0].Deadline.Equal(vn(2025, 4, 25, 17, 0)) || !q[0].Late {
		t.Errorf("s0 deadline %v late %v, want Fri 25/04 17:00, late", q[0].Deadline, q[0].Late)
	}
	if !q[1].Deadline.Equal(vn(2025, 5, 2, 17, 0)) || q[1].Late || q[1].Waited != 69*time.Hour {
		t.Errorf("s1 deadline %v late %v waited %v, want Fri 02/05 17:00 (after the holidays), not late, 69h", q[1].Deadline, q[1].Late, q[1].Waited)
	}
	if w := q[0].Warnings; len(w) != 2 || !strings.Contains(w[0].Text(), "9.999999") || w[1].ID != app.MsgOnlineScanMissing || !strings.Contains(w[1].Text(), "Tờ khai") {
		t.Errorf("warnings %q", w)
	}
	if d := q[1].Dossier; d.State != app.StateSubmitted || d.Status != app.StatusSubmitted || d.Channel != app.ChannelOnline || d.Code != "" || d.Field != "Hộ tịch" {
		t.Errorf("s1 dossier %+v", d)
	}
	if n, _ := o.svc.OnlinePending(); n != 2 {
		t.Errorf("pending %d", n)
	}
}

// TestAcceptOnline: the code and the receipt date are the acceptance's, the
// appointment is computed from it (24 working hours from Mon 28/04 09:00 →
// Mon 05/05 09:00 over the holidays), the submission time is kept, form 01 is
// stored and named by the decision queued in the same transaction; only a
// receiver decides, once.
func TestAcceptOnline(t *testing.T) {
	o := newOffice(t)
	o.svc.SetForms(forms.Printer{})
	o.submit("ev1", submission("s1", "1.004873", "Nguyễn Văn An", vn(2025, 4, 24, 21, 0)))
	o.clk.T = vn(2025, 4, 28, 9, 0)
	if _, err := o.svc.AcceptOnline(o.spec, "s1"); app.KindOf(err) != app.KindPermission {
		t.Fatalf("specialist: %v", err)
	}
	d, err := o.svc.AcceptOnline(o.rec, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Code != "000.00.01.H22-250428-0001" || !d.ReceivedAt.Equal(o.clk.T) || !d.DueAt.Equal(vn(2025, 5, 5, 9, 0)) ||
		!d.SubmittedAt.Equal(vn(2025, 4, 24, 21, 0)) || d.State != app.StateReceived || d.Channel != app.ChannelOnline || d.RegisterRow != 1 {
		t.Errorf("accepted: code %s received %v due %v submitted %v state %s channel %d row %d", d.Code, d.ReceivedAt, d.DueAt, d.SubmittedAt, d.State, d.Channel, d.RegisterRow)
	}
	got, _ := o.svc.Dossier(d.Code)
	if len(got.History) != 1 || got.History[0].Action != app.ActAccept || got.History[0].From != app.StateSubmitted || got.History[0].To != app.StateReceived {
		t.Errorf("history %+v", got.History)
	}
	items := o.outbox(app.OutboxDecision)
	if len(items) != 1 {
		t.Fatalf("decision items %d", len(items))
	}
	var dec app.SubmissionDecision
	if err := json.Unmarshal(items[0].Payload, &dec); err != nil {
		t.Fatal(err)
	}
	if dec.Decision != app.SubmissionAccepted || dec.DossierCode != d.Code || !dec.DueAt.Equal(d.DueAt) || dec.Actor.Name != o.rec.FullName {
		t.Errorf("decision %+v", dec)
	}
	pdf, err := o.svc.Scan(dec.ReceiptSHA256)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("receipt scan: %d bytes, %v", len(pdf), err)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") || !strings.Contains(text, d.Code) {
		t.Errorf("form 01 text:\n%s", text)
	}
	if _, err := o.svc.AcceptOnline(o.rec, "s1"); app.KindOf(err) != app.KindConflict {
		t.Errorf("second decision: %v", err)
	}
	if n, _ := o.svc.OnlinePending(); n != 0 {
		t.Errorf("pending %d", n)
	}
	// Counted as received online on the day of acceptance, not of submission.
	for _, c := range []struct {
		from, to time.Time
		want     int
	}{{vn(2025, 4, 24, 0, 0), vn(2025, 4, 27, 0, 0), 0}, {vn(2025, 4, 28, 0, 0), vn(2025, 4, 29, 0, 0), 1}} {
		rep, err := o.svc.Statistics(c.from, c.to, app.ByField)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total.NewOnline != c.want || rep.Total.NewOther != 0 {
			t.Errorf("statistics %v–%v: online %d other %d, want online %d", c.from, c.to, rep.Total.NewOnline, rep.Total.NewOther, c.want)
		}
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestRefuseAndSupplementOnline: a reason (or a list) is required, an
// unknown procedure can still be refused, forms 03 and 02 are stored, the
// decisions are queued and logged, and a refusal counts in the statistics'
// refusal count, not as received.
func TestRefuseAndSupplementOnline(t *testing.T) {
	o := newOffice(t)
	o.svc.SetForms(forms.Printer{})
	o.submit("ev1", submission("s1", "9.999999", "Nguyễn Văn An", vn(2025, 4, 28, 8, 0)))
	o.submit("ev2", submission("s2", "1.004873", "Lê Thị Bình", vn(2025, 4, 28, 8, 30)))
	if _, err := o.svc.AcceptOnline(o.rec, "s1"); app.KindOf(err) != app.KindInvalid {
		t.Errorf("accepting an unknown procedure: %v", err)
	}
	if _, err := o.svc.RefuseOnline(o.rec, "s1", "  "); app.KindOf(err) != app.KindInvalid {
		t.Errorf("no reason: %v", err)
	}
	if _, err := o.svc.RefuseOnline(o.lead, "s1", "Không thuộc thẩm quyền"); app.KindOf(err) != app.KindPermission {
		t.Errorf("leader refuses: %v", err)
	}
	s1, err := o.svc.RefuseOnline(o.rec, "s1", "Không thuộc thẩm quyền")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.RequestOnlineSupplement(o.rec, "s2", nil, ""); app.KindOf(err) != app.KindInvalid {
		t.Errorf("empty supplement: %v", err)
	}
	s2, err := o.svc.RequestOnlineSupplement(o.rec, "s2", []string{"Bản chụp căn cước rõ nét"}, "Ảnh mờ")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s     *app.OnlineSubmission
		state app.SubmissionState
		title string
	}{{s1, app.SubmissionRefused, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"}, {s2, app.SubmissionSupplement, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"}} {
		if c.s.State != c.state || c.s.DecidedBy.Username != "tiepnhan" {
			t.Errorf("%s: %s by %+v", c.s.ID, c.s.State, c.s.DecidedBy)
		}
		pdf, err := o.svc.Scan(c.s.FormSHA256)
		if err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, pdf); !strings.Contains(text, c.title) {
			t.Errorf("%s form:\n%s", c.s.ID, text)
		}
	}
	if n := len(o.outbox(app.OutboxDecision)); n != 2 {
		t.Errorf("decision items %d", n)
	}
	var audit []app.AuditEntry
	if err := o.db.View(func(tx app.Tx) (err error) { audit, err = tx.Audit(0, 100); return }); err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, e := range audit {
		if strings.HasPrefix(e.Action, "online.") {
			acts = append(acts, e.Action+" "+e.Target)
		}
	}
	if strings.Join(acts, ",") != "online.refused s1,online.supplement s2" {
		t.Errorf("audit %q", acts)
	}
	rep, err := o.svc.Statistics(vn(2025, 4, 1, 0, 0), vn(2025, 4, 30, 0, 0), app.ByField)
	if err != nil {
		t.Fatal(err)
	}
	if rep.RefusedOnline != 1 || rep.Total.NewOnline != 0 || rep.Total.Received() != 0 {
		t.Errorf("statistics: refused online %d, new online %d, received %d", rep.RefusedOnline, rep.Total.NewOnline, rep.Total.Received())
	}
}

// TestPublicFace: nothing is published without a hub; connecting publishes
// the open dossiers once; then every change queues the dossier's public
// face in its own queue, with nothing personal beyond the masked name.
func TestPublicFace(t *testing.T) {
	o := newOffice(t)
	in := app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: "Nguyễn Văn An", IDType: app.IDCCCD, IDNumber: "022190001234",
			Phone: "0912345678", Email: "an@example.vn", Address: "Thôn Đông, xã Tân Lập", BirthDate: "1990-05-01"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
	d, err := o.svc.Receive(o.rec, in)
	if err != nil {
		t.Fatal(err)
	}
	done, err := o.svc.Receive(o.rec, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Withdraw(o.rec, done.Code, "Rút"); err != nil {
		t.Fatal(err)
	}
	if n := len(o.outbox(app.OutboxPublic)); n != 0 {
		t.Fatalf("published without a hub: %d", n)
	}
	st, _ := o.svc.Settings()
	st.HubURL, st.HubKey = "https://lienthong.thanhhoa.gov.vn", "khoa-truy-cap"
	if err := o.svc.SaveSettings(o.admin, st); err != nil {
		t.Fatal(err)
	}
	pub := o.outbox(app.OutboxPublic)
	if len(pub) != 1 || pub[0].Queue != "public/"+d.Code {
		t.Fatalf("published on connecting: %+v", pub)
	}
	if err := o.svc.SaveSettings(o.admin, st); err != nil {
		t.Fatal(err)
	}
	if n := len(o.outbox(app.OutboxPublic)); n != 1 {
		t.Errorf("saving the settings again published again: %d", n)
	}
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	pub = o.outbox(app.OutboxPublic)
	if len(pub) != 2 {
		t.Fatalf("public items after a hand-over: %d", len(pub))
	}
	var face map[string]any
	if err := json.Unmarshal(pub[1].Payload, &face); err != nil {
		t.Fatal(err)
	}
	if face["applicant_masked"] != "Nguyễn V** A**" || face["status_code"] != float64(4) || face["dossier_code"] != d.Code || face["version"] != float64(2) {
		t.Errorf("face %v", face)
	}
	for _, it := range pub {
		for _, secret := range []string{"Nguyễn Văn An", "022190001234", "0912345678", "an@example.vn", "Thôn Đông", "1990-05-01", "Văn"} {
			if bytes.Contains(it.Payload, []byte(secret)) {
				t.Errorf("public face carries %q: %s", secret, it.Payload)
			}
		}
	}
	allowed := map[string]bool{"dossier_code": true, "version": true, "procedure_code": true, "procedure_name": true, "agency_name": true,
		"status_code": true, "received_at": true, "due_at": true, "finished_at": true, "returned_at": true, "applicant_masked": true}
	for k := range face {
		if !allowed[k] {
			t.Errorf("public face has field %q", k)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"Nguyễn Văn An": "Nguyễn V** A**", "  lê   thị  mai ": "lê T** M**", "Bình": "Bình", "": "",
		"Công ty TNHH Ánh Dương": "Công T** T** Á** D**"} {
		if got := app.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}
