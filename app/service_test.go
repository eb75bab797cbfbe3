package app_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"motcua/app"
	"motcua/storage"
)

// office is a configured office on a real bbolt file with a controllable clock.
type office struct {
	t     *testing.T
	db    *storage.DB
	st    app.Store // the store svc uses (db, or PostgreSQL in TestUseCasesOnPostgres)
	svc   *app.Service
	clk   *app.FixedClock
	admin *app.User
	rec   *app.User
	spec  *app.User
	lead  *app.User
}

func vn(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, app.Vietnam)
}

func newOffice(t *testing.T) *office {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &app.FixedClock{T: vn(2025, 4, 28, 9, 0)}
	var st app.Store = db
	if openTestStore != nil { // TestUseCasesOnPostgres: the same use cases on the shared store
		st = openTestStore(t)
	}
	o := &office{t: t, db: db, st: st, svc: app.NewService(st, clk), clk: clk}
	if officeHook != nil {
		officeHook(t, o.svc)
	}
	o.admin, err = o.svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H22", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH QUẢNG NINH", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, r app.Role) *app.User {
		if err := o.svc.SaveUser(o.admin, app.UserInput{Username: name, FullName: "Cán bộ " + name, Unit: "Tư pháp - Hộ tịch", Roles: []app.Role{r}, Password: "12345678"}); err != nil {
			t.Fatal(err)
		}
		u, err := o.svc.User(name)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	o.rec, o.spec, o.lead = mk("tiepnhan", app.RoleReceiver), mk("chuyenvien", app.RoleSpecialist), mk("lanhdao", app.RoleLeader)
	return o
}

func receiptInput(proc string) app.ReceiveInput {
	return app.ReceiveInput{ProcedureCode: proc, Channel: app.ChannelInPerson,
		Applicant: app.Person{FullName: "Nguyễn Thị Ánh Hằng", IDType: app.IDCCCD, IDNumber: "022190001234", Phone: "0912 345 678",
			Address: "Thôn Đông, xã Tân Lập"},
		Documents: []app.SubmittedDocument{{Name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", Originals: 1}}}
}

func (o *office) receive() *app.Dossier {
	o.t.Helper()
	d, err := o.svc.Receive(o.rec, receiptInput("1.004873"))
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

func TestReceiveGivesCodeDueDateAndRegisterRow(t *testing.T) {
	o := newOffice(t)
	d := o.receive()
	if d.Code != "000.00.01.H22-250428-0001" {
		t.Errorf("code %s", d.Code)
	}
	// 3 working days from Mon 28/4 09:00 over the 30/4 and 1/5 holidays (domain.md §5.3).
	if want := vn(2025, 5, 5, 9, 0); !d.DueAt.Equal(want) || !d.OriginalDue.Equal(want) {
		t.Errorf("due %v, want %v", d.DueAt, want)
	}
	if d.State != app.StateReceived || d.Status != app.StatusReceived || d.RegisterRow != 1 {
		t.Errorf("state %s status %d row %d", d.State, d.Status, d.RegisterRow)
	}
	if d.Applicant.Phone != "0912345678" {
		t.Errorf("phone not normalised: %q", d.Applicant.Phone)
	}
	d2 := o.receive()
	if d2.Code != "000.00.01.H22-250428-0002" || d2.RegisterRow != 2 {
		t.Errorf("second code %s row %d", d2.Code, d2.RegisterRow)
	}
	o.clk.T = vn(2025, 4, 29, 8, 0)
	if d3 := o.receive(); d3.Code != "000.00.01.H22-250429-0001" {
		t.Errorf("sequence does not restart each day: %s", d3.Code)
	}
	got, err := o.svc.Dossier(d.Code)
	if err != nil || len(got.History) != 1 || app.VerifyHistory(got.Code, got.History) != nil {
		t.Fatalf("history %+v, %v", got, err)
	}
}

func TestReceiveRefusesBadInputAndStoresNothing(t *testing.T) {
	o := newOffice(t)
	cases := []struct {
		name  string
		edit  func(*app.ReceiveInput)
		field string
	}{
		{"short CCCD", func(in *app.ReceiveInput) { in.Applicant.IDNumber = "02219000123" }, "applicant.id_number"},
		{"letters in CCCD", func(in *app.ReceiveInput) { in.Applicant.IDNumber = "02219000123A" }, "applicant.id_number"},
		{"bad province in CCCD", func(in *app.ReceiveInput) { in.Applicant.IDNumber = "099190001234" }, "applicant.id_number"},
		{"bad phone", func(in *app.ReceiveInput) { in.Applicant.Phone = "12345" }, "applicant.phone"},
		{"bad email", func(in *app.ReceiveInput) { in.Applicant.Email = "hang@" }, "applicant.email"},
		{"no name", func(in *app.ReceiveInput) { in.Applicant.FullName = "  " }, "applicant.full_name"},
		{"no procedure", func(in *app.ReceiveInput) { in.ProcedureCode = "9.999999" }, "procedure"},
		{"missing required document", func(in *app.ReceiveInput) { in.Documents = nil }, "documents"},
		{"negative count", func(in *app.ReceiveInput) { in.Documents[0].Copies = -1 }, "documents.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := receiptInput("1.004873")
			c.edit(&in)
			_, err := o.svc.Receive(o.rec, in)
			var e *app.Error
			if !errors.As(err, &e) || e.Kind != app.KindInvalid {
				t.Fatalf("want KindInvalid, got %v", err)
			}
			found := false
			for _, f := range e.Fields {
				found = found || f.Field == c.field
			}
			if !found || e.ID == "" {
				t.Errorf("fields %+v do not name %s", e.Fields, c.field)
			}
		})
	}
	counts, _ := o.svc.Counts()
	for s, n := range counts {
		if n != 0 {
			t.Errorf("%d dossiers in %s after refused input", n, s)
		}
	}
	// The first valid receipt still gets sequence 0001: refused input used no code.
	if d := o.receive(); d.Code != "000.00.01.H22-250428-0001" {
		t.Errorf("code %s", d.Code)
	}
}

func TestCMNDAcceptedWithWarning(t *testing.T) {
	w, err := app.CheckPersonalID(app.IDCMND, "123456789")
	if err != nil || w == "" {
		t.Fatalf("CMND: %q %v", w, err)
	}
}

func TestFullWorkflowToReturn(t *testing.T) {
	o := newOffice(t)
	d := o.receive()
	step := func(d *app.Dossier, err error) *app.Dossier {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(time.Hour)
		return d
	}
	d = step(o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien", Note: "Chuyển thẩm định"}))
	if d.State != app.StateProcessing || len(d.Legs) != 1 || d.Legs[0].ToUser.Username != "chuyenvien" || !d.Legs[0].Deadline.Equal(d.DueAt) {
		t.Fatalf("after handover: %s %+v", d.State, d.Legs)
	}
	d = step(o.svc.SubmitForApproval(o.spec, d.Code, "Đủ điều kiện cấp"))
	d = step(o.svc.SendBack(o.lead, d.Code, "Bổ sung ý kiến xác minh"))
	d = step(o.svc.SubmitForApproval(o.spec, d.Code, "Đã xác minh, đủ điều kiện"))
	d = step(o.svc.Approve(o.lead, d.Code, "Đồng ý"))
	d = step(o.svc.RecordResult(o.spec, d.Code, app.ResultInput{Kind: "Giấy xác nhận tình trạng hôn nhân", Number: "12/2025/XNTTHN", Date: "2025-04-28", Signer: "Phạm Quốc Việt"}))
	if d.State != app.StateResolved || d.Status != app.StatusResolved || d.Outcome != app.OutcomeEarly {
		t.Fatalf("after result: %s %d %s", d.State, d.Status, d.Outcome)
	}
	if len(d.Legs) != 2 || d.Legs[0].Outcome != app.OutcomeEarly || d.Legs[1].ToUnit != "Bộ phận Một cửa" {
		t.Errorf("legs %+v", d.Legs)
	}
	d = step(o.svc.Return(o.rec, d.Code, app.ReturnInput{Method: app.ReturnInPerson, To: "Nguyễn Thị Ánh Hằng", ToID: "022190001234"}))
	if d.State != app.StateReturned || d.Status != app.StatusReturned || d.Return == nil || d.ReturnedAt.IsZero() {
		t.Fatalf("after return: %+v", d)
	}
	got, _ := o.svc.Dossier(d.Code)
	if len(got.History) != 8 {
		t.Errorf("history has %d entries, want 8", len(got.History))
	}
	if b := app.VerifyHistory(got.Code, got.History); b != nil {
		t.Errorf("chain: %v", b)
	}
	// A finished dossier refuses further steps with a typed transition error.
	_, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"})
	var te *app.TransitionError
	if !errors.As(err, &te) || te.State != app.StateReturned || te.Action != app.ActHandover {
		t.Errorf("want transition error, got %v", err)
	}
}

func TestSupplementClockPolicies(t *testing.T) {
	for _, policy := range []app.ClockPolicy{app.ClockRestart, app.ClockPause} {
		t.Run(string(policy), func(t *testing.T) {
			o := newOffice(t)
			st, _ := o.svc.Settings()
			st.ClockPolicy = policy
			if err := o.svc.SaveSettings(o.admin, st); err != nil {
				t.Fatal(err)
			}
			o.clk.T = vn(2025, 5, 5, 9, 0) // Mon; 3 working days → Thu 8/5 09:00
			d := o.receive()
			if want := vn(2025, 5, 8, 9, 0); !d.DueAt.Equal(want) {
				t.Fatalf("due %v", d.DueAt)
			}
			if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
				t.Fatal(err)
			}
			o.clk.T = vn(2025, 5, 6, 9, 0) // requested Tue 09:00
			if _, err := o.svc.RequestSupplement(o.spec, d.Code, app.SupplementInput{Items: []string{"Bản sao giấy chứng tử"}, Reason: "Thiếu căn cứ"}); err != nil {
				t.Fatal(err)
			}
			o.clk.T = vn(2025, 5, 7, 9, 0) // received Wed 09:00: 8 working hours paused
			d, err := o.svc.ReceiveSupplement(o.rec, d.Code, "Đã nộp đủ")
			if err != nil {
				t.Fatal(err)
			}
			want := vn(2025, 5, 12, 9, 0) // restart: 3 working days from Wed 09:00 → Mon 12/5 09:00
			if policy == app.ClockPause {
				want = vn(2025, 5, 9, 9, 0) // pause: Thu 8/5 09:00 + 8 h → Fri 9/5 09:00
			}
			r := d.Supplements[0]
			if !d.DueAt.Equal(want) || !r.NewDue.Equal(want) || !r.PrevDue.Equal(vn(2025, 5, 8, 9, 0)) || !d.StatsDue.Equal(want) {
				t.Errorf("due %v new %v prev %v stats %v, want %v", d.DueAt, r.NewDue, r.PrevDue, d.StatsDue, want)
			}
			if !d.OriginalDue.Equal(vn(2025, 5, 8, 9, 0)) {
				t.Errorf("original due moved: %v", d.OriginalDue)
			}
		})
	}
}

// Waiting for fees is the citizen's time too (§5.4): the payment moves the
// appointment per the same policy as a supplement.
func TestPaymentClockPolicies(t *testing.T) {
	for _, policy := range []app.ClockPolicy{app.ClockRestart, app.ClockPause} {
		t.Run(string(policy), func(t *testing.T) {
			o := newOffice(t)
			st, _ := o.svc.Settings()
			st.ClockPolicy = policy
			if err := o.svc.SaveSettings(o.admin, st); err != nil {
				t.Fatal(err)
			}
			o.clk.T = vn(2025, 5, 5, 9, 0) // Mon; due Thu 8/5 09:00
			d := o.receive()
			if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
				t.Fatal(err)
			}
			o.clk.T = vn(2025, 5, 6, 9, 0)
			if _, err := o.svc.RequestPayment(o.spec, d.Code, []app.Fee{{Name: "Lệ phí", Amount: 8000}}); err != nil {
				t.Fatal(err)
			}
			o.clk.T = vn(2025, 5, 7, 9, 0) // paid Wed 09:00: 8 working hours waited
			d, err := o.svc.RecordPayment(o.rec, d.Code, "BL-1")
			if err != nil {
				t.Fatal(err)
			}
			want := vn(2025, 5, 12, 9, 0)
			if policy == app.ClockPause {
				want = vn(2025, 5, 9, 9, 0)
			}
			if !d.DueAt.Equal(want) || !d.StatsDue.Equal(want) || !d.Payment.NewDue.Equal(want) || !d.Payment.PrevDue.Equal(vn(2025, 5, 8, 9, 0)) {
				t.Errorf("due %v stats %v payment %+v, want %v", d.DueAt, d.StatsDue, d.Payment, want)
			}
		})
	}
}

func TestDelayKeepsStatisticsDate(t *testing.T) {
	o := newOffice(t)
	o.clk.T = vn(2025, 5, 5, 9, 0)
	d := o.receive()
	o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"})
	if _, err := o.svc.Delay(o.spec, d.Code, "", vn(2025, 5, 6, 9, 0)); !app.Is(err, app.KindInvalid) {
		t.Errorf("delay without reason and with an earlier date: %v", err)
	}
	d, err := o.svc.Delay(o.spec, d.Code, "Chờ kết quả xác minh", vn(2025, 5, 13, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !d.DueAt.Equal(vn(2025, 5, 13, 9, 0)) || !d.StatsDue.Equal(vn(2025, 5, 8, 9, 0)) || len(d.Delays) != 1 {
		t.Errorf("due %v stats %v delays %d", d.DueAt, d.StatsDue, len(d.Delays))
	}
	o.clk.T = vn(2025, 5, 12, 9, 0)
	o.svc.SubmitForApproval(o.spec, d.Code, "Dự thảo")
	o.svc.Approve(o.lead, d.Code, "")
	d, err = o.svc.RecordResult(o.spec, d.Code, app.ResultInput{Kind: "Giấy xác nhận", Number: "1", Date: "2025-05-12", Signer: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != app.OutcomeLate {
		t.Errorf("a delayed dossier finished after its original date is late in statistics, got %s", d.Outcome)
	}
}

func TestRefuseAndGuideAtIntake(t *testing.T) {
	o := newOffice(t)
	d, err := o.svc.RefuseAtIntake(o.rec, receiptInput("1.004873"), "Không thuộc thẩm quyền")
	if err != nil || d.State != app.StateRefused || d.Status != app.StatusRefused || !d.DueAt.IsZero() {
		t.Fatalf("refuse: %+v %v", d, err)
	}
	if _, err := o.svc.RefuseAtIntake(o.rec, receiptInput("1.004873"), " "); !app.Is(err, app.KindInvalid) {
		t.Errorf("refusal without reason: %v", err)
	}
	g, err := o.svc.GuideAtIntake(o.rec, app.GuideInput{ProcedureCode: "1.004873", Applicant: app.Person{FullName: "Trần Văn Bình"},
		Items: []string{"Giấy tờ chứng minh đã ly hôn"}, Reason: "Còn thiếu"})
	if err != nil || g.ID != "000.00.01.H22-250428-G0001" {
		t.Fatalf("guide: %+v %v", g, err)
	}
	counts, _ := o.svc.Counts()
	if counts[app.StateRefused] != 1 || counts[app.StateReceived] != 0 {
		t.Errorf("counts %v: guidance must not create a dossier", counts)
	}
}

func TestPaymentStopWithdraw(t *testing.T) {
	o := newOffice(t)
	a, b, c := o.receive(), o.receive(), o.receive()
	for _, d := range []*app.Dossier{a, b} {
		if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.svc.RequestPayment(o.spec, a.Code, []app.Fee{{Name: "Lệ phí", Amount: 0}}); !app.Is(err, app.KindInvalid) {
		t.Errorf("zero fee accepted: %v", err)
	}
	if _, err := o.svc.RequestPayment(o.spec, a.Code, []app.Fee{{Name: "Lệ phí", Amount: 15000}}); err != nil {
		t.Fatal(err)
	}
	d, err := o.svc.RecordPayment(o.rec, a.Code, "BL-0012")
	if err != nil || d.State != app.StateProcessing || len(d.Fees) != 1 || !d.Fees[0].Paid {
		t.Fatalf("payment: %+v %v", d, err)
	}
	d, err = o.svc.Stop(o.lead, b.Code, "Người yêu cầu đề nghị dừng", "Điều 14 Nghị định 118/2025/NĐ-CP")
	if err != nil || d.Status != app.StatusStopped || d.Outcome != app.OutcomeNone {
		t.Fatalf("stop: %+v %v", d, err)
	}
	d, err = o.svc.Withdraw(o.rec, c.Code, "Đơn xin rút hồ sơ")
	if err != nil || d.Status != app.StatusWithdrawn {
		t.Fatalf("withdraw: %+v %v", d, err)
	}
}

// TestEveryUseCaseChecksRoles calls each use case with a user lacking the
// role and expects a permission error, before any state is read or written.
func TestEveryUseCaseChecksRoles(t *testing.T) {
	o := newOffice(t)
	d := o.receive()
	nobody := &app.User{Username: "khach", FullName: "Khách", Roles: []app.Role{}}
	calls := map[string]func(u *app.User) error{
		"Receive":        func(u *app.User) error { _, err := o.svc.Receive(u, receiptInput("1.004873")); return err },
		"RefuseAtIntake": func(u *app.User) error { _, err := o.svc.RefuseAtIntake(u, receiptInput("1.004873"), "x"); return err },
		"GuideAtIntake":  func(u *app.User) error { _, err := o.svc.GuideAtIntake(u, app.GuideInput{}); return err },
		"Handover":       func(u *app.User) error { _, err := o.svc.Handover(u, d.Code, app.HandoverInput{}); return err },
		"RequestSupplement": func(u *app.User) error {
			_, err := o.svc.RequestSupplement(u, d.Code, app.SupplementInput{})
			return err
		},
		"ReceiveSupplement": func(u *app.User) error { _, err := o.svc.ReceiveSupplement(u, d.Code, ""); return err },
		"RequestPayment":    func(u *app.User) error { _, err := o.svc.RequestPayment(u, d.Code, nil); return err },
		"RecordPayment":     func(u *app.User) error { _, err := o.svc.RecordPayment(u, d.Code, ""); return err },
		"Stop":              func(u *app.User) error { _, err := o.svc.Stop(u, d.Code, "", ""); return err },
		"Withdraw":          func(u *app.User) error { _, err := o.svc.Withdraw(u, d.Code, ""); return err },
		"Delay":             func(u *app.User) error { _, err := o.svc.Delay(u, d.Code, "", time.Time{}); return err },
		"SubmitForApproval": func(u *app.User) error { _, err := o.svc.SubmitForApproval(u, d.Code, ""); return err },
		"Approve":           func(u *app.User) error { _, err := o.svc.Approve(u, d.Code, ""); return err },
		"SendBack":          func(u *app.User) error { _, err := o.svc.SendBack(u, d.Code, ""); return err },
		"RecordResult":      func(u *app.User) error { _, err := o.svc.RecordResult(u, d.Code, app.ResultInput{}); return err },
		"Return":            func(u *app.User) error { _, err := o.svc.Return(u, d.Code, app.ReturnInput{}); return err },
		"AddNote":           func(u *app.User) error { _, err := o.svc.AddNote(u, d.Code, "ghi chú"); return err },
		"SaveAgency":        func(u *app.User) error { return o.svc.SaveAgency(u, app.Agency{}) },
		"SaveSettings":      func(u *app.User) error { return o.svc.SaveSettings(u, app.DefaultSettings()) },
		"SaveUser":          func(u *app.User) error { return o.svc.SaveUser(u, app.UserInput{}) },
		"ResetPassword":     func(u *app.User) error { return o.svc.ResetPassword(u, "tiepnhan", "12345678") },
		"SaveProcedure":     func(u *app.User) error { return o.svc.SaveProcedure(u, app.Procedure{}) },
		"PutCalendarEntry":  func(u *app.User) error { return o.svc.PutCalendarEntry(u, app.CalendarEntry{}) },
		"DeleteCalendar":    func(u *app.User) error { return o.svc.DeleteCalendarEntry(u, "2025-01-01") },
		"RegenerateYear":    func(u *app.User) error { return o.svc.RegenerateYear(u, 2026) },
		"ImportCatalogue":   func(u *app.User) error { _, err := o.svc.ImportCatalogue(u, []byte("[]")); return err },
		"Transfer": func(u *app.User) error {
			_, err := o.svc.Transfer(u, d.Code, app.TransferInput{ToAgency: "000.00.00.H56", Purpose: app.PurposeProcess})
			return err
		},
		"Recall":         func(u *app.User) error { _, err := o.svc.Recall(u, d.Code, "thu hồi"); return err },
		"AcceptIncoming": func(u *app.User) error { _, err := o.svc.AcceptIncoming(u, "t-1"); return err },
		"RefuseIncoming": func(u *app.User) error { return o.svc.RefuseIncoming(u, "t-1", "không thuộc thẩm quyền") },
	}
	for name, call := range calls {
		if err := call(nobody); !app.Is(err, app.KindPermission) {
			t.Errorf("%s by a user without roles: %v", name, err)
		}
	}
	// Roles are not interchangeable: a specialist cannot return, a receiver cannot approve.
	if _, err := o.svc.Approve(o.rec, d.Code, ""); !app.Is(err, app.KindPermission) {
		t.Errorf("receiver approved: %v", err)
	}
	if err := o.svc.SaveSettings(o.lead, app.DefaultSettings()); !app.Is(err, app.KindPermission) {
		t.Errorf("leader changed settings: %v", err)
	}
}

func TestSignInLocksAfterFiveFailures(t *testing.T) {
	o := newOffice(t)
	if _, err := o.svc.SignIn("tiepnhan", "12345678"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, err := o.svc.SignIn("tiepnhan", "sai"); !app.Is(err, app.KindPermission) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := o.svc.SignIn("tiepnhan", "sai"); !app.Is(err, app.KindLocked) {
		t.Fatalf("fifth failure: %v", err)
	}
	if _, err := o.svc.SignIn("tiepnhan", "12345678"); !app.Is(err, app.KindLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	o.clk.Advance(16 * time.Minute)
	if _, err := o.svc.SignIn("TiepNhan", "12345678"); err != nil {
		t.Fatalf("after 16 minutes: %v", err)
	}
	if err := o.svc.ResetPassword(o.admin, "tiepnhan", "mật khẩu mới 2025"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SignIn("tiepnhan", "mật khẩu mới 2025"); err != nil {
		t.Fatal(err)
	}
}

func TestSearchProceduresWithoutDiacritics(t *testing.T) {
	o := newOffice(t)
	for q, want := range map[string]string{"khai sinh": "1.001193", "CHUNG THUC chu ky": "2.000884", "1.00487": "1.004873", "tạm trú": "1.004194"} {
		ps, err := o.svc.SearchProcedures(q)
		if err != nil || len(ps) == 0 || ps[0].Code != want {
			t.Errorf("%q → %v %v, want %s first", q, ps, err, want)
		}
	}
	fees, _ := o.svc.FeeFor("2.000815", app.FeeInput{Pages: 5, Copies: 2})
	if len(fees) != 1 || fees[0].Amount != 2*(2*2000+3*1000) {
		t.Errorf("chứng thực 5 pages × 2 copies: %+v", fees)
	}
}

func TestSeedDemoCoversEveryState(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := vn(2026, 11, 27, 10, 0)
	svc := app.NewService(db, &app.FixedClock{T: now})
	rec, err := svc.SeedDemo(now)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Has(app.RoleReceiver) {
		t.Error("demo sign-in is not the receiving officer")
	}
	counts, _ := svc.Counts()
	total := 0
	for _, s := range app.AllStates() {
		total += counts[s]
		if counts[s] == 0 && s != app.StateSubmitted && s != app.StateTransferred {
			t.Errorf("no demo dossier in state %s", s)
		}
	}
	if total < 55 || total > 65 {
		t.Errorf("%d demo dossiers", total)
	}
	over, _ := svc.Overdue(100)
	soon, _ := svc.DueSoon(100)
	if len(over) == 0 || len(soon) == 0 {
		t.Errorf("overdue %d, due soon %d: the demo must show both queues", len(over), len(soon))
	}
	if _, err := svc.SignIn("lanhdao", app.DemoPassword); err != nil {
		t.Error(err)
	}
}

// TestRightsAreReadAtEveryAction: a desk keeps the signed-in *User, but
// every workflow action reads the account again inside its transaction, so
// disabling it or taking a role away at another desk takes effect at once.
func TestRightsAreReadAtEveryAction(t *testing.T) {
	o := newOffice(t)
	other := app.NewService(o.db, o.clk) // the administrator's desk
	d := o.receive()
	if _, err := o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
		t.Fatal(err)
	}
	// The specialist loses the role at the other desk.
	if err := other.SaveUser(o.admin, app.UserInput{Username: "chuyenvien", FullName: o.spec.FullName, Roles: []app.Role{app.RoleReceiver}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SubmitForApproval(o.spec, d.Code, "dự thảo"); app.KindOf(err) != app.KindPermission {
		t.Fatalf("a role taken away still works: %v", err)
	}
	// The receiving officer is disabled at the other desk.
	if err := other.SaveUser(o.admin, app.UserInput{Username: "tiepnhan", FullName: o.rec.FullName, Roles: []app.Role{app.RoleReceiver}, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.AddNote(o.rec, d.Code, "ghi chú"); app.KindOf(err) != app.KindPermission {
		t.Fatalf("a disabled account still acts: %v", err)
	}
	got, _ := o.svc.Dossier(d.Code)
	if got.State != app.StateProcessing || len(got.History) != 2 {
		t.Errorf("refused actions changed the dossier: %s, %d entries", got.State, len(got.History))
	}
}
