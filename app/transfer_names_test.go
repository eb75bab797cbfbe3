package app_test

import (
	"strings"
	"testing"
	"time"

	"motcua/app"
)

// Each side sees the other properly (issue 13.5): the recipient's list names
// the sender agency and carries its note, the sender's code finds the local
// dossier, and history entries from the other agency name the official who
// acted (name, title, agency) at the time they acted.
func TestTransferNamesNoteSearchAndActor(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department, ToName: "Sở Tư pháp",
		Note: "Hồ sơ ưu tiên, người dân cần gấp"}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	const id = "tr_names"
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}

	// The recipient: the client names the sender from the hub's directory;
	// the note travels as the wire dossier's note.
	snap := &app.TransferSnapshot{ID: id, Purpose: ti.Purpose, FromAgency: commune, ToAgency: department, State: app.TransferPending,
		Version: 1, Dossier: ti.Dossier, Note: ti.Note}
	dep.mustApply(app.TransferEvent{ID: "ev-1", Type: app.EventReceived, TransferID: id, Version: 1, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Transfer: snap, OccurredAt: c.clk.T, FromName: "UBND xã Tân Lập"})
	pend, err := dep.svc.Incoming(true)
	if err != nil || len(pend) != 1 {
		t.Fatalf("incoming %+v %v", pend, err)
	}
	if pend[0].FromName != "UBND xã Tân Lập" || pend[0].Note != "Hồ sơ ưu tiên, người dân cần gấp" {
		t.Errorf("incoming from %q note %q", pend[0].FromName, pend[0].Note)
	}
	dep.clk.T = dep.clk.T.Add(time.Hour)
	local, err := dep.svc.AcceptIncoming(dep.rec, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(local.History[0].Note, "UBND xã Tân Lập") {
		t.Errorf("acceptance note %q does not name the sender", local.History[0].Note)
	}

	// The sender's code (on the citizen's receipt) finds the local dossier,
	// whole or by its beginning; the local code still finds it too.
	for _, text := range []string{d.Code, strings.ToLower(d.Code), d.Code[:len(d.Code)-2], local.Code} {
		p, err := dep.svc.List(app.Query{Text: text, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Code != local.Code {
			t.Errorf("search %q at the recipient: %+v, want %s", text, p.Items, local.Code)
		}
	}
	// A filter that excludes it still applies.
	if p, err := dep.svc.List(app.Query{Text: d.Code, States: []app.State{app.StateResolved}, Limit: 20}); err != nil || len(p.Items) != 0 {
		t.Errorf("search with a state filter: %+v %v", p.Items, err)
	}
	// Unrelated code text finds nothing.
	if p, err := dep.svc.List(app.Query{Text: "000.00.99.H56-250428", Limit: 20}); err != nil || len(p.Items) != 0 {
		t.Errorf("unrelated code: %+v %v", p.Items, err)
	}

	// The department's specialist acted at 10:15; the commune hears of it
	// at 14:00 (it was offline): the history says who and when they acted.
	acted := time.Date(2025, 4, 28, 10, 15, 0, 0, app.Vietnam)
	c.clk.T = time.Date(2025, 4, 28, 14, 0, 0, 0, app.Vietnam)
	c.mustApply(app.TransferEvent{ID: "ev-2", Type: app.EventAccepted, TransferID: id, Version: 2, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Ack: &app.TransferAck{Accepted: true, LocalCode: local.Code, At: acted.Add(-time.Hour)},
		OccurredAt: acted.Add(-time.Hour)})
	c.mustApply(app.TransferEvent{ID: "ev-3", Type: app.EventStatusChanged, TransferID: id, Version: 3, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, OccurredAt: acted.Add(time.Minute),
		Status: &app.TransferStatus{Status: app.StatusProcessing, Note: "Đang thẩm định",
			Actor: app.Actor{Name: "Trần Đức Thắng", Title: "Chuyên viên", Unit: "Phòng Hành chính tư pháp"}, OccurredAt: acted}})
	got := c.dossier(d.Code)
	h := got.History[len(got.History)-1]
	if !h.ActedAt.Equal(acted) || !h.At.Equal(c.clk.T) || !h.When().Equal(acted) {
		t.Errorf("status entry at %v acted %v, want acted %v recorded %v", h.At, h.ActedAt, acted, c.clk.T)
	}
	if h.User.Agency != "Sở Tư pháp" || h.ActorText() != "Trần Đức Thắng, Chuyên viên (Sở Tư pháp)" {
		t.Errorf("status entry by %+v: %q", h.User, h.ActorText())
	}
	acc := got.History[len(got.History)-2]
	if !acc.ActedAt.Equal(acted.Add(-time.Hour)) || acc.User.Agency != "Sở Tư pháp" || acc.ActorText() != "Sở Tư pháp" {
		t.Errorf("acceptance entry by %q: %+v", acc.ActorText(), acc)
	}
	// This office's own entries carry no agency and no acted time.
	if own := got.History[0]; !own.ActedAt.IsZero() || own.User.Agency != "" || own.ActorText() != c.rec.FullName {
		t.Errorf("own entry %+v", own)
	}
	if err := app.VerifyHistory(got.Code, got.History); err != nil {
		t.Errorf("history chain: %v", err)
	}
	// The commune's return reaches the department: its entry names the
	// commune's official and agency.
	c.clk.T = c.clk.T.Add(time.Hour)
	for v := 2; v <= 3; v++ { // the acknowledgement and the status call were answered
		if err := dep.db.Update(func(tx app.Tx) error { return dep.svc.CallSent(tx, local.Code, id, v) }); err != nil {
			t.Fatal(err)
		}
	}
	dep.mustApply(app.TransferEvent{ID: "ev-4", Type: app.EventStatusChanged, TransferID: id, Version: 4, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, OccurredAt: c.clk.T,
		Status: &app.TransferStatus{Status: app.StatusProcessing, Note: "Người dân hỏi tiến độ",
			Actor: app.Actor{Name: "Nguyễn Thị Hằng", Title: "Công chức"}, OccurredAt: c.clk.T}})
	ld := dep.dossier(local.Code)
	if e := ld.History[len(ld.History)-1]; e.ActorText() != "Nguyễn Thị Hằng, Công chức (UBND xã Tân Lập)" || !e.ActedAt.Equal(c.clk.T) {
		t.Errorf("recipient's entry from the sender: %q at %v", e.ActorText(), e.ActedAt)
	}
}

// The sender's code finds the dossier taken in here, on either store (it is
// also run by TestUseCasesOnPostgres).
func TestSenderCodeFindsTheDossierTakenIn(t *testing.T) {
	o := newOffice(t) // 000.00.01.H22
	sent := *o.receive()
	sent.Code, sent.AgencyCode, sent.History = "000.00.31.H22-250428-0042", "000.00.31.H22", nil
	snap := &app.TransferSnapshot{ID: "tr-9", Purpose: app.PurposeProcess, FromAgency: "000.00.31.H22", ToAgency: "000.00.01.H22",
		State: app.TransferPending, Version: 1, Dossier: sent, Note: "Chuyển xác minh"}
	ev := app.TransferEvent{ID: "ev-9", Type: app.EventReceived, TransferID: "tr-9", Version: 1, DossierCode: sent.Code,
		FromAgency: "000.00.31.H22", ToAgency: "000.00.01.H22", Transfer: snap, OccurredAt: o.clk.T, FromName: "UBND xã Đông Tiến"}
	if err := o.st.Update(func(tx app.Tx) error { return o.svc.ApplyEvent(tx, ev) }); err != nil {
		t.Fatal(err)
	}
	local, err := o.svc.AcceptIncoming(o.rec, "tr-9")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{sent.Code, "000.00.31.h22-250428", local.Code} {
		p, err := o.svc.List(app.Query{Text: text, Limit: 10})
		if err != nil || len(p.Items) != 1 || p.Items[0].Code != local.Code {
			t.Errorf("search %q: %+v %v", text, p.Items, err)
		}
	}
	// The dossier received at the counter is not found by the other code.
	if p, _ := o.svc.List(app.Query{Text: "000.00.31.H22-250428-0043", Limit: 10}); len(p.Items) != 0 {
		t.Errorf("another code: %+v", p.Items)
	}
}

// A transfer first seen in a resync's snapshot is named too.
func TestIncomingFromSnapshotIsNamed(t *testing.T) {
	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	d := c.receive()
	snap := &app.TransferSnapshot{ID: "tr-s", Purpose: app.PurposeProcess, FromAgency: commune, ToAgency: department,
		State: app.TransferPending, Version: 1, Dossier: *d, Note: "Qua đồng bộ lại"}
	dep.mustApply(app.TransferEvent{Type: app.EventSnapshot, Snapshot: snap, FromName: "UBND xã Tân Lập"})
	in, err := dep.svc.Incoming(true)
	if err != nil || len(in) != 1 || in[0].FromName != "UBND xã Tân Lập" || in[0].Note != "Qua đồng bộ lại" {
		t.Fatalf("incoming from a snapshot: %+v %v", in, err)
	}
}
