package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"motcua/app"
)

// pumpLive applies the refreshes the change feed delivers (as fyne.Do
// would, here on the test's goroutine) until cond holds, and fails when it
// does not within 2 seconds of the change: the time an official may wait
// for another desk's work to show. It returns how long it took.
func (e *env) pumpLive(what string, cond func() bool) time.Duration {
	e.t.Helper()
	start := time.Now()
	deadline := time.After(2 * time.Second)
	for !cond() {
		select {
		case b := <-e.live:
			e.ui.applyChanges(b)
		case <-deadline:
			e.t.Fatalf("%s: not on screen within 2 s", what)
		}
	}
	return time.Since(start)
}

// otherDesk is a second service over the same store, whose committed
// changes reach the window's service as the shared database's
// notifications do on PostgreSQL (main's followChanges → Announce).
func (e *env) otherDesk() *app.Service {
	other := app.NewService(e.db, e.clock)
	cancel := other.Subscribe(func(c app.Change) { e.svc.Announce(c) })
	e.t.Cleanup(cancel)
	return other
}

func (e *env) receivedAt(svc *app.Service, u *app.User, name string) *app.Dossier {
	e.t.Helper()
	d, err := svc.Receive(u, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: name, IDType: app.IDCCCD, IDNumber: "038190004321", Phone: "0987654321"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// TestScreensFollowChangesMadeElsewhere: with the window open, what another
// desk commits shows without navigating: the home counts and "Hồ sơ của
// tôi", the dossier list (loaded rows kept), the open detail screen — and
// not while the official types in a dialog on it: a note says so, their
// input stays, and the screen reloads once the dialog is closed.
func TestScreensFollowChangesMadeElsewhere(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	other := e.otherDesk()
	e.signIn(admin)
	s := e.ui.shell
	home := s.screens["home"].(*homeScreen)
	if home.mine == nil || home.tiles[app.StateReceived].Text != "0" {
		t.Fatalf("home before: mine list %v, received %q", home.mine != nil, home.tiles[app.StateReceived].Text)
	}

	// A receipt at the other desk: the home count follows.
	d := e.receivedAt(other, admin, "Đỗ Thị Mai")
	took := e.pumpLive("the receipt on the home tiles", func() bool { return home.tiles[app.StateReceived].Text == "1" })
	t.Logf("home count after a receipt elsewhere: %v", took)
	// Handed to the signed-in official: "Hồ sơ của tôi" shows it.
	if _, err := other.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); err != nil {
		t.Fatal(err)
	}
	e.pumpLive("the hand-over on the home tiles", func() bool {
		return home.tiles[app.StateReceived].Text == "0" && home.tiles[app.StateProcessing].Text == "1"
	})
	if len(home.mine.rows) != 1 || home.mine.rows[0].Code != d.Code || !strings.Contains(home.mineHdr.Text, "(1)") {
		t.Errorf("Hồ sơ của tôi after the hand-over: %v, %q", home.mine.rows, home.mineHdr.Text)
	}

	// The dossier list: a new receipt appears at the top.
	s.go_("dossiers")
	ds := s.screens["dossiers"].(*dossiersScreen)
	if got := ds.codes(); !slices.Equal(got, []string{d.Code}) {
		t.Fatalf("list before: %v", got)
	}
	d2 := e.receivedAt(other, admin, "Trần Văn Bình")
	took = e.pumpLive("the new receipt in the list", func() bool { return slices.Equal(ds.codes(), []string{d2.Code, d.Code}) })
	t.Logf("list after a receipt elsewhere: %v", took)

	// The open detail screen reloads when its dossier changes elsewhere…
	s.openDossier(d.Code)
	det := s.detail
	v := det.d.Version
	if _, err := other.AddNote(admin, d.Code, "Đã gọi điện cho công dân"); err != nil {
		t.Fatal(err)
	}
	views := func() int {
		entries, _, err := e.svc.AuditLog(admin, app.AuditFilter{Action: app.ActionView, Target: d.Code})
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	// Another entry in the log since the view (a print), so that a second
	// view would not be folded into the first.
	if err := e.svc.RecordPrint(admin, "", "so-theo-doi"); err != nil {
		t.Fatal(err)
	}
	viewed := views()
	e.pumpLive("the note in the open detail screen", func() bool { return det.d.Version > v })
	if n := views(); n != viewed {
		t.Errorf("the refresh of the open screen was recorded as %d more views", n-viewed)
	}
	if !strings.Contains(renderedText(det.history), "Đã gọi điện cho công dân") || det.note.Visible() {
		t.Errorf("history after the reload lacks the note, or a stale-dialog note shows: %q", renderedText(det.history))
	}
	// …and not a change to another dossier.
	v = det.d.Version
	if _, err := other.AddNote(admin, d2.Code, "ghi chú hồ sơ khác"); err != nil {
		t.Fatal(err)
	}
	for seen, deadline := false, time.After(2*time.Second); !seen; {
		select {
		case b := <-e.live:
			e.ui.applyChanges(b)
			seen = b.dossiers[d2.Code]
		case <-deadline:
			t.Fatal("the other dossier's change was not delivered")
		}
	}
	if det.d.Version != v || det.d.Code != d.Code {
		t.Errorf("a change to another dossier reloaded this one: version %d → %d", v, det.d.Version)
	}

	// The official is typing in a dialog when the dossier changes elsewhere.
	test.Tap(det.buttons[app.ActRequestSupplement])
	f := e.ui.lastForm
	test.Type(f.fields[0].entry, "Bản sao giấy khai sinh")
	v = det.d.Version
	if _, err := other.AddNote(admin, d.Code, "Người dân gọi hỏi tiến độ"); err != nil {
		t.Fatal(err)
	}
	e.pumpLive("the note that the dossier changed", func() bool { return det.note.Visible() })
	if det.d.Version != v || e.ui.win.Canvas().Overlays().Top() == nil || f.fields[0].entry.Text != "Bản sao giấy khai sinh" {
		t.Fatalf("the dialog's input was disturbed: version %d→%d, dialog open %v, text %q",
			v, det.d.Version, e.ui.win.Canvas().Overlays().Top() != nil, f.fields[0].entry.Text)
	}
	if !strings.Contains(det.note.Text, "Hồ sơ vừa được cập nhật ở máy khác") {
		t.Errorf("note = %q", det.note.Text)
	}
	f.dlg.Hide()
	e.pumpLive("the reload after the dialog closed", func() bool { return det.d.Version > v && !det.note.Visible() })
	if !strings.Contains(renderedText(det.history), "Người dân gọi hỏi tiến độ") {
		t.Error("history after the dialog closed lacks the other desk's note")
	}

	// This desk's own action reloads the screen itself; its echo changes
	// nothing and shows no note.
	v = det.d.Version
	test.Tap(det.buttons[app.ActNote])
	f = e.ui.lastForm
	test.Type(f.fields[0].entry, "Đã hẹn công dân chiều mai")
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("note refused: %q", f.errLine.Text)
	}
	e.pumpLive("the own action's echo", func() bool { return len(e.live) == 0 })
	time.Sleep(2 * liveDelay)
	for len(e.live) > 0 {
		e.ui.applyChanges(<-e.live)
	}
	if det.d.Version != v+1 || det.note.Visible() {
		t.Errorf("own action: version %d → %d, note shown %v", v, det.d.Version, det.note.Visible())
	}
}

// TestIncomingTransferShowsWithoutNavigating: a transfer the inbox poller
// stores (in its own transaction, through the service's store, off the
// window's goroutine) appears in the open incoming list, in the count of
// the navigation and the menu, and on the home screen.
func TestIncomingTransferShowsWithoutNavigating(t *testing.T) {
	e := newEnv(t)
	newFakeHub(e)
	admin := e.setUp()
	e.signIn(admin)
	s := e.ui.shell
	home := s.screens["home"].(*homeScreen)
	if home.waiting == nil || home.waiting.Text != "0" || s.buttons["transfers"].Text != "Liên thông" {
		t.Fatalf("before: home tile %v, nav %q", home.waiting, s.buttons["transfers"].Text)
	}
	arrive := func(id string) {
		in := &app.IncomingTransfer{ID: id, FromAgency: "000.00.00.H56", FromName: "Công an tỉnh Thanh Hóa", Purpose: app.PurposeProcess,
			Version: 1, State: app.TransferPending, ArrivedAt: testNow,
			Dossier: app.Dossier{Code: "000.00.00.H56-250428-00" + id[len(id)-2:], ProcedureName: "Đăng ký thường trú",
				Applicant: app.Person{FullName: "Lê Thị Thu"}}}
		done := make(chan error)
		go func() { done <- e.svc.Store().Update(func(tx app.Tx) error { return tx.PutIncoming(in) }) }()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	arrive("tr-01")
	took := e.pumpLive("the waiting count on the home screen", func() bool { return home.waiting.Text == "1" })
	t.Logf("home count after a transfer arrived: %v", took)
	if s.buttons["transfers"].Text != "Liên thông (1)" || s.viewMenu.Label != "Liên thông (1)" {
		t.Errorf("navigation %q, menu %q", s.buttons["transfers"].Text, s.viewMenu.Label)
	}

	// The incoming list is open, a transfer chosen: a second one arrives.
	s.go_("transfers")
	ts := s.screens["transfers"].(*transfersScreen)
	ts.list.Select(0)
	arrive("tr-02")
	e.pumpLive("the second transfer in the open list", func() bool { return len(ts.rows) == 2 })
	if ts.selected < 0 || ts.rows[ts.selected].ID != "tr-01" {
		t.Errorf("the chosen transfer was lost: selected %d", ts.selected)
	}
	if s.buttons["transfers"].Text != "Liên thông (2)" {
		t.Errorf("navigation %q", s.buttons["transfers"].Text)
	}
}

// TestListRefreshKeepsTheLoadedPages: a list scrolled past its first page
// keeps every loaded row when another desk's receipt refreshes it (the new
// one on top), rather than falling back to the first page.
func TestListRefreshKeepsTheLoadedPages(t *testing.T) {
	old := pageSize
	pageSize = 3
	t.Cleanup(func() { pageSize = old })
	e := newEnv(t)
	admin := e.setUp()
	other := e.otherDesk()
	for i := 0; i < 7; i++ {
		e.receivedAt(e.svc, admin, "Người nộp")
	}
	e.signIn(admin)
	s := e.ui.shell
	s.go_("dossiers")
	ds := s.screens["dossiers"].(*dossiersScreen)
	ds.wantMore()
	ds.wantMore()
	if len(ds.rows) != 7 || ds.next != "" {
		t.Fatalf("scrolled to the end: %d rows, next %q", len(ds.rows), ds.next)
	}
	before := ds.codes()
	d := e.receivedAt(other, admin, "Người nộp mới")
	e.pumpLive("the new receipt on top of the loaded rows", func() bool { return len(ds.rows) == 8 })
	if got := ds.codes(); got[0] != d.Code || !slices.Equal(got[1:], before) {
		t.Errorf("after the refresh: %v, want %s then %v", got, d.Code, before)
	}
}
