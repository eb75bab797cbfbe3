package app_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/app"
	"motcua/storage"
)

// agencyOffice is an office on a real bbolt file, set up directly in the
// store (no password hashing) so that transfer tests stay fast.
type agencyOffice struct {
	t               *testing.T
	code            string
	db              *storage.DB
	svc             *app.Service
	clk             *app.FixedClock
	rec, spec, lead *app.User
}

func newAgencyOffice(t *testing.T, code, name string) *agencyOffice {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &app.FixedClock{T: time.Date(2025, 4, 28, 9, 0, 0, 0, app.Vietnam)}
	o := &agencyOffice{t: t, code: code, db: db, svc: app.NewService(db, clk), clk: clk}
	if officeHook != nil {
		officeHook(t, o.svc)
	}
	users := []app.User{
		{Username: "tiepnhan", FullName: "Nguyễn Thị Hằng", Unit: "Bộ phận Một cửa", Roles: []app.Role{app.RoleReceiver}},
		{Username: "chuyenvien", FullName: "Trần Đức Thắng", Unit: "Tư pháp - Hộ tịch", Roles: []app.Role{app.RoleSpecialist}},
		{Username: "lanhdao", FullName: "Phạm Quốc Việt", Unit: "Lãnh đạo", Roles: []app.Role{app.RoleLeader}},
	}
	procs, err := app.SeedCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx app.Tx) error {
		if err := tx.PutAgency(&app.Agency{Code: code, Name: name, GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa",
			Level: app.LevelCommune, Hours: app.DefaultOfficeHours()}); err != nil {
			return err
		}
		for i := range users {
			if err := tx.PutUser(&users[i]); err != nil {
				return err
			}
		}
		for i := range procs {
			if err := tx.PutProcedure(&procs[i]); err != nil {
				return err
			}
		}
		return tx.PutSettings(app.DefaultSettings())
	})
	if err != nil {
		t.Fatal(err)
	}
	o.rec, o.spec, o.lead = &users[0], &users[1], &users[2]
	return o
}

func (o *agencyOffice) receive() *app.Dossier {
	o.t.Helper()
	d, err := o.svc.Receive(o.rec, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Lê Thị Mai", IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

func (o *agencyOffice) dossier(code string) *app.Dossier {
	o.t.Helper()
	d, err := o.svc.Dossier(code)
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

func (o *agencyOffice) outbox() []app.OutboxItem {
	o.t.Helper()
	var items []app.OutboxItem
	if err := o.db.View(func(tx app.Tx) (err error) {
		items, err = tx.OutboxItems(0)
		return err
	}); err != nil {
		o.t.Fatal(err)
	}
	return items
}

// take removes and returns the outbox's oldest item, as the sender would
// after a 2xx, checking its kind.
func (o *agencyOffice) take(kind app.OutboxKind, payload any) app.OutboxItem {
	o.t.Helper()
	items := o.outbox()
	if len(items) == 0 {
		o.t.Fatalf("%s: outbox empty, want %s", o.code, kind)
	}
	it := items[0]
	if it.Kind != kind {
		o.t.Fatalf("%s: outbox head is %s, want %s", o.code, it.Kind, kind)
	}
	if err := json.Unmarshal(it.Payload, payload); err != nil {
		o.t.Fatal(err)
	}
	if err := o.db.Update(func(tx app.Tx) error { return tx.DeleteOutboxItem(it.ID) }); err != nil {
		o.t.Fatal(err)
	}
	return it
}

func (o *agencyOffice) apply(ev app.TransferEvent) error {
	return o.db.Update(func(tx app.Tx) error { return o.svc.ApplyEvent(tx, ev) })
}

func (o *agencyOffice) mustApply(ev app.TransferEvent) {
	o.t.Helper()
	if err := o.apply(ev); err != nil {
		o.t.Fatalf("%s: apply %s v%d: %v", o.code, ev.Type, ev.Version, err)
	}
}

const (
	commune    = "000.00.31.H56"
	department = "000.00.01.H56"
)

func attachments() []app.SubmittedDocument {
	return []app.SubmittedDocument{
		{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", SHA256: strings.Repeat("a", 64), Size: 1200, MediaType: "application/pdf"},
		{Name: "Bản sao CCCD", SHA256: strings.Repeat("b", 64), Size: 800, MediaType: "image/jpeg", Originals: 0, Copies: 1},
	}
}

func TestTransferValidation(t *testing.T) {
	o := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	d := o.receive()
	good := app.TransferInput{ToAgency: department, ToName: "Sở Tư pháp", Attachments: attachments()}
	cases := []struct {
		name  string
		user  *app.User
		edit  func(*app.TransferInput)
		kind  app.Kind
		field string
	}{
		{"leader may not transfer", o.lead, nil, app.KindPermission, ""},
		{"bad agency code", o.rec, func(in *app.TransferInput) { in.ToAgency = "000.00.1.H56" }, app.KindInvalid, "to_agency"},
		{"own agency", o.rec, func(in *app.TransferInput) { in.ToAgency = commune }, app.KindInvalid, "to_agency"},
		{"bad purpose", o.rec, func(in *app.TransferInput) { in.Purpose = "archive" }, app.KindInvalid, "purpose"},
		{"attachment without digest", o.rec, func(in *app.TransferInput) { in.Attachments[0].SHA256 = "" }, app.KindInvalid, "attachments.0"},
		{"attachment with upper-case garbage", o.rec, func(in *app.TransferInput) { in.Attachments[1].SHA256 = "XYZ" }, app.KindInvalid, "attachments.1"},
		{"attachment without size", o.rec, func(in *app.TransferInput) { in.Attachments[1].Size = 0 }, app.KindInvalid, "attachments.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good
			in.Attachments = attachments()
			if c.edit != nil {
				c.edit(&in)
			}
			_, err := o.svc.Transfer(c.user, d.Code, in)
			if !app.Is(err, c.kind) {
				t.Fatalf("err %v, want kind %v", err, c.kind)
			}
			if c.field != "" {
				var e *app.Error
				found := false
				if errors.As(err, &e) {
					for _, f := range e.Fields {
						found = found || f.Field == c.field
					}
				}
				if !found {
					t.Errorf("no field error %s in %v", c.field, err)
				}
			}
			if n := len(o.outbox()); n != 0 {
				t.Errorf("outbox has %d items after a refused transfer", n)
			}
			if got := o.dossier(d.Code); got.State != app.StateReceived || len(got.Transfers) != 0 {
				t.Errorf("dossier changed: %s, %d transfers", got.State, len(got.Transfers))
			}
		})
	}
	// A good transfer: state, leg, reference and the outbox item, together.
	got, err := o.svc.Transfer(o.rec, d.Code, good)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != app.StateTransferred || got.Status != app.StatusProcessing || len(got.Transfers) != 1 {
		t.Fatalf("after transfer: %s/%d, %d transfers", got.State, got.Status, len(got.Transfers))
	}
	ref := got.Transfers[0]
	leg := got.Legs[len(got.Legs)-1]
	if ref.State != app.TransferQueued || leg.TransferID != ref.ID || leg.ToUnit != "Sở Tư pháp" {
		t.Errorf("ref %+v leg %+v", ref, leg)
	}
	if len(got.Documents) != 2 || got.Documents[0].SHA256 != strings.Repeat("a", 64) {
		t.Errorf("attachments not on the documents: %+v", got.Documents)
	}
	items := o.outbox()
	if len(items) != 1 || items[0].Kind != app.OutboxTransfer || items[0].Queue != d.Code || items[0].IdempotencyKey == "" {
		t.Fatalf("outbox %+v", items)
	}
	var ti app.TransferIntent
	if err := json.Unmarshal(items[0].Payload, &ti); err != nil {
		t.Fatal(err)
	}
	if ti.LocalRef != ref.ID || ti.ToAgency != department || ti.Purpose != app.PurposeProcess || ti.Dossier.Code != d.Code ||
		len(ti.Dossier.History) != 0 || len(ti.Dossier.Documents) != 2 {
		t.Errorf("intent %+v", ti)
	}
	// The same recipient and purpose cannot be given the dossier twice.
	if _, err := o.svc.Transfer(o.rec, d.Code, good); err == nil {
		t.Error("second transfer of a transferred dossier accepted")
	}
}

func TestOutboxIDsAreOrdered(t *testing.T) {
	prev := ""
	for range 1000 {
		id := app.OutboxID()
		if id <= prev {
			t.Fatalf("%s after %s", id, prev)
		}
		prev = id
	}
}

// hubSim numbers transfer versions as the hub would.
type hubSim struct {
	t       *testing.T
	version map[string]int
}

func historyActions(d *app.Dossier) []app.Action {
	var out []app.Action
	for _, e := range d.History {
		out = append(out, e.Action)
	}
	return out
}

func TestTransferRoundTripBetweenTwoOffices(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	h := &hubSim{t: t, version: map[string]int{}}
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department, ToName: "Sở Tư pháp", Attachments: attachments()}); err != nil {
		t.Fatal(err)
	}

	// The sender gets 201: the hub id replaces the local reference.
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	const id = "tr_1"
	h.version[id] = 1
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}
	// A replayed 201 changes nothing.
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}
	got := c.dossier(d.Code)
	if got.Transfers[0].ID != id || got.Transfers[0].State != app.TransferPending || got.Transfers[0].Version != 1 || got.Legs[len(got.Legs)-1].TransferID != id {
		t.Fatalf("after 201: %+v", got.Transfers[0])
	}

	// The recipient hears of it, twice (at-least-once): one incoming transfer.
	snap := &app.TransferSnapshot{ID: id, Purpose: ti.Purpose, FromAgency: commune, ToAgency: department, State: app.TransferPending,
		Version: 1, Dossier: ti.Dossier}
	recv := app.TransferEvent{ID: "ev-recv", Type: app.EventReceived, TransferID: id, Version: 1, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Transfer: snap, OccurredAt: c.clk.T}
	dep.mustApply(recv)
	dep.mustApply(recv)
	pend, err := dep.svc.Incoming(true)
	if err != nil || len(pend) != 1 || pend[0].Dossier.Code != d.Code {
		t.Fatalf("incoming %+v %v", pend, err)
	}

	// Accept: a local dossier with its own code, the ack queued.
	dep.clk.T = dep.clk.T.Add(time.Hour)
	local, err := dep.svc.AcceptIncoming(dep.rec, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(local.Code, department+"-250428-") || local.Reference != d.Code || local.ReferenceTransfer != id ||
		local.State != app.StateReceived || len(local.History) != 1 || !local.DueAt.Equal(d.DueAt) || len(local.Documents) != 2 {
		t.Fatalf("local dossier %+v", local)
	}
	if _, err := dep.svc.AcceptIncoming(dep.rec, id); !app.Is(err, app.KindConflict) {
		t.Errorf("second accept: %v", err)
	}
	var ack app.AckIntent
	it := dep.take(app.OutboxAck, &ack)
	if it.Queue != local.Code || !ack.Accepted || ack.LocalCode != local.Code || ack.TransferID != id {
		t.Fatalf("ack %+v on %s", ack, it.Queue)
	}
	h.version[id] = 2
	if err := dep.db.Update(func(tx app.Tx) error { return dep.svc.CallSent(tx, local.Code, id, 2) }); err != nil {
		t.Fatal(err)
	}
	acc := app.TransferEvent{ID: "ev-acc", Type: app.EventAccepted, TransferID: id, Version: 2, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Ack: &app.TransferAck{Accepted: true, LocalCode: local.Code}, OccurredAt: dep.clk.T}
	c.mustApply(acc)

	// The recipient works: every change of national status is queued for the sender.
	steps := []struct {
		name string
		do   func() error
		want app.StatusCode
	}{
		{"handover", func() error {
			_, err := dep.svc.Handover(dep.rec, local.Code, app.HandoverInput{ToUser: "chuyenvien"})
			return err
		}, app.StatusProcessing},
		{"supplement", func() error {
			_, err := dep.svc.RequestSupplement(dep.spec, local.Code, app.SupplementInput{Items: []string{"Trích lục ly hôn"}, Reason: "Thiếu giấy tờ"})
			return err
		}, app.StatusSupplement},
		{"supplement received", func() error {
			_, err := dep.svc.ReceiveSupplement(dep.rec, local.Code, "Đã nhận")
			return err
		}, app.StatusProcessing},
		{"draft (no status change)", func() error {
			_, err := dep.svc.SubmitForApproval(dep.spec, local.Code, "Đủ điều kiện")
			return err
		}, 0},
		{"approve (no status change)", func() error {
			_, err := dep.svc.Approve(dep.lead, local.Code, "")
			return err
		}, 0},
		{"result", func() error {
			_, err := dep.svc.RecordResult(dep.spec, local.Code, app.ResultInput{Kind: "Giấy xác nhận tình trạng hôn nhân", Number: "123/XN",
				Date: "2025-04-28", Signer: "Phạm Quốc Việt", Summary: "Xác nhận độc thân",
				Files: []app.SubmittedDocument{{Name: "Giấy xác nhận", SHA256: strings.Repeat("c", 64), Size: 5000}}})
			return err
		}, app.StatusResolved},
	}
	for _, s := range steps {
		dep.clk.T = dep.clk.T.Add(10 * time.Minute)
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if s.want == 0 {
			if n := len(dep.outbox()); n != 0 {
				t.Fatalf("%s: %d items queued without a status change", s.name, n)
			}
			continue
		}
		var si app.StatusIntent
		dep.take(app.OutboxStatus, &si)
		if si.TransferID != id || si.Role != app.RoleRecipient || si.Status != s.want || si.Actor.Name == "" {
			t.Fatalf("%s: intent %+v", s.name, si)
		}
		switch s.want {
		case app.StatusSupplement:
			if si.Supplement == nil || si.Supplement.Request != "Trích lục ly hôn" || si.Supplement.Deadline.IsZero() {
				t.Errorf("supplement %+v", si.Supplement)
			}
		case app.StatusResolved:
			if len(si.Results) != 1 || si.Results[0].SHA256 != strings.Repeat("c", 64) || si.Results[0].Number != "123/XN" {
				t.Errorf("results %+v", si.Results)
			}
		}
		h.version[id]++
		v := h.version[id]
		if err := dep.db.Update(func(tx app.Tx) error { return dep.svc.CallSent(tx, local.Code, id, v) }); err != nil {
			t.Fatal(err)
		}
		ev := app.TransferEvent{ID: "ev-st-" + s.name, Type: app.EventStatusChanged, TransferID: id, Version: v, DossierCode: d.Code,
			FromAgency: commune, ToAgency: department, Status: &si.TransferStatus, OccurredAt: si.OccurredAt}
		c.mustApply(ev)
		c.mustApply(ev) // a duplicate delivery
	}
	got = c.dossier(d.Code)
	// 5 opens a supplement round here; the recipient's 4 (it got the papers
	// itself) closes it and the dossier is transferred again.
	want := []app.Action{app.ActReceive, app.ActTransfer, app.ActTransferUpdate, app.ActTransferUpdate, app.ActTransferSupplement,
		app.ActTransferResume, app.ActTransferResult}
	if a := historyActions(got); len(a) != len(want) {
		t.Fatalf("sender history %v, want %v", a, want)
	} else {
		for i := range a {
			if a[i] != want[i] {
				t.Fatalf("sender history %v, want %v", a, want)
			}
		}
	}
	if got.State != app.StateResolved || got.Result == nil || got.Result.Number != "123/XN" || len(got.Result.Files) != 1 ||
		got.Outcome == app.OutcomeNone || got.Transfers[0].State != app.TransferCompleted || got.Transfers[0].Version != h.version[id] {
		t.Fatalf("sender after result: state %s result %+v outcome %q ref %+v", got.State, got.Result, got.Outcome, got.Transfers[0])
	}
	if !strings.Contains(got.History[4].Note, "Trích lục ly hôn") {
		t.Errorf("supplement request not in history: %q", got.History[4].Note)
	}
	if app.VerifyHistory(got.Code, got.History) != nil {
		t.Error("sender history chain broken")
	}

	// The sender returns the result to the citizen: status 10 is queued.
	c.clk.T = c.clk.T.Add(3 * time.Hour)
	if _, err := c.svc.Return(c.rec, d.Code, app.ReturnInput{To: "Lê Thị Mai"}); err != nil {
		t.Fatal(err)
	}
	var si app.StatusIntent
	c.take(app.OutboxStatus, &si)
	if si.Status != app.StatusReturned || si.Role != app.RoleSender || si.TransferID != id {
		t.Fatalf("return intent %+v", si)
	}
	h.version[id]++
	v := h.version[id]
	ret := app.TransferEvent{ID: "ev-ret", Type: app.EventStatusChanged, TransferID: id, Version: v, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Status: &si.TransferStatus, OccurredAt: si.OccurredAt}
	dep.mustApply(ret)
	dep.mustApply(ret)
	in, err := dep.svc.Incoming(false)
	if err != nil || len(in) != 1 || in[0].State != app.TransferCompleted || in[0].Version != v {
		t.Fatalf("incoming after return %+v %v", in, err)
	}
	ld := dep.dossier(local.Code)
	if a := historyActions(ld); len(a) != 8 || a[len(a)-1] != app.ActTransferReturned || !strings.Contains(ld.History[7].Note, "Đã trả kết quả") ||
		ld.State != app.StateReturned || ld.Return == nil || ld.Return.To != "Lê Thị Mai" {
		t.Fatalf("recipient history %v, state %s, return %+v", a, ld.State, ld.Return)
	}
	if n := len(c.outbox()) + len(dep.outbox()); n != 0 {
		t.Errorf("%d items left in the outboxes", n)
	}
}

func TestApplyEventIgnoresStaleAndAsksForSnapshotOnGap(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	const id = "tr_9"
	st := func(code app.StatusCode) *app.TransferStatus {
		return &app.TransferStatus{Status: code, Actor: app.Actor{Name: "Chuyên viên Sở"}, OccurredAt: c.clk.T}
	}
	snap := &app.TransferSnapshot{ID: id, Purpose: app.PurposeProcess, FromAgency: commune, ToAgency: department,
		State: app.TransferAccepted, Version: 3, Dossier: ti.Dossier, Ack: &app.TransferAck{Accepted: true}}
	ev := func(evID string, typ app.EventType, v int) app.TransferEvent {
		return app.TransferEvent{ID: evID, Type: typ, TransferID: id, Version: v, DossierCode: d.Code, FromAgency: commune,
			ToAgency: department, OccurredAt: c.clk.T}
	}
	// The 201 was lost: the accepted event (v2) names a transfer the office
	// knows only by its local reference → gap until the snapshot adopts it.
	acc := ev("e1", app.EventAccepted, 2)
	acc.Ack = &app.TransferAck{Accepted: true, LocalCode: "X"}
	if err := c.apply(acc); !app.IsVersionGap(err) {
		t.Fatalf("accepted for an unknown id: %v, want a version gap", err)
	}
	acc.Snapshot = snap
	c.mustApply(acc)
	got := c.dossier(d.Code)
	if got.Transfers[0].ID != id || got.Transfers[0].State != app.TransferAccepted || got.Transfers[0].Version != 2 {
		t.Fatalf("not adopted: %+v", got.Transfers[0])
	}
	// The late 201 replay changes nothing.
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}
	if got := c.dossier(d.Code); got.Transfers[0].Version != 2 || got.Version != c.dossier(d.Code).Version {
		t.Fatalf("replay changed the ref: %+v", got.Transfers[0])
	}
	n := len(c.dossier(d.Code).History)
	cases := []struct {
		name    string
		ev      app.TransferEvent
		gap     bool
		history int // entries added
	}{
		{"old version (another event id)", func() app.TransferEvent { e := ev("e2", app.EventStatusChanged, 2); e.Status = st(4); return e }(), false, 0},
		{"gap", func() app.TransferEvent { e := ev("e3", app.EventStatusChanged, 5); e.Status = st(5); return e }(), true, 0},
		{"next version", func() app.TransferEvent { e := ev("e4", app.EventStatusChanged, 3); e.Status = st(4); return e }(), false, 1},
		{"same event again", func() app.TransferEvent { e := ev("e4", app.EventStatusChanged, 3); e.Status = st(4); return e }(), false, 0},
		{"gap with snapshot", func() app.TransferEvent {
			e := ev("e3", app.EventStatusChanged, 5)
			e.Status = st(6)
			s := *snap
			s.Version = 5
			e.Snapshot = &s
			return e
		}(), false, 1},
		{"event of another agency pair", func() app.TransferEvent {
			e := ev("e5", app.EventStatusChanged, 6)
			e.FromAgency, e.ToAgency = "000.00.02.H56", "000.00.03.H56"
			e.Status = st(4)
			return e
		}(), false, 0},
	}
	for _, tc := range cases {
		err := c.apply(tc.ev)
		if tc.gap != app.IsVersionGap(err) || (!tc.gap && err != nil) {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := c.dossier(d.Code)
		if len(got.History)-n != tc.history {
			t.Fatalf("%s: %d history entries added, want %d", tc.name, len(got.History)-n, tc.history)
		}
		n = len(got.History)
	}
	if got := c.dossier(d.Code); got.Transfers[0].Version != 5 || got.Transfers[0].StatusCode != 6 {
		t.Errorf("ref %+v", got.Transfers[0])
	}
}

func TestRejectedTransferComesBackToProcessing(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	const id = "tr_r"
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}
	snap := &app.TransferSnapshot{ID: id, Purpose: ti.Purpose, FromAgency: commune, ToAgency: department, State: app.TransferPending, Version: 1, Dossier: ti.Dossier}
	dep.mustApply(app.TransferEvent{ID: "r1", Type: app.EventReceived, TransferID: id, Version: 1, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Transfer: snap})
	if err := dep.svc.RefuseIncoming(dep.rec, id, ""); !app.Is(err, app.KindInvalid) {
		t.Errorf("refusal without reason: %v", err)
	}
	if err := dep.svc.RefuseIncoming(dep.rec, id, "Không thuộc thẩm quyền"); err != nil {
		t.Fatal(err)
	}
	var ack app.AckIntent
	it := dep.take(app.OutboxAck, &ack)
	if ack.Accepted || ack.Reason != "Không thuộc thẩm quyền" || it.Queue == "" {
		t.Fatalf("ack %+v", ack)
	}
	if _, err := dep.svc.AcceptIncoming(dep.rec, id); !app.Is(err, app.KindConflict) {
		t.Errorf("accept after refusal: %v", err)
	}
	c.mustApply(app.TransferEvent{ID: "r2", Type: app.EventRejected, TransferID: id, Version: 2, DossierCode: d.Code,
		FromAgency: commune, ToAgency: department, Ack: &app.TransferAck{Accepted: false, Reason: "Không thuộc thẩm quyền"}})
	got := c.dossier(d.Code)
	if got.State != app.StateProcessing || got.Transfers[0].State != app.TransferRejected || got.History[len(got.History)-1].Action != app.ActTransferBack {
		t.Fatalf("after rejection: %s %+v", got.State, got.Transfers[0])
	}
	if l := got.Legs[len(got.Legs)-1]; l.FinishedAt.IsZero() || !strings.Contains(l.Note, "Không thuộc thẩm quyền") {
		t.Errorf("transfer leg not closed: %+v", l)
	}
	// It may now go elsewhere (a rejected transfer is not live).
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
		t.Errorf("transfer again after rejection: %v", err)
	}
}

func TestRecallMarksIncoming(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.svc.Recall(c.rec, d.Code, "Nhầm cơ quan"); !app.Is(err, app.KindConflict) {
		t.Errorf("recall before the hub answered: %v", err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	const id = "tr_c"
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, id, 1) }); err != nil {
		t.Fatal(err)
	}
	got, err := c.svc.Recall(c.rec, d.Code, "Nhầm cơ quan")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != app.StateProcessing || got.Transfers[0].State != app.TransferRecalled {
		t.Fatalf("after recall %s %+v", got.State, got.Transfers[0])
	}
	var ri app.RecallIntent
	c.take(app.OutboxRecall, &ri)
	if ri.TransferID != id {
		t.Fatalf("recall intent %+v", ri)
	}
	snap := &app.TransferSnapshot{ID: id, Purpose: ti.Purpose, FromAgency: commune, ToAgency: department, State: app.TransferPending, Version: 1, Dossier: ti.Dossier}
	dep.mustApply(app.TransferEvent{ID: "c1", Type: app.EventReceived, TransferID: id, Version: 1, DossierCode: d.Code, FromAgency: commune, ToAgency: department, Transfer: snap})
	dep.mustApply(app.TransferEvent{ID: "c2", Type: app.EventRecalled, TransferID: id, Version: 2, DossierCode: d.Code, FromAgency: commune, ToAgency: department,
		Recall: &app.TransferRecall{Reason: "Nhầm cơ quan"}})
	in, _ := dep.svc.Incoming(false)
	if len(in) != 1 || in[0].State != app.TransferRecalled {
		t.Fatalf("incoming %+v", in)
	}
	if _, err := dep.svc.AcceptIncoming(dep.rec, id); !app.Is(err, app.KindConflict) {
		t.Errorf("accepting a recalled transfer: %v", err)
	}
}

func TestResyncSnapshotCreatesIncomingOnce(t *testing.T) {
	c := newAgencyOffice(t, commune, "UBND xã Tân Lập")
	dep := newAgencyOffice(t, department, "Sở Tư pháp")
	d := c.receive()
	if _, err := c.svc.Transfer(c.rec, d.Code, app.TransferInput{ToAgency: department}); err != nil {
		t.Fatal(err)
	}
	var ti app.TransferIntent
	c.take(app.OutboxTransfer, &ti)
	snap := &app.TransferSnapshot{ID: "tr_s", Purpose: ti.Purpose, FromAgency: commune, ToAgency: department, State: app.TransferPending, Version: 1, Dossier: ti.Dossier}
	for range 2 {
		dep.mustApply(app.TransferEvent{Type: app.EventSnapshot, Snapshot: snap})
	}
	// The feed replayed from the start afterwards: the received event is old news.
	dep.mustApply(app.TransferEvent{ID: "s1", Type: app.EventReceived, TransferID: "tr_s", Version: 1, DossierCode: d.Code, FromAgency: commune, ToAgency: department, Transfer: snap})
	in, _ := dep.svc.Incoming(false)
	if len(in) != 1 || in[0].State != app.TransferPending || in[0].Version != 1 {
		t.Fatalf("incoming %+v", in)
	}
	// The sender resyncs a snapshot showing acceptance and a status.
	if err := c.db.Update(func(tx app.Tx) error { return c.svc.TransferSent(tx, d.Code, ti.LocalRef, "tr_s", 1) }); err != nil {
		t.Fatal(err)
	}
	s2 := *snap
	s2.State, s2.Version, s2.Ack = app.TransferAccepted, 3, &app.TransferAck{Accepted: true, LocalCode: "L"}
	s2.LastStatus = &app.TransferStatus{Status: app.StatusSupplement, Actor: app.Actor{Name: "CV"}, Supplement: &app.SupplementRequest{Request: "Giấy A"}}
	c.mustApply(app.TransferEvent{Type: app.EventSnapshot, Snapshot: &s2})
	c.mustApply(app.TransferEvent{Type: app.EventSnapshot, Snapshot: &s2})
	got := c.dossier(d.Code)
	if got.Transfers[0].State != app.TransferAccepted || got.Transfers[0].StatusCode != app.StatusSupplement || got.Transfers[0].Version != 3 {
		t.Fatalf("after resync %+v", got.Transfers[0])
	}
	if a := historyActions(got); len(a) != 4 {
		t.Fatalf("history %v", a)
	}
}
