package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// fakeHub answers like a connected client without a network, and counts
// the wake-ups the service gives it (app.OutboxNotifier).
type fakeHub struct {
	store  app.Store
	kicked int
}

func newFakeHub(e *env) *fakeHub {
	h := &fakeHub{store: e.db}
	e.svc.SetOutboxNotifier(h)
	e.setHub(h)
	return h
}

func (h *fakeHub) Status() app.SyncStatus {
	st := app.SyncStatus{Configured: true, Running: true, Online: true}
	_ = h.store.View(func(tx app.Tx) (err error) { st.Pending, st.Parked, err = tx.OutboxCount(); return })
	return st
}
func (h *fakeHub) OutboxQueued()         { h.kicked++ }
func (h *fakeHub) OnChange(func())       {}
func (h *fakeHub) Start(context.Context) {}
func (h *fakeHub) Stop()                 {}
func (h *fakeHub) Directory(context.Context) ([]app.DirectoryEntry, error) {
	return []app.DirectoryEntry{{Code: "000.00.00.H56", Name: "Công an tỉnh Thanh Hóa", Active: true},
		{Code: "000.00.31.H56", Name: "UBND xã Tân Lập", Active: true}}, nil
}

func TestTransferOutAndIncoming(t *testing.T) {
	e := newEnv(t)
	hub := newFakeHub(e)
	admin := e.setUp()
	d := e.received(admin)
	if _, err := e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(admin)
	s := e.ui.shell
	if _, ok := s.buttons["transfers"]; !ok {
		t.Fatal("no Liên thông with a hub")
	}
	if !strings.Contains(s.hub.Text, "trực tuyến") {
		t.Errorf("status bar: %q", s.hub.Text)
	}

	// Transfer out, choosing the recipient from the directory.
	s.openDossier(d.Code)
	b := s.detail.buttons[app.ActTransfer]
	if b == nil {
		t.Fatal("no transfer button")
	}
	test.Tap(b)
	f := e.ui.lastForm
	pick := f.fields[0].input.(*widget.Select)
	waitFor(t, "the directory", func() bool {
		return len(pick.Options) == 1 // own office left out
	})
	pick.SetSelectedIndex(0)
	if f.fields[1].entry.Text != "000.00.00.H56" {
		t.Fatalf("picked code = %q", f.fields[1].entry.Text)
	}
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("transfer refused: %q", f.errLine.Text)
	}
	got, _ := e.svc.Dossier(d.Code)
	if got.State != app.StateTransferred || len(got.Transfers) != 1 || got.Transfers[0].ToName != "Công an tỉnh Thanh Hóa" {
		t.Fatalf("after transfer: %s %+v", got.State, got.Transfers)
	}
	if hub.kicked == 0 {
		t.Error("the sender was not woken")
	}
	s.hubChanged()
	if !strings.Contains(s.hub.Text, "chờ gửi 1") {
		t.Errorf("status bar after transfer: %q", s.hub.Text)
	}

	// An incoming dossier, accepted here.
	snap := *got
	snap.Code, snap.AgencyCode = "000.00.00.H56-250428-0007", "000.00.00.H56"
	in := &app.IncomingTransfer{ID: "tr-1", FromAgency: "000.00.00.H56", FromName: "Công an tỉnh Thanh Hóa", Purpose: app.PurposeProcess,
		Version: 1, State: app.TransferPending, Dossier: snap, ArrivedAt: testNow}
	if err := e.db.Update(func(tx app.Tx) error { return tx.PutIncoming(in) }); err != nil {
		t.Fatal(err)
	}
	s.go_("transfers")
	ts := s.screens["transfers"].(*transfersScreen)
	if len(ts.rows) != 1 {
		t.Fatalf("incoming rows = %d", len(ts.rows))
	}
	ts.list.Select(0)
	if ts.accept.Disabled() || !strings.Contains(ts.detail.Text, "000.00.00.H56-250428-0007") {
		t.Fatalf("incoming detail: %q", ts.detail.Text)
	}
	test.Tap(ts.accept)
	if s.current != "detail" || s.detail.d.Reference != "000.00.00.H56-250428-0007" {
		t.Fatalf("accepted dossier not opened: %s", s.current)
	}
}

func TestOutboxListShowsParkedItemsAndRetries(t *testing.T) {
	e := newEnv(t)
	hub := newFakeHub(e)
	admin := e.setUp()
	d := e.received(admin)
	if _, err := e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Transfer(admin, d.Code, app.TransferInput{ToAgency: "000.00.00.H56", Purpose: app.PurposeProcess}); err != nil {
		t.Fatal(err)
	}
	// The hub refused it for good.
	const problem = "Cơ quan nhận không tiếp nhận thủ tục này"
	err := e.db.Update(func(tx app.Tx) error {
		items, err := tx.OutboxItems(0)
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox: %v %v", items, err)
		}
		it := items[0]
		it.Parked, it.Problem, it.Attempts = true, problem, 1
		return tx.PutOutboxItem(&it)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(admin)
	s := e.ui.shell
	s.go_("transfers")
	ts := s.screens["transfers"].(*transfersScreen)
	ts.tabs.SelectIndex(1)
	if got := ts.tabs.Items[1].Text; got != "Chờ gửi đi (1, 1 cần xử lý)" {
		t.Errorf("tab: %q", got)
	}
	if len(ts.outbox.items) != 1 || !ts.outbox.items[0].Parked {
		t.Fatalf("outbox rows: %+v", ts.outbox.items)
	}
	text := renderedText(ts.outbox.list)
	for _, want := range []string{d.Code + " · Chuyển hồ sơ", "Số lần gửi: 1", problem} {
		if !strings.Contains(text, want) {
			t.Errorf("the row lacks %q:\n%s", want, text)
		}
	}
	kicked := hub.kicked
	test.Tap(findButton(t, ts.outbox.list, "Gửi lại"))
	if hub.kicked != kicked+1 {
		t.Fatalf("the sender was not woken by Gửi lại (%d → %d)", kicked, hub.kicked)
	}
	var last []app.AuditEntry
	_ = e.db.View(func(tx app.Tx) (err error) { last, err = tx.Audit(-1, 1); return })
	if len(last) != 1 || last[0].Action != "outbox.retry" {
		t.Errorf("Gửi lại not in the administration log: %+v", last)
	}
	if ts.outbox.items[0].Parked {
		t.Error("still parked after Gửi lại")
	}
	// The client's change notice refreshes the screen.
	s.hubChanged()
	if got := ts.tabs.Items[1].Text; got != "Chờ gửi đi (1)" {
		t.Errorf("tab after retry: %q", got)
	}
	if strings.Contains(renderedText(ts.outbox.list), problem) {
		t.Error("the problem still shows")
	}
}

// TestHubTextOfADeskStandingBy: on a shared store only one desk holds the
// hub connection; the others must not say the connection is lost.
func TestHubTextOfADeskStandingBy(t *testing.T) {
	for _, c := range []struct {
		st   app.SyncStatus
		want string
		imp  widget.Importance
	}{
		{app.SyncStatus{Online: true}, "Liên thông: trực tuyến", widget.SuccessImportance},
		{app.SyncStatus{Standby: true, Pending: 2}, "Liên thông: qua máy khác trong cơ quan · chờ gửi 2", widget.SuccessImportance},
		{app.SyncStatus{}, "Liên thông: mất kết nối", widget.WarningImportance},
	} {
		got, imp := hubText(c.st)
		if !strings.Contains(got, c.want) || imp != c.imp {
			t.Errorf("%+v: %q (%v), want %q (%v)", c.st, got, imp, c.want, c.imp)
		}
	}
}
