package app_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/app"
)

// Liên thông that closes the loop (issue 13): two offices on real bbolt
// files in one process, the hub played by hand (versions numbered as it
// would), every status the recipient sets checked at the sender, and the
// sender's 4 (fees), 7 and 10 at the recipient.

type loop struct {
	t      *testing.T
	c, dep *agencyOffice
	h      *hubSim
	d      *app.Dossier // the commune's dossier
	local  string       // the department's copy
	id     string       // the hub's id of the transfer
	n      int
}

// newLoop transfers a dossier from the commune to the department and has
// the department accept it (handed over to its specialist: status 4).
func newLoop(t *testing.T) *loop {
	l := &loop{t: t, c: newAgencyOffice(t, commune, "UBND xã Tân Lập"), dep: newAgencyOffice(t, department, "Sở Tư pháp"),
		h: &hubSim{t: t, version: map[string]int{}}, id: "tr_1"}
	l.d = l.c.receive()
	if _, err := l.c.svc.Transfer(l.c.rec, l.d.Code, app.TransferInput{ToAgency: department, ToName: "Sở Tư pháp", Attachments: attachments()}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	l.c.take(app.OutboxTransfer, &ti)
	l.sent(ti, l.id)
	l.dep.mustApply(app.TransferEvent{ID: "ev-recv", Type: app.EventReceived, TransferID: l.id, Version: 1, DossierCode: l.d.Code,
		FromAgency: commune, ToAgency: department, OccurredAt: l.c.clk.T,
		Transfer: &app.TransferSnapshot{ID: l.id, Purpose: ti.Purpose, FromAgency: commune, ToAgency: department,
			State: app.TransferPending, Version: 1, Dossier: ti.Dossier}})
	local, err := l.dep.svc.AcceptIncoming(l.dep.rec, l.id)
	if err != nil {
		t.Fatal(err)
	}
	l.local = local.Code
	l.ack(l.dep, l.id)
	l.must(l.dep.svc.Handover(l.dep.rec, l.local, app.HandoverInput{ToUser: "chuyenvien"}))
	l.relay(l.dep, l.c)
	if got := l.c.dossier(l.d.Code); got.State != app.StateTransferred || got.Transfers[0].State != app.TransferAccepted {
		t.Fatalf("set-up: commune %s, ref %+v", got.State, got.Transfers[0])
	}
	return l
}

func (l *loop) must(_ *app.Dossier, err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

// sent records the hub's 201 for a transfer intent of the commune.
func (l *loop) sent(ti app.TransferIntent, id string) {
	l.t.Helper()
	l.h.version[id] = 1
	if err := l.c.db.Update(func(tx app.Tx) error { return l.c.svc.TransferSent(tx, l.d.Code, ti.LocalRef, id, 1) }); err != nil {
		l.t.Fatal(err)
	}
}

// pop removes the first outbox item of kind (others may precede it).
func pop(o *agencyOffice, kind app.OutboxKind, payload any) (app.OutboxItem, bool) {
	o.t.Helper()
	for _, it := range o.outbox() {
		if it.Kind != kind {
			continue
		}
		if err := json.Unmarshal(it.Payload, payload); err != nil {
			o.t.Fatal(err)
		}
		if err := o.db.Update(func(tx app.Tx) error { return tx.DeleteOutboxItem(it.ID) }); err != nil {
			o.t.Fatal(err)
		}
		return it, true
	}
	return app.OutboxItem{}, false
}

// ack sends the department's acknowledgement of transfer id and delivers
// the accepted event to the commune.
func (l *loop) ack(dep *agencyOffice, id string) {
	l.t.Helper()
	var a app.AckIntent
	it, ok := pop(dep, app.OutboxAck, &a)
	if !ok || a.TransferID != id || !a.Accepted {
		l.t.Fatalf("no ack of %s queued: %+v", id, a)
	}
	v := l.h.version[id] + 1
	l.h.version[id] = v
	if err := dep.db.Update(func(tx app.Tx) error { return dep.svc.CallSent(tx, it.Queue, id, v) }); err != nil {
		l.t.Fatal(err)
	}
	l.c.mustApply(app.TransferEvent{ID: fmt.Sprintf("ev-ack-%s", id), Type: app.EventAccepted, TransferID: id, Version: v,
		DossierCode: l.d.Code, FromAgency: commune, ToAgency: department, OccurredAt: dep.clk.T,
		Ack: &app.TransferAck{Accepted: true, LocalCode: a.LocalCode}})
}

// relay takes the first status call queued at `from` and delivers it to
// `to` as the hub's status_changed event.
func (l *loop) relay(from, to *agencyOffice) app.StatusIntent {
	l.t.Helper()
	var si app.StatusIntent
	it, ok := pop(from, app.OutboxStatus, &si)
	if !ok {
		l.t.Fatalf("%s: no status call queued", from.code)
	}
	v := l.h.version[si.TransferID] + 1
	l.h.version[si.TransferID] = v
	if err := from.db.Update(func(tx app.Tx) error { return from.svc.CallSent(tx, it.Queue, si.TransferID, v) }); err != nil {
		l.t.Fatal(err)
	}
	l.n++
	to.mustApply(app.TransferEvent{ID: fmt.Sprintf("ev-st-%d", l.n), Type: app.EventStatusChanged, TransferID: si.TransferID,
		Version: v, DossierCode: l.d.Code, FromAgency: commune, ToAgency: department, Status: &si.TransferStatus, OccurredAt: si.OccurredAt})
	return si
}

func inQueue(t *testing.T, items []app.DossierSummary, code string) bool {
	t.Helper()
	for _, it := range items {
		if it.Code == code {
			return true
		}
	}
	return false
}

func lastNote(d *app.Dossier) string { return d.History[len(d.History)-1].Note }

// openOverdue is the report's "open at the end, overdue" of the month of at.
func openOverdue(t *testing.T, o *agencyOffice, at time.Time) (within, overdue int) {
	t.Helper()
	rep, err := o.svc.Statistics(at.AddDate(0, 0, -20), at.AddDate(0, 0, 1), app.ByProcedure)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Total.OpenWithin, rep.Total.OpenOverdue
}

func TestLoopSupplementJoinsTheSameDossier(t *testing.T) {
	l := newLoop(t)
	c, dep := l.c, l.dep
	dueBefore := c.dossier(l.d.Code).DueAt
	l.must(dep.svc.RequestSupplement(dep.spec, l.local, app.SupplementInput{Items: []string{"Trích lục bản án ly hôn", "Bản sao sổ hộ khẩu"}, Reason: "Cần xác minh"}))
	si := l.relay(dep, c)
	if si.Supplement == nil || si.Supplement.Deadline.IsZero() {
		t.Fatalf("status 5 without the request: %+v", si)
	}

	// At the sender: a supplement round like a local one, tied to the transfer.
	got := c.dossier(l.d.Code)
	if got.State != app.StateSupplement || got.Status != app.StatusSupplement || len(got.Supplements) != 1 {
		t.Fatalf("commune after 5: %s, %d rounds", got.State, len(got.Supplements))
	}
	r := got.Supplements[0]
	if r.TransferID != l.id || strings.Join(r.Items, "|") != "Trích lục bản án ly hôn|Bản sao sổ hộ khẩu" || r.Reason != "Cần xác minh" ||
		r.Deadline.IsZero() || !r.PrevDue.Equal(dueBefore) || r.RequestedBy.FullName != "Trần Đức Thắng" {
		t.Errorf("round %+v", r)
	}
	if !strings.Contains(lastNote(got), "mẫu 02") || got.History[len(got.History)-1].Action != app.ActTransferSupplement {
		t.Errorf("history %q", lastNote(got))
	}
	if h := app.LoopHint(got); !strings.Contains(h, "mẫu 02") || !strings.Contains(h, "Sở Tư pháp") {
		t.Errorf("hint %q", h)
	}
	// Counter officer may receive it; nobody may process it locally.
	if containsAction(app.DossierActions(got, c.lead, true), app.ActStop) {
		t.Error("the sender's leader may stop a dossier the receiving agency is handling")
	}
	acts := app.DossierActions(got, c.rec, true)
	if len(acts) == 0 || !containsAction(acts, app.ActReceiveSupplement) || containsAction(acts, app.ActRecall) {
		t.Errorf("actions at the counter %v", acts)
	}

	// The clock is fair: long past the appointment, it is in no overdue
	// queue nor overdue count, at either side.
	late := dueBefore.AddDate(0, 0, 10)
	c.clk.T, dep.clk.T = late, late
	for _, o := range []*agencyOffice{c, dep} {
		code := l.d.Code
		if o == dep {
			code = l.local
		}
		q, err := o.svc.Overdue(100)
		if err != nil {
			t.Fatal(err)
		}
		if inQueue(t, q, code) {
			t.Errorf("%s: a dossier waiting for the citizen is in the overdue queue", o.code)
		}
	}
	if _, ov := openOverdue(t, c, late); ov != 0 {
		t.Errorf("commune counts %d overdue while waiting for the citizen", ov)
	}

	// The citizen brings the papers to the commune, with a scan.
	scan, err := app.NewScanFile("trich-luc.pdf", []byte("%PDF-1.4 trích lục bản án ly hôn"))
	if err != nil {
		t.Fatal(err)
	}
	scanSHA := scan.Document().SHA256
	got, err = c.svc.ReceiveSupplementWith(c.rec, l.d.Code, app.SupplementReceipt{Note: "Công dân đã nộp đủ",
		Papers: []app.SupplementPaper{{Name: "Trích lục bản án ly hôn", Copies: 1, Scan: &scan}, {Name: "Bản sao sổ hộ khẩu", Copies: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != app.StateTransferred || got.Supplements[0].ReceivedAt.IsZero() || got.DueAt.Equal(dueBefore) {
		t.Fatalf("commune after the papers: %s round %+v due %v", got.State, got.Supplements[0], got.DueAt)
	}
	var ti app.TransferIntent
	if _, ok := pop(c, app.OutboxTransfer, &ti); !ok {
		t.Fatal("the papers were not queued for the department")
	}
	if ti.Purpose != app.PurposeSupplement || ti.Follows != l.id || ti.ToAgency != department || len(ti.Dossier.Documents) != 2 ||
		ti.Dossier.Documents[0].SHA256 != scanSHA {
		t.Fatalf("supplement intent %+v", ti)
	}
	ref := got.Transfers[len(got.Transfers)-1]
	if ref.Purpose != app.PurposeSupplement || ref.Follows != l.id || len(got.Legs) != 1+countLegs(l.d) {
		t.Errorf("supplement ref %+v, %d legs", ref, len(got.Legs))
	}
	l.sent(ti, "tr_2")

	// At the department it joins the same dossier and closes its round.
	before := dossierCount(t, dep)
	dep.mustApply(app.TransferEvent{ID: "ev-recv-2", Type: app.EventReceived, TransferID: "tr_2", Version: 1, DossierCode: l.d.Code,
		FromAgency: commune, ToAgency: department, OccurredAt: late,
		Transfer: &app.TransferSnapshot{ID: "tr_2", Purpose: app.PurposeSupplement, Follows: l.id, FromAgency: commune,
			ToAgency: department, State: app.TransferPending, Version: 1, Dossier: ti.Dossier}})
	if n := dossierCount(t, dep); n != before {
		t.Errorf("the supplement made a new dossier at the department (%d → %d)", before, n)
	}
	ld := dep.dossier(l.local)
	if ld.State != app.StateProcessing || ld.Supplements[0].ReceivedAt.IsZero() || ld.Supplements[0].NewDue.IsZero() ||
		!hasDoc(ld, "Trích lục bản án ly hôn", scanSHA) {
		t.Fatalf("department after the papers: %s round %+v docs %+v", ld.State, ld.Supplements[0], ld.Documents)
	}
	if p, _ := dep.svc.Incoming(true); len(p) != 0 {
		t.Errorf("the supplement waits in the incoming list: %+v", p)
	}
	if in := incoming(t, dep, "tr_2"); in.State != app.TransferAccepted || in.LocalCode != l.local {
		t.Errorf("incoming supplement %+v", in)
	}
	l.ack(dep, "tr_2")
	si = l.relay(dep, c) // 4: processing again
	if si.Status != app.StatusProcessing {
		t.Errorf("after the papers the department reported %d", si.Status)
	}
	got = c.dossier(l.d.Code)
	if got.State != app.StateTransferred || findTransfer(got, "tr_2").State != app.TransferAccepted {
		t.Errorf("commune at the end: %s, %+v", got.State, findTransfer(got, "tr_2"))
	}

	// A second round goes through the same way.
	l.must(dep.svc.RequestSupplement(dep.spec, l.local, app.SupplementInput{Items: []string{"Ảnh 4x6"}, Reason: "Thiếu ảnh"}))
	l.relay(dep, c)
	if got := c.dossier(l.d.Code); got.State != app.StateSupplement || len(got.Supplements) != 2 || got.Supplements[1].TransferID != l.id {
		t.Fatalf("second round at the commune: %s %+v", got.State, got.Supplements)
	}
	// Scans chosen in the order of the items: the first is the photo's, the
	// extra one is a paper of its own.
	photo, _ := app.NewScanFile("anh.pdf", []byte("%PDF-1.4 ảnh 4x6"))
	extra, _ := app.NewScanFile("Phụ lục.pdf", []byte("%PDF-1.4 phụ lục"))
	l.must(c.svc.ReceiveSupplementWith(c.rec, l.d.Code, app.SupplementReceipt{Scans: []app.ScanFile{photo, extra}}))
	if _, ok := pop(c, app.OutboxTransfer, &ti); !ok || ti.Follows != l.id || len(ti.Dossier.Documents) != 2 ||
		ti.Dossier.Documents[0].Name != "Ảnh 4x6" || ti.Dossier.Documents[0].SHA256 != photo.Document().SHA256 ||
		ti.Dossier.Documents[1].Name != "Phụ lục" || ti.Dossier.Documents[1].SHA256 != extra.Document().SHA256 {
		t.Fatalf("second supplement intent %+v", ti.Dossier.Documents)
	}
	for _, d := range []*app.Dossier{c.dossier(l.d.Code), dep.dossier(l.local)} {
		if app.VerifyHistory(d.Code, d.History) != nil {
			t.Errorf("%s: history chain broken", d.Code)
		}
	}
}

func TestLoopPaymentRequestedAndPaidAtTheSender(t *testing.T) {
	l := newLoop(t)
	c, dep := l.c, l.dep
	l.must(dep.svc.RequestPayment(dep.spec, l.local, []app.Fee{{Name: "Lệ phí xác minh", Amount: 200000}}))
	l.relay(dep, c)
	got := c.dossier(l.d.Code)
	if got.State != app.StatePayment || got.Payment == nil || got.Payment.TransferID != l.id || !strings.Contains(got.Payment.Note, "200.000 đồng") {
		t.Fatalf("commune after 6: %s %+v", got.State, got.Payment)
	}
	if h := app.LoopHint(got); !strings.Contains(h, "Ghi nhận đã nộp phí") {
		t.Errorf("hint %q", h)
	}
	if !containsAction(app.DossierActions(got, c.rec, true), app.ActRecordPayment) {
		t.Errorf("no 'Ghi nhận đã nộp phí' at the counter: %v", app.DossierActions(got, c.rec, true))
	}
	late := got.DueAt.AddDate(0, 0, 10)
	c.clk.T, dep.clk.T = late, late
	for _, o := range []*agencyOffice{c, dep} {
		q, _ := o.svc.Overdue(100)
		if len(q) != 0 {
			t.Errorf("%s: waiting for fees is overdue: %+v", o.code, q)
		}
	}
	at := dep.clk.T
	if rep, err := dep.svc.Statistics(at.AddDate(0, 0, -20), at.AddDate(0, 0, 1), app.ByField); err != nil ||
		rep.InterAgency != (app.InterAgencyTasks{Received: 1, Open: 1}) || rep.Total.Open() != 0 {
		t.Errorf("department statistics while the task is open: %+v (%v)", rep.InterAgency, err)
	}
	got, err := c.svc.RecordPayment(c.rec, l.d.Code, "BL-0042")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != app.StateTransferred || got.Payment.PaidAt.IsZero() || got.Payment.ReceiptNo != "BL-0042" {
		t.Fatalf("commune after paying: %s %+v", got.State, got.Payment)
	}
	si := l.relay(c, dep)
	if si.Role != app.RoleSender || si.Status != app.StatusProcessing || !strings.Contains(si.Note, "BL-0042") {
		t.Errorf("payment report %+v", si)
	}
	ld := dep.dossier(l.local)
	if ld.State != app.StateProcessing || ld.Payment.PaidAt.IsZero() || len(ld.Fees) == 0 || !ld.Fees[len(ld.Fees)-1].Paid {
		t.Fatalf("department after the payment: %s %+v fees %+v", ld.State, ld.Payment, ld.Fees)
	}
	if ld.History[len(ld.History)-1].Action != app.ActTransferJoin {
		t.Errorf("department history ends with %s", ld.History[len(ld.History)-1].Action)
	}
}

func TestLoopStopEndsTheSendersDossier(t *testing.T) {
	l := newLoop(t)
	c, dep := l.c, l.dep
	l.must(dep.svc.Stop(dep.lead, l.local, "Người yêu cầu không đủ điều kiện theo Điều 22", "Điều 22 Nghị định 123/2015/NĐ-CP"))
	l.relay(dep, c)
	got := c.dossier(l.d.Code)
	if got.StopLegal != "Điều 22 Nghị định 123/2015/NĐ-CP" || got.StopReason != "Người yêu cầu không đủ điều kiện theo Điều 22" {
		t.Errorf("stop reason %q legal %q", got.StopReason, got.StopLegal)
	}
	if got.State != app.StateStopped || got.Status != app.StatusStopped || !strings.Contains(got.StopReason, "Điều 22") ||
		got.FinishedAt.IsZero() || !strings.Contains(lastNote(got), "mẫu 05") {
		t.Fatalf("commune after 8: %s %q %q", got.State, got.StopReason, lastNote(got))
	}
	if l := got.Legs[len(got.Legs)-1]; l.FinishedAt.IsZero() {
		t.Errorf("transfer leg still open: %+v", l)
	}
	c.clk.T = got.DueAt.AddDate(0, 0, 10)
	if q, _ := c.svc.Overdue(100); inQueue(t, q, l.d.Code) {
		t.Error("a stopped dossier is overdue")
	}
	p, err := c.svc.List(app.Query{OpenOnly: true})
	if err != nil || inQueue(t, p.Items, l.d.Code) {
		t.Errorf("a stopped dossier is still open: %v", err)
	}
	// The department counts the dossier as an inter-agency task, not as a
	// dossier it received (§3.6); the commune counts it once, as stopped.
	at := dep.clk.T
	rep, err := dep.svc.Statistics(at.AddDate(0, 0, -5), at.AddDate(0, 0, 1), app.ByField)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Received() != 0 || rep.Total.Stopped != 0 || rep.InterAgency != (app.InterAgencyTasks{Received: 1}) {
		t.Errorf("department statistics: received %d stopped %d inter-agency %+v", rep.Total.Received(), rep.Total.Stopped, rep.InterAgency)
	}
	rep, err = c.svc.Statistics(at.AddDate(0, 0, -5), at.AddDate(0, 0, 1), app.ByField)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Received() != 1 || rep.Total.Stopped != 1 || rep.InterAgency.Any() {
		t.Errorf("commune statistics: received %d stopped %d inter-agency %+v", rep.Total.Received(), rep.Total.Stopped, rep.InterAgency)
	}
}

func TestLoopDelayMovesTheCitizensAppointment(t *testing.T) {
	l := newLoop(t)
	c, dep := l.c, l.dep
	orig := c.dossier(l.d.Code)
	newDue := time.Date(2025, 5, 12, 16, 0, 0, 0, app.Vietnam) // a Monday
	l.must(dep.svc.Delay(dep.spec, l.local, "Chờ kết quả xác minh của Công an tỉnh", newDue))
	si := l.relay(dep, c)
	if !si.NewDueAt.Equal(newDue) {
		t.Fatalf("delay sent %+v", si)
	}
	got := c.dossier(l.d.Code)
	if !got.DueAt.Equal(newDue) || !got.StatsDue.Equal(orig.StatsDue) || len(got.Delays) != 1 || got.State != app.StateTransferred {
		t.Fatalf("commune after the delay: due %v stats %v delays %+v", got.DueAt, got.StatsDue, got.Delays)
	}
	if dl := got.Delays[0]; !dl.PrevDue.Equal(orig.DueAt) || dl.Reason != "Chờ kết quả xác minh của Công an tỉnh" || !strings.Contains(lastNote(got), "mẫu 04") {
		t.Errorf("delay %+v, note %q", dl, lastNote(got))
	}
	// Statistics keep the original date: between the two dates it is overdue.
	mid := orig.StatsDue.AddDate(0, 0, 2)
	c.clk.T = mid
	if _, ov := openOverdue(t, c, mid); ov != 1 {
		t.Errorf("statistics after the original date: %d overdue, want 1", ov)
	}
}

func TestLoopWithdrawal(t *testing.T) {
	t.Run("queued: the outbox item is dropped", func(t *testing.T) {
		c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
		d := c.receive()
		if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
			t.Fatal(err)
		}
		got, err := c.svc.Withdraw(c.rec, d.Code, "Đơn rút hồ sơ ngày 28/4")
		if err != nil {
			t.Fatal(err)
		}
		if n := len(c.outbox()); n != 0 {
			t.Errorf("%d items left in the outbox", n)
		}
		if got.State != app.StateWithdrawn || got.Transfers[0].State != app.TransferRecalled || got.Legs[len(got.Legs)-1].FinishedAt.IsZero() {
			t.Errorf("after withdrawal %s %+v", got.State, got.Transfers[0])
		}
	})
	t.Run("on the wire: recalled when the answer arrives", func(t *testing.T) {
		c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
		d := c.receive()
		if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
			t.Fatal(err)
		}
		var ti app.TransferIntent
		if err := json.Unmarshal(c.outbox()[0].Payload, &ti); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.Withdraw(c.rec, d.Code, "Rút"); err != nil {
			t.Fatal(err)
		}
		if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, "tr_7", 1) }); err != nil {
			t.Fatal(err)
		}
		var ri app.RecallIntent
		if _, ok := pop(c, app.OutboxRecall, &ri); !ok || ri.TransferID != "tr_7" {
			t.Fatalf("no recall of the transfer the hub took: %+v", ri)
		}
	})
	t.Run("pending: recalled", func(t *testing.T) {
		c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
		d := c.receive()
		if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
			t.Fatal(err)
		}
		var ti app.TransferIntent
		c.take(app.OutboxTransfer, &ti)
		if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, "tr_8", 1) }); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.Withdraw(c.rec, d.Code, "Rút"); err != nil {
			t.Fatal(err)
		}
		var ri app.RecallIntent
		if _, ok := pop(c, app.OutboxRecall, &ri); !ok || ri.TransferID != "tr_8" {
			t.Fatalf("recall %+v", ri)
		}
		// The recipient sees the recall: the transfer leaves its list.
		dep := newAgencyOffice(t, department, "Sở Tư pháp")
		dep.mustApply(app.TransferEvent{ID: "r1", Type: app.EventReceived, TransferID: "tr_8", Version: 1, DossierCode: d.Code,
			FromAgency: commune, ToAgency: department, Transfer: &app.TransferSnapshot{ID: "tr_8", Purpose: app.PurposeProcess,
				FromAgency: commune, ToAgency: department, State: app.TransferPending, Version: 1, Dossier: ti.Dossier}})
		dep.mustApply(app.TransferEvent{ID: "r2", Type: app.EventRecalled, TransferID: "tr_8", Version: 2, DossierCode: d.Code,
			FromAgency: commune, ToAgency: department, Recall: &app.TransferRecall{Reason: ri.Reason}})
		if p, _ := dep.svc.Incoming(true); len(p) != 0 {
			t.Errorf("recalled transfer still waits: %+v", p)
		}
	})
	t.Run("accepted: 7 closes the recipient's copy", func(t *testing.T) {
		l := newLoop(t)
		got, err := l.c.svc.Withdraw(l.c.rec, l.d.Code, "Công dân nộp đơn rút hồ sơ")
		if err != nil {
			t.Fatal(err)
		}
		if got.State != app.StateWithdrawn {
			t.Fatalf("commune %s", got.State)
		}
		si := l.relay(l.c, l.dep)
		if si.Status != app.StatusWithdrawn || si.Role != app.RoleSender {
			t.Fatalf("withdrawal report %+v", si)
		}
		ld := l.dep.dossier(l.local)
		if ld.State != app.StateWithdrawn || ld.WithdrawNote != "Công dân nộp đơn rút hồ sơ" || ld.FinishedAt.IsZero() {
			t.Fatalf("department copy %s %q", ld.State, ld.WithdrawNote)
		}
		l.dep.clk.T = ld.DueAt.AddDate(0, 0, 10)
		q, _ := l.dep.svc.Overdue(100)
		p, _ := l.dep.svc.List(app.Query{OpenOnly: true})
		if inQueue(t, q, l.local) || inQueue(t, p.Items, l.local) {
			t.Error("the withdrawn copy is still in a queue")
		}
		if in := incoming(t, l.dep, l.id); in.State != app.TransferCompleted {
			t.Errorf("incoming %s", in.State)
		}
	})
}

func containsAction(as []app.Action, a app.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func countLegs(d *app.Dossier) int { return len(d.Legs) }

func dossierCount(t *testing.T, o *agencyOffice) int {
	t.Helper()
	p, err := o.svc.List(app.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items)
}

func hasDoc(d *app.Dossier, name, sha string) bool {
	for _, x := range d.Documents {
		if x.Name == name && x.SHA256 == sha {
			return true
		}
	}
	return false
}

func incoming(t *testing.T, o *agencyOffice, id string) *app.IncomingTransfer {
	t.Helper()
	var in *app.IncomingTransfer
	if err := o.db.View(func(tx app.Tx) (err error) { in, err = tx.Incoming(id); return }); err != nil {
		t.Fatal(err)
	}
	return in
}

func findTransfer(d *app.Dossier, id string) app.TransferRef {
	for _, t := range d.Transfers {
		if t.ID == id {
			return t
		}
	}
	return app.TransferRef{}
}

// The recipient accepts while the sender's recall is on its way: the recall
// is dropped and 7 is reported instead, closing the recipient's copy.
func TestLoopWithdrawnThenAccepted(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, "tr_9", 1) }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.svc.Withdraw(c.rec, d.Code, "Rút hồ sơ"); err != nil {
		t.Fatal(err)
	}
	c.mustApply(app.TransferEvent{ID: "a1", Type: app.EventAccepted, TransferID: "tr_9", Version: 2, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Ack: &app.TransferAck{Accepted: true, LocalCode: "X"}})
	var ri app.RecallIntent
	if _, ok := pop(c, app.OutboxRecall, &ri); ok {
		t.Error("the recall the hub would refuse is still queued")
	}
	var si app.StatusIntent
	if _, ok := pop(c, app.OutboxStatus, &si); !ok || si.Status != app.StatusWithdrawn || si.TransferID != "tr_9" || si.Note != "Rút hồ sơ" {
		t.Fatalf("no 7 reported: %+v", si)
	}
	if got := c.dossier(d.Code); got.State != app.StateWithdrawn {
		t.Errorf("commune %s", got.State)
	}
}

// A supplement (or result) always follows the transfer it belongs to: the
// sender cannot send one before a transfer was accepted, and the recipient
// never makes a new dossier of one.
func TestLoopSupplementAlwaysFollows(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	d := c.receive()
	_, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department, Purpose: app.PurposeSupplement})
	var e *app.Error
	if !errors.As(err, &e) || e.ID != app.MsgTransferInvalid || len(e.Fields) != 1 || e.Fields[0].ID != app.MsgTransferNoFollow {
		t.Fatalf("a supplement following nothing: %v", err)
	}
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department, Purpose: app.PurposeResult}); err == nil {
		t.Fatal("a result following nothing was queued")
	}

	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	dep.mustApply(app.TransferEvent{ID: "s1", Type: app.EventReceived, TransferID: "tr_s", Version: 1, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Transfer: &app.TransferSnapshot{ID: "tr_s", Purpose: app.PurposeSupplement,
			Follows: "tr_unknown", FromAgency: commune, ToAgency: department, State: app.TransferPending, Version: 1, Dossier: *d}})
	if p, _ := dep.svc.Incoming(true); len(p) != 1 {
		t.Fatalf("an unattached supplement should wait for a person: %+v", p)
	}
	if _, err := dep.svc.AcceptIncoming(dep.rec, "tr_s"); app.IDOf(err) != app.MsgIncomingNoFollowed {
		t.Fatalf("accepting a supplement of no dossier here: %v", err)
	}
	if n := dossierCount(t, dep); n != 0 {
		t.Errorf("%d dossiers made of a supplement", n)
	}
}
