package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"motcua/app"
)

// received stores a dossier through the use case, as the counter would.
func (e *env) received(u *app.User) *app.Dossier {
	e.t.Helper()
	d, err := e.svc.Receive(u, app.ReceiveInput{ProcedureCode: "1.004873", Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Đỗ Thị Mai", IDType: app.IDCCCD, IDNumber: "038190004321", Phone: "0987654321"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}})
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func buttonActions(s *detailScreen) []app.Action {
	var out []app.Action
	for a := range s.buttons {
		out = append(out, a)
	}
	return out
}

func TestDetailShowsExactlyTheAvailableActions(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp() // holds every role
	d := e.received(admin)
	e.signIn(admin)
	e.ui.shell.openDossier(d.Code)
	s := e.ui.shell.detail
	want := app.Available(d.State, admin)
	for _, a := range buttonActions(s) {
		if !slices.Contains(want, a) {
			t.Errorf("button %s is not allowed by the workflow", a)
		}
	}
	for _, a := range want {
		if _, ok := s.buttons[a]; !ok && a != app.ActTransfer {
			t.Errorf("allowed action %s has no button", a)
		}
	}

	// A receiver-only official sees no processing actions.
	rcv := e.receiver(admin)
	e.ui.shell.openDossier(d.Code)
	s = e.ui.shell.detail
	for _, a := range buttonActions(s) {
		if !app.MayPerform(rcv, a) {
			t.Errorf("receiver sees %s", a)
		}
	}
}

func TestDetailActionsRefuseBadInputAndApplyGoodInput(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	e.signIn(admin)
	e.ui.shell.openDossier(d.Code)
	s := e.ui.shell.detail

	// Handover to the only specialist (the admin holds every role).
	test.Tap(s.buttons[app.ActHandover])
	f := e.ui.lastForm
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("handover refused: %q", f.errLine.Text)
	}
	if got, _ := e.svc.Dossier(d.Code); got.State != app.StateProcessing || len(got.Legs) != 1 {
		t.Fatalf("after handover: %s, %d legs", got.State, len(got.Legs))
	}
	if !strings.Contains(s.state.Text, "Đang xử lý") {
		t.Errorf("state line not refreshed: %q", s.state.Text)
	}

	// Supplement without items: refused in the dialog, nothing stored.
	test.Tap(s.buttons[app.ActRequestSupplement])
	f = e.ui.lastForm
	test.Tap(f.submit)
	if f.done || f.fields[0].message() != "Liệt kê giấy tờ cần bổ sung" {
		t.Errorf("empty supplement: done=%v message=%q", f.done, f.fields[0].message())
	}
	f.dlg.Hide()

	// Delay to a date before the current appointment: the domain refuses it in Vietnamese.
	test.Tap(s.buttons[app.ActDelay])
	f = e.ui.lastForm
	test.Type(f.fields[0].entry, "Phải xác minh tại nơi cư trú trước")
	test.Type(f.fields[1].entry, "01/01/2025")
	test.Tap(f.submit)
	if f.done || f.fields[1].message() != "Ngày hẹn mới phải sau ngày hẹn hiện tại" {
		t.Errorf("delay to the past: done=%v message=%q line=%q", f.done, f.fields[1].message(), f.errLine.Text)
	}
	f.dlg.Hide()
	if got, _ := e.svc.Dossier(d.Code); len(got.Delays) != 0 {
		t.Error("a refused delay was stored")
	}

	// Draft → approve → result → return with an 11-digit CCCD, then a good one.
	test.Tap(s.buttons[app.ActSubmitApproval])
	f = e.ui.lastForm
	test.Type(f.fields[0].entry, "Đủ điều kiện cấp giấy xác nhận")
	test.Tap(f.submit)
	test.Tap(s.buttons[app.ActApprove])
	test.Tap(e.ui.lastForm.submit)
	test.Tap(s.buttons[app.ActRecordResult])
	f = e.ui.lastForm
	test.Type(f.fields[1].entry, "125/2025/XNTTHN")
	test.Type(f.fields[3].entry, "Phạm Quốc Việt")
	test.Tap(f.submit)
	if !f.done {
		t.Fatalf("result refused: %q", f.errLine.Text)
	}
	test.Tap(s.buttons[app.ActReturn])
	f = e.ui.lastForm
	f.fields[2].entry.SetText("03819000432") // 11 digits
	test.Tap(f.submit)
	if f.done || f.fields[2].message() != "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số" {
		t.Errorf("return with 11 digits: done=%v message=%q", f.done, f.fields[2].message())
	}
	if got, _ := e.svc.Dossier(d.Code); got.State != app.StateResolved {
		t.Fatalf("state after refused return = %s", got.State)
	}
	f.fields[2].entry.SetText("038190004321")
	f.fields[2].entry.OnSubmitted("") // Enter submits
	if !f.done {
		t.Fatalf("return refused: %q", f.errLine.Text)
	}
	got, _ := e.svc.Dossier(d.Code)
	if got.State != app.StateReturned || got.Return == nil || got.Return.To != "Đỗ Thị Mai" {
		t.Fatalf("after return: %s %+v", got.State, got.Return)
	}
	if len(s.buttons) != 1 || s.buttons[app.ActNote] == nil {
		t.Errorf("a returned dossier offers %v", buttonActions(s))
	}
}

func TestLegsNeverShowAnEmptyName(t *testing.T) {
	for _, c := range [][3]string{{"", "Bộ phận Một cửa", "Bộ phận Một cửa"}, {"Lê Văn Quản", "Tư pháp", "Lê Văn Quản (Tư pháp)"}, {"Lê Văn Quản", "", "Lê Văn Quản"}} {
		if got := whoAt(c[0], c[1]); got != c[2] || strings.Contains(got, " (") && strings.HasPrefix(got, " ") {
			t.Errorf("whoAt(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestDetailSaysWhoRecordsTheResultAfterApproval(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	rcv := e.receiver(admin)
	_ = rcv
	for _, step := range []func() error{
		func() error { _, err := e.svc.Handover(admin, d.Code, app.HandoverInput{ToUser: "admin"}); return err },
		func() error { _, err := e.svc.SubmitForApproval(admin, d.Code, "Đủ điều kiện"); return err },
		func() error { _, err := e.svc.Approve(admin, d.Code, ""); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	e.ui.shell.openDossier(d.Code) // as the receiver: no action here
	if txt := renderedText(e.ui.shell.detail.actions); !strings.Contains(txt, "ghi nhận kết quả") {
		t.Errorf("after approval the detail says:\n%s", txt)
	}
}

func TestDeletingAHolidayAsksFirst(t *testing.T) {
	e := newEnv(t)
	e.signIn(e.setUp())
	e.ui.shell.go_("settings")
	ss := e.ui.shell.screens["settings"].(*settingsScreen)
	ss.selectTab("calendar")
	cal := ss.calendar
	if len(cal.entries) == 0 {
		t.Fatal("no calendar entries")
	}
	date := cal.entries[0].Date
	cal.remove(date)
	if es, _ := e.svc.CalendarEntries(cal.year); len(es) != len(cal.entries) {
		t.Fatal("deleted without asking")
	}
	if !strings.Contains(e.ui.lastConfirm, "khỏi lịch") {
		t.Fatalf("no confirmation: %q", e.ui.lastConfirm)
	}
	test.Tap(topDialogButton(t, e, "Xóa"))
	es, _ := e.svc.CalendarEntries(cal.year)
	for _, x := range es {
		if x.Date == date {
			t.Error("confirmed, but the day is still there")
		}
	}
}

func TestQuittingWithAHalfFilledFormAsksFirst(t *testing.T) {
	e := newEnv(t)
	e.receiver(e.setUp())
	r := e.receiveScreen()
	r.name.entry.SetText("Phạm Thị Lan")
	e.ui.askClose()
	if !strings.Contains(e.ui.lastConfirm, "chưa được lưu") {
		t.Fatalf("closed without asking: %q", e.ui.lastConfirm)
	}
	if len(e.ui.win.Canvas().Overlays().List()) == 0 {
		t.Error("no confirmation on screen")
	}
}

func TestAnEmptyHandOverListSaysWhy(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	d := e.received(admin)
	// only a receiver: nobody can take the dossier
	users, _ := e.svc.Users()
	for _, x := range users {
		in := app.UserInput{Username: x.Username, FullName: x.FullName, Roles: []app.Role{app.RoleAdmin, app.RoleReceiver}}
		if err := e.svc.SaveUser(admin, in); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := e.svc.User(admin.Username)
	e.signIn(u)
	e.ui.shell.openDossier(d.Code)
	test.Tap(e.ui.shell.detail.buttons[app.ActHandover])
	if !strings.Contains(e.ui.lastInfo, "Người dùng") {
		t.Errorf("an empty hand-over list says %q", e.ui.lastInfo)
	}
}

// TestWaitingDossierIsNotMarkedLate: a dossier waiting for fees is the
// citizen's time (domain.md §5.4, issue 13.6): past its date, the detail and
// the dossier list do not mark it late, as the queues and statistics do not
// count it; a dossier being processed past its date is marked.
func TestWaitingDossierIsNotMarkedLate(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	waiting, late := e.received(admin), e.received(admin)
	for _, code := range []string{waiting.Code, late.Code} {
		if _, err := e.svc.Handover(admin, code, app.HandoverInput{ToUser: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.RequestPayment(admin, waiting.Code, []app.Fee{{Name: "Lệ phí", Amount: 50000}}); err != nil {
		t.Fatal(err)
	}
	e.clock.T = waiting.DueAt.Add(72 * time.Hour)
	e.signIn(admin)
	for _, c := range []struct {
		code string
		late bool
	}{{waiting.Code, false}, {late.Code, true}} {
		e.ui.shell.openDossier(c.code)
		txt := e.ui.shell.detail.due.Text
		if strings.Contains(txt, "QUÁ HẠN") != c.late {
			t.Errorf("%s (late %v): %q", c.code, c.late, txt)
		}
		if !c.late && !strings.Contains(txt, "đang chờ công dân") {
			t.Errorf("the waiting dossier's date says %q", txt)
		}
		d := e.ui.shell.detail.d
		row := &app.DossierSummary{Code: d.Code, State: d.State, DueAt: d.DueAt}
		if got := (&dossiersScreen{now: e.clock.T}).overdue(row); got != c.late {
			t.Errorf("%s in the list: overdue %v, want %v", c.code, got, c.late)
		}
	}
}
