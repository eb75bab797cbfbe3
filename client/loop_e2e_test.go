package client_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"motcua/api"
	"motcua/app"
	"motcua/forms"
)

// Liên thông that closes the loop (issue 13.1, 13.2, 13.6), end to end: a
// commune and a department, each with its bbolt file and client, through a
// real hub on 127.0.0.1. Every scenario looks at both sides: the dossier's
// state, the queues, the overdue statistics and the printed form's text.

// accepted runs a transfer up to the department's processing (status 4
// seen at the commune).
func accepted(t *testing.T, name string) *flow {
	th := newHubDir(t)
	th.startInProcess()
	return acceptedOn(t, th, name)
}

func acceptedOn(t *testing.T, th *testHub, name string) *flow {
	f := &flow{t: t, th: th,
		com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
		dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
	f.transfer(name)
	f.arrive()
	if _, err := f.dep.svc.Handover(f.dep.rec, f.local, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	f.dep.cl.Kick()
	eventually(t, wait, "the commune to see the department processing", func() bool {
		ref := f.com.dossier(f.d.Code).Transfers[0]
		return ref.State == app.TransferAccepted && ref.StatusCode == app.StatusProcessing
	})
	return f
}

// form renders form k of a dossier at office o and returns its text.
func (o *office) form(k forms.Kind, d *app.Dossier) string {
	o.t.Helper()
	var ag *app.Agency
	if err := o.store.View(func(tx app.Tx) (err error) { ag, err = tx.Agency(); return }); err != nil {
		o.t.Fatal(err)
	}
	pdf, err := forms.Render(k, forms.Office{Agency: *ag}, d, o.rec.Ref())
	if err != nil {
		o.t.Fatalf("form %s of %s: %v", k, d.Code, err)
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		o.t.Fatalf("pdftotext: %v", err)
	}
	return norm.NFC.String(strings.Join(strings.Fields(string(out)), " "))
}

func wantText(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s does not say %q:\n%s", what, p, text)
		}
	}
}

func hasForm(d *app.Dossier, k forms.Kind) bool {
	for _, x := range forms.ForDossier(d) {
		if x == k {
			return true
		}
	}
	return false
}

// queued reports whether code is in the office's overdue queue, its open
// list, and how many open dossiers the statistics count overdue now.
func (o *office) queues(code string) (overdue, open bool, statsOverdue int) {
	o.t.Helper()
	q, err := o.svc.Overdue(500)
	if err != nil {
		o.t.Fatal(err)
	}
	for _, it := range q {
		overdue = overdue || it.Code == code
	}
	p, err := o.svc.List(app.Query{OpenOnly: true, Limit: 500})
	if err != nil {
		o.t.Fatal(err)
	}
	for _, it := range p.Items {
		open = open || it.Code == code
	}
	now := o.svc.Now()
	rep, err := o.svc.Statistics(now.AddDate(0, -2, 0), now.AddDate(0, 0, 1), app.ByField)
	if err != nil {
		o.t.Fatal(err)
	}
	return overdue, open, rep.Total.OpenOverdue
}

// later moves both offices' clocks days ahead (the hub keeps real time).
func (f *flow) later(days int) {
	f.com.clk.Skip(time.Duration(days) * 24 * time.Hour)
	f.dep.clk.Skip(time.Duration(days) * 24 * time.Hour)
}

func TestLoopE2ESupplementJoinsTheSameDossier(t *testing.T) {
	f := accepted(t, "Lê Thị Mai")
	com, dep := f.com, f.dep
	if _, err := dep.svc.RequestSupplement(dep.spec, f.local, app.SupplementInput{
		Items: []string{"Trích lục bản án ly hôn"}, Reason: "Cần xác minh tình trạng hôn nhân trước đây"}); err != nil {
		t.Fatal(err)
	}
	dep.cl.Kick()
	eventually(t, wait, "a supplement round at the commune", func() bool { return com.dossier(f.d.Code).State == app.StateSupplement })
	cd := com.dossier(f.d.Code)
	if r := cd.Supplements[0]; r.TransferID != f.id || r.Items[0] != "Trích lục bản án ly hôn" || r.Deadline.IsZero() {
		t.Fatalf("round at the commune %+v", r)
	}
	if !hasForm(cd, forms.KindSupplement) || !containsAct(app.DossierActions(cd, com.rec, true), app.ActReceiveSupplement) {
		t.Fatalf("commune offers forms %v, actions %v", forms.ForDossier(cd), app.DossierActions(cd, com.rec, true))
	}
	// Form 02 at both counters.
	wantText(t, "form 02 at the commune", com.form(forms.KindSupplement, cd),
		"PHIẾU YÊU CẦU BỔ SUNG", "Trích lục bản án ly hôn", "Cần xác minh tình trạng hôn nhân trước đây", "Lê Thị Mai")
	wantText(t, "form 02 at the department", dep.form(forms.KindSupplement, dep.dossier(f.local)),
		"PHIẾU YÊU CẦU BỔ SUNG", "Trích lục bản án ly hôn")

	// A month later, still waiting for the citizen: overdue nowhere.
	f.later(30)
	if ov, open, n := com.queues(f.d.Code); ov || !open || n != 0 {
		t.Errorf("commune while waiting: overdue queue %v, open %v, %d overdue in the statistics", ov, open, n)
	}
	if ov, open, _ := dep.queues(f.local); ov || !open {
		t.Errorf("department while waiting: overdue queue %v, open %v", ov, open)
	}
	f.later(0)

	// The citizen brings the paper to the commune, scanned.
	content := "%PDF-1.4 trích lục bản án ly hôn số 12/2019/HNGĐ-ST " + strings.Repeat("y", 2000)
	scan, err := app.NewScanFile("trich-luc.pdf", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	sha := scan.Document().SHA256
	before, err := dep.svc.List(app.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cd, err = com.svc.ReceiveSupplementWith(com.rec, f.d.Code, app.SupplementReceipt{Note: "Công dân nộp bổ sung",
		Papers: []app.SupplementPaper{{Name: "Trích lục bản án ly hôn", Copies: 1, Scan: &scan}}})
	if err != nil {
		t.Fatal(err)
	}
	if cd.State != app.StateTransferred {
		t.Fatalf("commune after the papers: %s", cd.State)
	}
	com.cl.Kick()
	eventually(t, wait, "the papers to join the department's dossier", func() bool {
		ld := dep.dossier(f.local)
		return ld.State == app.StateProcessing && len(ld.Supplements) == 1 && !ld.Supplements[0].ReceivedAt.IsZero()
	})
	ld := dep.dossier(f.local)
	joined := false
	for _, doc := range ld.Documents {
		joined = joined || doc.Name == "Trích lục bản án ly hôn" && doc.SHA256 == sha
	}
	if !joined || !dep.blobEquals(sha, content) {
		t.Errorf("the scan did not join the dossier intact: %+v", ld.Documents)
	}
	after, err := dep.svc.List(app.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Items) != len(before.Items) {
		t.Errorf("the supplement made a new dossier at the department: %d → %d", len(before.Items), len(after.Items))
	}
	if p := dep.pendingIncoming(); len(p) != 0 {
		t.Errorf("the supplement waits in the incoming list: %+v", p)
	}
	eventually(t, wait, "the commune to see the supplement accepted", func() bool {
		d := com.dossier(f.d.Code)
		last := d.Transfers[len(d.Transfers)-1]
		return last.Purpose == app.PurposeSupplement && last.State == app.TransferAccepted
	})
	eventually(t, wait, "both outboxes to send every transfer call", func() bool { return com.calmed() && dep.calmed() })
	cd = com.dossier(f.d.Code)
	sup := cd.Transfers[len(cd.Transfers)-1]
	var tr api.Transfer
	f.th.get(communeCode, "/v1/transfers/"+sup.ID, &tr)
	if tr.Purpose != api.PurposeSupplement || tr.Follows != f.id || tr.State != api.StateAccepted {
		t.Errorf("hub: supplement transfer %s follows %q state %s", tr.Purpose, tr.Follows, tr.State)
	}
	if cd.State != app.StateTransferred || len(cd.Legs) != 1 { // the supplement is no hand-over: no new control-sheet row
		t.Errorf("commune at the end: %s, %d legs", cd.State, len(cd.Legs))
	}
}

// TestLoopE2ESupplementHubKilled SIGKILLs the hub between the request and
// the papers, and again while the papers wait in the commune's outbox: the
// round opens once, the papers join once.
func TestLoopE2ESupplementHubKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the hub binary")
	}
	th := newHubDir(t)
	th.startChild()
	f := acceptedOn(t, th, "Lê Văn Sơn")
	com, dep := f.com, f.dep
	if _, err := dep.svc.RequestSupplement(dep.spec, f.local, app.SupplementInput{Items: []string{"Giấy xác nhận cư trú"}, Reason: "Thiếu giấy tờ"}); err != nil {
		t.Fatal(err)
	}
	dep.cl.Kick()
	eventually(t, wait, "the department's 5 to be sent", dep.calmed)
	th.kill()
	th.startChild()
	eventually(t, wait, "a supplement round at the commune", func() bool { return com.dossier(f.d.Code).State == app.StateSupplement })
	th.kill()
	if _, err := com.svc.ReceiveSupplement(com.rec, f.d.Code, "Công dân nộp bổ sung"); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	eventually(t, wait, "the commune to notice the hub is down", func() bool {
		return !com.cl.Status().Online && com.pending(app.OutboxTransfer) == 1
	})
	th.startChild()
	eventually(t, wait, "the papers to join the department's dossier", func() bool { return dep.dossier(f.local).State == app.StateProcessing })
	eventually(t, wait, "both outboxes to send every transfer call", func() bool { return com.calmed() && dep.calmed() })
	count := func(d *app.Dossier, a app.Action) int {
		n := 0
		for _, e := range d.History {
			if e.Action == a {
				n++
			}
		}
		return n
	}
	cd, ld := com.dossier(f.d.Code), dep.dossier(f.local)
	if count(cd, app.ActTransferSupplement) != 1 || count(ld, app.ActTransferJoin) != 1 || len(cd.Supplements) != 1 || cd.State != app.StateTransferred {
		t.Errorf("commune %v (%s), department %v", actions(cd), cd.State, actions(ld))
	}
	var page api.TransferPage
	th.get(communeCode, "/v1/transfers?role=sender", &page)
	if len(page.Transfers) != 2 || page.Transfers[1].Follows != f.id {
		t.Errorf("hub transfers %+v", page.Transfers)
	}
}

func TestLoopE2EPaymentAtTheSender(t *testing.T) {
	f := accepted(t, "Đỗ Văn Hùng")
	com, dep := f.com, f.dep
	if _, err := dep.svc.RequestPayment(dep.spec, f.local, []app.Fee{{Name: "Lệ phí xác minh", Amount: 150000}}); err != nil {
		t.Fatal(err)
	}
	dep.cl.Kick()
	eventually(t, wait, "the payment request at the commune", func() bool { return com.dossier(f.d.Code).State == app.StatePayment })
	cd := com.dossier(f.d.Code)
	if !strings.Contains(cd.Payment.Note, "150.000 đồng") || !containsAct(app.DossierActions(cd, com.rec, true), app.ActRecordPayment) {
		t.Fatalf("commune payment %+v", cd.Payment)
	}
	f.later(30)
	if ov, _, n := com.queues(f.d.Code); ov || n != 0 {
		t.Errorf("commune waiting for fees: overdue queue %v, %d in the statistics", ov, n)
	}
	if ov, _, _ := dep.queues(f.local); ov {
		t.Error("department waiting for fees: in the overdue queue")
	}
	f.later(0)
	if _, err := com.svc.RecordPayment(com.rec, f.d.Code, "BL-0099"); err != nil {
		t.Fatal(err)
	}
	com.cl.Kick()
	eventually(t, wait, "the payment to end the wait at the department", func() bool {
		return dep.dossier(f.local).State == app.StateProcessing
	})
	if ld := dep.dossier(f.local); ld.Payment.PaidAt.IsZero() || !strings.Contains(ld.History[len(ld.History)-1].Note, "BL-0099") {
		t.Errorf("department after the payment: %+v", ld.Payment)
	}
	eventually(t, wait, "both outboxes to send every transfer call", func() bool { return com.calmed() && dep.calmed() })
	if cd := com.dossier(f.d.Code); cd.State != app.StateTransferred {
		t.Errorf("commune after the payment: %s", cd.State)
	}
}

func TestLoopE2EStop(t *testing.T) {
	f := accepted(t, "Nguyễn Văn Bình")
	com, dep := f.com, f.dep
	reason := "Người yêu cầu đã đăng ký kết hôn tại nơi khác"
	if _, err := dep.svc.Stop(dep.lead, f.local, reason, "Điều 22 Nghị định 123/2015/NĐ-CP"); err != nil {
		t.Fatal(err)
	}
	dep.cl.Kick()
	eventually(t, wait, "the stop at the commune", func() bool { return com.dossier(f.d.Code).State == app.StateStopped })
	cd := com.dossier(f.d.Code)
	if cd.StopReason != reason || !hasForm(cd, forms.KindStop) {
		t.Fatalf("commune stop %q forms %v", cd.StopReason, forms.ForDossier(cd))
	}
	wantText(t, "form 05 at the commune", com.form(forms.KindStop, cd), "DỪNG GIẢI QUYẾT", reason, "Nguyễn Văn Bình", cd.Code,
		"Nghị định 123/2015/NĐ-CP")
	wantText(t, "form 05 at the department", dep.form(forms.KindStop, dep.dossier(f.local)), "DỪNG GIẢI QUYẾT", reason)
	f.later(30)
	if ov, open, n := com.queues(f.d.Code); ov || open || n != 0 {
		t.Errorf("commune after the stop: overdue %v open %v statistics %d", ov, open, n)
	}
	now := com.svc.Now()
	rep, err := com.svc.Statistics(now.AddDate(0, -2, 0), now.AddDate(0, 0, 1), app.ByField)
	if err != nil || rep.Total.Stopped != 1 {
		t.Errorf("commune statistics: %d stopped (%v)", rep.Total.Stopped, err)
	}
}

func TestLoopE2EDelay(t *testing.T) {
	f := accepted(t, "Trần Thị Lan")
	com, dep := f.com, f.dep
	orig := com.dossier(f.d.Code)
	newDue := orig.DueAt.AddDate(0, 0, 7)
	for newDue.Weekday() == time.Saturday || newDue.Weekday() == time.Sunday {
		newDue = newDue.AddDate(0, 0, 1)
	}
	reason := "Chờ kết quả xác minh của Công an tỉnh"
	if _, err := dep.svc.Delay(dep.spec, f.local, reason, newDue); err != nil {
		t.Fatal(err)
	}
	dep.cl.Kick()
	eventually(t, wait, "the new date at the commune", func() bool { return com.dossier(f.d.Code).DueAt.Equal(newDue) })
	cd := com.dossier(f.d.Code)
	if !cd.StatsDue.Equal(orig.StatsDue) || len(cd.Delays) != 1 || cd.Delays[0].Reason != reason || !hasForm(cd, forms.KindApology) {
		t.Fatalf("commune delay: stats due %v (was %v), delays %+v", cd.StatsDue, orig.StatsDue, cd.Delays)
	}
	wantText(t, "form 04 at the commune", com.form(forms.KindApology, cd), "XIN LỖI", reason, "Trần Thị Lan", app.LongDate(newDue))
	// Statistics keep the original date: past it, the dossier is overdue
	// there, although the citizen's appointment has not come.
	days := int(orig.StatsDue.Sub(time.Now()).Hours()/24) + 2
	f.later(days)
	if com.svc.Now().After(newDue) {
		t.Skipf("the new date is too close to the original one to tell them apart (%v, %v)", orig.StatsDue, newDue)
	}
	if _, _, n := com.queues(f.d.Code); n != 1 {
		t.Errorf("commune statistics after the original date: %d overdue, want 1", n)
	}
}

func TestLoopE2EWithdrawal(t *testing.T) {
	t.Run("not yet sent: nothing reaches the hub", func(t *testing.T) {
		th := newHubDir(t) // not serving: the transfer stays in the outbox
		com := newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode])
		d := com.receive("Phạm Văn Tú")
		if _, err := com.svc.Transfer(com.rec, d.Code, app.TransferInput{ToAgency: deptCode, ToName: "Sở Tư pháp"}); err != nil {
			t.Fatal(err)
		}
		if _, err := com.svc.Withdraw(com.rec, d.Code, "Công dân rút đơn"); err != nil {
			t.Fatal(err)
		}
		if n := com.pending(app.OutboxTransfer); n != 0 {
			t.Fatalf("%d transfers still queued after the withdrawal", n)
		}
		th.startInProcess()
		dep := newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])
		com.cl.Kick()
		eventually(t, wait, "the commune's outbox to send its calls", com.calmed)
		time.Sleep(300 * time.Millisecond)
		var page api.TransferPage
		th.get(communeCode, "/v1/transfers?role=sender", &page)
		if len(page.Transfers) != 0 || len(dep.pendingIncoming()) != 0 {
			t.Errorf("a withdrawn dossier reached the hub: %+v", page.Transfers)
		}
	})
	t.Run("pending: recalled", func(t *testing.T) {
		th := newHubDir(t)
		th.startInProcess()
		f := &flow{t: t, th: th,
			com: newOffice(t, communeCode, "UBND xã Tân Lập", th.URL(), th.keys[communeCode]),
			dep: newOffice(t, deptCode, "Sở Tư pháp", th.URL(), th.keys[deptCode])}
		f.transfer("Vũ Thị Hoa")
		eventually(t, wait, "the transfer to reach the department", func() bool { return len(f.dep.pendingIncoming()) == 1 })
		id := f.dep.pendingIncoming()[0].ID
		if _, err := f.com.svc.Withdraw(f.com.rec, f.d.Code, "Công dân rút hồ sơ"); err != nil {
			t.Fatal(err)
		}
		f.com.cl.Kick()
		eventually(t, wait, "the recall to reach the department", func() bool {
			in := f.dep.incoming(id)
			return in != nil && in.State == app.TransferRecalled
		})
		if p := f.dep.pendingIncoming(); len(p) != 0 {
			t.Errorf("the recalled transfer still waits: %+v", p)
		}
		var tr api.Transfer
		th.get(communeCode, "/v1/transfers/"+id, &tr)
		if tr.State != api.StateRecalled {
			t.Errorf("hub: %s", tr.State)
		}
		if cd := f.com.dossier(f.d.Code); cd.State != app.StateWithdrawn || cd.Transfers[0].State != app.TransferRecalled {
			t.Errorf("commune %s %+v", cd.State, cd.Transfers[0])
		}
	})
	t.Run("accepted: 7 closes the department's copy", func(t *testing.T) {
		f := accepted(t, "Hoàng Văn Nam")
		if _, err := f.com.svc.Withdraw(f.com.rec, f.d.Code, "Công dân nộp đơn rút hồ sơ"); err != nil {
			t.Fatal(err)
		}
		f.com.cl.Kick()
		eventually(t, wait, "the department's copy to close", func() bool { return f.dep.dossier(f.local).State == app.StateWithdrawn })
		f.later(30)
		if ov, open, _ := f.dep.queues(f.local); ov || open {
			t.Errorf("the withdrawn copy is still in a queue: overdue %v open %v", ov, open)
		}
		if ov, open, n := f.com.queues(f.d.Code); ov || open || n != 0 {
			t.Errorf("commune after the withdrawal: overdue %v open %v statistics %d", ov, open, n)
		}
		var tr api.Transfer
		f.th.get(communeCode, "/v1/transfers/"+f.id, &tr)
		if tr.LastStatus == nil || tr.LastStatus.StatusCode != api.StatusWithdrawn {
			t.Errorf("hub last status %+v", tr.LastStatus)
		}
	})
}

// calmed reports that no transfer call waits in the outbox (a test that
// moved the clock ahead leaves the daily digests of those days behind).
func (o *office) calmed() bool {
	for _, k := range []app.OutboxKind{app.OutboxTransfer, app.OutboxStatus, app.OutboxAck, app.OutboxRecall} {
		if o.pending(k) != 0 {
			return false
		}
	}
	return true
}

func containsAct(as []app.Action, a app.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}
