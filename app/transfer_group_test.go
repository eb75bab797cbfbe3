package app_test

import (
	"encoding/json"
	"testing"

	"motcua/app"
)

// A group procedure (issue 13.3): one leg at a time; after a leg's result the
// dossier is sent on with the same group id, carrying that result; a dossier
// resolved at this office (not by a transfer) or already returned is not.
func TestTransferSendOnAfterALegCompletes(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department, ToName: "Sở Tư pháp"}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	if ti.GroupID != d.Code {
		t.Errorf("group id %q, want the dossier code", ti.GroupID)
	}
	const id = "tr_leg1"
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}
	// While the leg is live: no transfer offered nor accepted.
	got := c.dossier(d.Code)
	if app.MaySendOn(got) || hasAction(app.DossierActions(got, c.rec, true), app.ActTransfer) {
		t.Error("a transfer is offered while one is live")
	}
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: "000.00.02.H56"}); err == nil {
		t.Error("a second transfer while the first is live")
	}
	c.mustApply(app.TransferEvent{ID: "e1", Type: app.EventAccepted, TransferID: id, Version: 2, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Ack: &app.TransferAck{Accepted: true, LocalCode: "X"}})
	c.mustApply(app.TransferEvent{ID: "e2", Type: app.EventStatusChanged, TransferID: id, Version: 3, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Status: &app.TransferStatus{Status: app.StatusResolved, Note: "Đã cấp",
			Actor: app.Actor{Name: "Trần Văn Sở"}, OccurredAt: c.clk.T,
			Results: []app.ResultFile{{Name: "Trích lục", Kind: "Trích lục", Number: "12/TL", SHA256: hexSum(pdfScan), Size: int64(len(pdfScan))}}}})
	got = c.dossier(d.Code)
	if got.State != app.StateResolved || !app.MaySendOn(got) || !hasAction(app.DossierActions(got, c.rec, true), app.ActTransfer) {
		t.Fatalf("after the leg's result: %s, send-on %v", got.State, app.MaySendOn(got))
	}
	if hasAction(app.DossierActions(got, c.rec, false), app.ActTransfer) {
		t.Error("send-on offered without the hub")
	}
	next, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: "000.00.02.H56", ToName: "Bảo hiểm xã hội tỉnh"})
	if err != nil {
		t.Fatal(err)
	}
	if next.State != app.StateTransferred || next.Result != nil || !next.FinishedAt.IsZero() || next.Outcome != app.OutcomeNone {
		t.Errorf("sent on: %s result %+v finished %v outcome %q", next.State, next.Result, next.FinishedAt, next.Outcome)
	}
	if n := len(next.Documents); n != 2 || next.Documents[1].SHA256 != hexSum(pdfScan) || next.Documents[1].Name != "Trích lục" {
		t.Errorf("the previous result is not among the documents: %+v", next.Documents)
	}
	c.take(app.OutboxTransfer, &ti)
	if ti.GroupID != d.Code || len(ti.Dossier.Documents) != 2 || ti.Dossier.State != app.StateTransferred {
		t.Errorf("second leg intent: group %q, %d documents", ti.GroupID, len(ti.Dossier.Documents))
	}
	if len(next.Transfers) != 2 || next.Transfers[1].GroupID != d.Code {
		t.Errorf("transfers %+v", next.Transfers)
	}
	if h := next.History[len(next.History)-1]; h.Action != app.ActTransfer || h.Note == "" || h.Note[:len("Chuyển tiếp")] != "Chuyển tiếp" {
		t.Errorf("history %+v", h)
	}
	// Leg 2 accepted, then the citizen withdraws: 7 goes to the live leg
	// only (the hub takes no status on the completed one).
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, "tr_leg2", 1) }); err != nil {
		t.Fatal(err)
	}
	c.mustApply(app.TransferEvent{ID: "e3", Type: app.EventAccepted, TransferID: "tr_leg2", Version: 2, DossierCode: d.Code,
		FromAgency: commune, ToAgency: "000.00.02.H56", Ack: &app.TransferAck{Accepted: true, LocalCode: "Y"}})
	if _, err := c.svc.Withdraw(c.rec, d.Code, "Công dân rút hồ sơ"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range c.outbox() {
		if it.Kind == app.OutboxStatus {
			var si app.StatusIntent
			if err := json.Unmarshal(it.Payload, &si); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, si.TransferID)
		}
	}
	if len(ids) != 1 || ids[0] != "tr_leg2" {
		t.Errorf("status 7 queued for %v, want the live leg only", ids)
	}

	// Resolved here, without a transfer: nothing to send on.
	o := newAgencyOffice(t, "000.00.32.H56", "UBND xã Đông Tiến")
	d2 := o.receive()
	must := func(_ *app.Dossier, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(o.svc.Handover(o.rec, d2.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	must(o.svc.SubmitForApproval(o.spec, d2.Code, "x"))
	must(o.svc.Approve(o.lead, d2.Code, ""))
	must(o.svc.RecordResult(o.spec, d2.Code, app.ResultInput{Kind: "Giấy xác nhận", Number: "1", Date: "2025-04-28", Signer: "A"}))
	r := o.dossier(d2.Code)
	if app.MaySendOn(r) || hasAction(app.DossierActions(r, o.rec, true), app.ActTransfer) {
		t.Error("send-on offered for a dossier resolved at this office")
	}
	if _, err := o.svc.Transfer(o.rec, d2.Code, app.TransferInput{ToAgency: department}); !app.Is(err, app.KindConflict) {
		t.Errorf("send-on of a locally resolved dossier: %v", err)
	}
}

func hasAction(acts []app.Action, a app.Action) bool {
	for _, x := range acts {
		if x == a {
			return true
		}
	}
	return false
}
