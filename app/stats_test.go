package app_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
	"motcua/storage"
)

// statsOffice is an office on a real bbolt file, driven through the use cases
// with a fixed clock, for the statistics tests.
type statsOffice struct {
	t               *testing.T
	db              *storage.DB
	svc             *app.Service
	clk             *app.FixedClock
	rec, spec, lead *app.User
}

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, app.Vietnam)
}

func newStatsOffice(t *testing.T) *statsOffice {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "stats.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &app.FixedClock{T: at(2025, 5, 2, 8, 0)}
	o := &statsOffice{t: t, db: db, svc: app.NewService(db, clk), clk: clk}
	admin, err := o.svc.Setup(app.SetupInput{
		Agency: app.Agency{Code: "000.00.01.H56", Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Place: "Tân Lập"},
		Admin:  app.UserInput{Username: "admin", FullName: "Lê Văn Quản", Password: "mật khẩu đủ dài"},
	})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, r app.Role) *app.User {
		if err := o.svc.SaveUser(admin, app.UserInput{Username: name, FullName: "Cán bộ " + name, Unit: "Tư pháp - Hộ tịch", Roles: []app.Role{r}, Password: "12345678"}); err != nil {
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

func (o *statsOffice) at(t time.Time) { o.clk.T = t }

func (o *statsOffice) ok(_ *app.Dossier, err error) {
	o.t.Helper()
	if err != nil {
		o.t.Fatal(err)
	}
}

// receive takes in a complete dossier of proc at t.
func (o *statsOffice) receive(proc string, ch app.Channel, t time.Time) string {
	o.t.Helper()
	p, err := o.svc.Procedure(proc)
	if err != nil {
		o.t.Fatal(err)
	}
	in := app.ReceiveInput{ProcedureCode: proc, Channel: ch,
		Applicant: app.Person{FullName: "Trần Thị Bích Ngọc", IDType: app.IDCCCD, IDNumber: "038190001234", Address: "Thôn Đông, xã Tân Lập"}}
	for _, d := range p.Documents {
		if d.Required {
			in.Documents = append(in.Documents, app.SubmittedDocument{Name: d.Name, Originals: 1})
		}
	}
	o.at(t)
	d, err := o.svc.Receive(o.rec, in)
	if err != nil {
		o.t.Fatal(err)
	}
	return d.Code
}

func (o *statsOffice) handover(code string, t time.Time) {
	o.t.Helper()
	o.at(t)
	o.ok(o.svc.Handover(o.rec, code, app.HandoverInput{ToUser: "chuyenvien"}))
}

// resolve takes a dossier from received to resolved, the result recorded at t.
func (o *statsOffice) resolve(code string, t time.Time) {
	o.t.Helper()
	o.handover(code, t.Add(-30*time.Minute))
	o.ok(o.svc.SubmitForApproval(o.spec, code, "Đủ điều kiện giải quyết"))
	o.ok(o.svc.Approve(o.lead, code, ""))
	o.at(t)
	o.ok(o.svc.RecordResult(o.spec, code, app.ResultInput{Kind: "Giấy xác nhận", Number: "12/2025", Date: t.Format("2006-01-02"), Signer: "Chủ tịch UBND xã"}))
}

func (o *statsOffice) due(code string) time.Time {
	o.t.Helper()
	d, err := o.svc.Dossier(code)
	if err != nil {
		o.t.Fatal(err)
	}
	return d.StatsDue
}

const (
	procA = "1.004873" // Cấp Giấy xác nhận tình trạng hôn nhân, Hộ tịch, 3 working days
	procB = "2.000815" // Chứng thực bản sao từ bản chính, Chứng thực, same day (cut-off 15:00)
	procC = "1.004194" // Đăng ký tạm trú, Cư trú, 3 working days
)

// handDataset drives 17 dossiers through the use cases around the reporting
// month of June 2025 (cut-off 15: 15/5/2025 – 14/6/2025). No holiday falls
// between 5/5 and 20/6/2025. The comment of each one says where it must be
// counted in June.
func handDataset(t *testing.T) *statsOffice {
	o := newStatsOffice(t)
	ip, on, post := app.ChannelInPerson, app.ChannelOnline, app.ChannelPostal

	// D1 A: received Mon 5/5 09:00, due Thu 8/5 09:00, resolved Wed 7/5: early, before June: nowhere.
	d1 := o.receive(procA, ip, at(2025, 5, 5, 9, 0))
	o.resolve(d1, at(2025, 5, 7, 10, 0))
	// D2 A: received Mon 12/5 09:00, due Thu 15/5 09:00, resolved 15/5 08:30 and returned:
	// carried over, resolved on time.
	d2 := o.receive(procA, ip, at(2025, 5, 12, 9, 0))
	o.resolve(d2, at(2025, 5, 15, 8, 30))
	o.ok(o.svc.Return(o.rec, d2, app.ReturnInput{To: "Trần Thị Bích Ngọc"}))
	// D3 A: received Tue 13/5 10:00; supplement requested 13/5 14:00 (before June: not counted),
	// received back Wed 14/5 09:00 → restart: due Mon 19/5 09:00; resolved 19/5 10:00:
	// carried over, late.
	d3 := o.receive(procA, ip, at(2025, 5, 13, 10, 0))
	o.handover(d3, at(2025, 5, 13, 13, 30))
	o.at(at(2025, 5, 13, 14, 0))
	o.ok(o.svc.RequestSupplement(o.spec, d3, app.SupplementInput{Items: []string{"Bản sao CCCD"}, Reason: "Thiếu giấy tờ"}))
	o.at(at(2025, 5, 14, 9, 0))
	o.ok(o.svc.ReceiveSupplement(o.rec, d3, ""))
	o.at(at(2025, 5, 19, 10, 0))
	o.ok(o.svc.SubmitForApproval(o.spec, d3, "Đủ điều kiện"))
	o.ok(o.svc.Approve(o.lead, d3, ""))
	o.ok(o.svc.RecordResult(o.spec, d3, app.ResultInput{Kind: "Giấy xác nhận", Number: "13/2025", Date: "2025-05-19", Signer: "Chủ tịch UBND xã"}))
	// D4 C: received Wed 14/5 14:00, due Mon 19/5 14:00, never finished: carried over, open overdue.
	d4 := o.receive(procC, ip, at(2025, 5, 14, 14, 0))
	o.handover(d4, at(2025, 5, 14, 15, 0))
	// D5 A: received Wed 14/5 09:00, due Mon 19/5 09:00; apology on 16/5 with a new date 20/6
	// (statistics keep 19/5); resolved Tue 17/6, after June: carried over, open overdue at the end.
	d5 := o.receive(procA, ip, at(2025, 5, 14, 9, 0))
	o.handover(d5, at(2025, 5, 14, 10, 0))
	o.at(at(2025, 5, 16, 9, 0))
	o.ok(o.svc.Delay(o.spec, d5, "Cần xác minh thêm", at(2025, 6, 20, 17, 0)))
	o.at(at(2025, 6, 17, 10, 0))
	o.ok(o.svc.SubmitForApproval(o.spec, d5, "Đủ điều kiện"))
	o.ok(o.svc.Approve(o.lead, d5, ""))
	o.ok(o.svc.RecordResult(o.spec, d5, app.ResultInput{Kind: "Giấy xác nhận", Number: "14/2025", Date: "2025-06-17", Signer: "Chủ tịch UBND xã"}))
	// D6 B in person: received Fri 16/5 09:00, due 16/5 17:00, resolved 10:00 and returned: new, on time.
	d6 := o.receive(procB, ip, at(2025, 5, 16, 9, 0))
	o.resolve(d6, at(2025, 5, 16, 10, 0))
	o.ok(o.svc.Return(o.rec, d6, app.ReturnInput{To: "Trần Thị Bích Ngọc"}))
	// D7 B online: received Mon 19/5 16:00 (after the 15:00 cut-off) → due Tue 20/5 17:00;
	// resolved 19/5 16:30: new online, early.
	d7 := o.receive(procB, on, at(2025, 5, 19, 16, 0))
	o.resolve(d7, at(2025, 5, 19, 16, 30))
	// D8 A online: received Mon 2/6 09:00 (due 5/6); supplement requested Tue 3/6, received back
	// Mon 9/6 09:00 → due Thu 12/6 09:00; resolved Fri 13/6: new online, late, 1 supplement.
	d8 := o.receive(procA, on, at(2025, 6, 2, 9, 0))
	o.handover(d8, at(2025, 6, 2, 10, 0))
	o.at(at(2025, 6, 3, 10, 0))
	o.ok(o.svc.RequestSupplement(o.spec, d8, app.SupplementInput{Items: []string{"Tờ khai có chữ ký"}, Reason: "Tờ khai chưa ký"}))
	o.at(at(2025, 6, 9, 9, 0))
	o.ok(o.svc.ReceiveSupplement(o.rec, d8, ""))
	o.at(at(2025, 6, 13, 10, 0))
	o.ok(o.svc.SubmitForApproval(o.spec, d8, "Đủ điều kiện"))
	o.ok(o.svc.Approve(o.lead, d8, ""))
	o.ok(o.svc.RecordResult(o.spec, d8, app.ResultInput{Kind: "Giấy xác nhận", Number: "15/2025", Date: "2025-06-13", Signer: "Chủ tịch UBND xã"}))
	// D9 C: received Tue 3/6 09:00, due Fri 6/6 09:00; supplement requested Wed 4/6, never
	// received back: new, open overdue, 1 supplement.
	d9 := o.receive(procC, ip, at(2025, 6, 3, 9, 0))
	o.handover(d9, at(2025, 6, 3, 10, 0))
	o.at(at(2025, 6, 4, 10, 0))
	o.ok(o.svc.RequestSupplement(o.spec, d9, app.SupplementInput{Items: []string{"Hợp đồng thuê nhà"}, Reason: "Thiếu giấy tờ chỗ ở"}))
	// D10 C: received Tue 10/6, stopped Wed 11/6: new, stopped.
	d10 := o.receive(procC, ip, at(2025, 6, 10, 9, 0))
	o.handover(d10, at(2025, 6, 10, 10, 0))
	o.at(at(2025, 6, 11, 10, 0))
	o.ok(o.svc.Stop(o.lead, d10, "Không đủ điều kiện đăng ký tạm trú", "Luật Cư trú 2020"))
	// D11 A: received Wed 11/6, withdrawn Thu 12/6: new, withdrawn.
	d11 := o.receive(procA, ip, at(2025, 6, 11, 9, 0))
	o.at(at(2025, 6, 12, 9, 0))
	o.ok(o.svc.Withdraw(o.rec, d11, "Đơn xin rút hồ sơ"))
	// D12 A: received Thu 12/6 10:00, due Tue 17/6 10:00, open: new, open within time.
	d12 := o.receive(procA, ip, at(2025, 6, 12, 10, 0))
	// D13 B by post: received Fri 13/6 09:00, due 13/6 17:00, open: new (in person/post), open overdue.
	d13 := o.receive(procB, post, at(2025, 6, 13, 9, 0))
	// D14 A: received Wed 14/5 16:00, withdrawn Fri 16/5: carried over, withdrawn.
	d14 := o.receive(procA, ip, at(2025, 5, 14, 16, 0))
	o.at(at(2025, 5, 16, 10, 0))
	o.ok(o.svc.Withdraw(o.rec, d14, "Đơn xin rút hồ sơ"))
	// D15 A: received Mon 16/6, after June: nowhere.
	o.receive(procA, ip, at(2025, 6, 16, 9, 0))
	// D16 C: refused at intake on 5/6: never counted.
	o.at(at(2025, 6, 5, 9, 0))
	in := app.ReceiveInput{ProcedureCode: procC, Applicant: app.Person{FullName: "Lê Văn Tám", IDType: app.IDCCCD, IDNumber: "038090001111"}}
	o.ok(o.svc.RefuseAtIntake(o.rec, in, "Không thuộc thẩm quyền"))
	// D17 C: received Mon 12/5, stopped Tue 13/5, before June: nowhere.
	d17 := o.receive(procC, ip, at(2025, 5, 12, 10, 0))
	o.handover(d17, at(2025, 5, 12, 11, 0))
	o.at(at(2025, 5, 13, 10, 0))
	o.ok(o.svc.Stop(o.lead, d17, "Người yêu cầu không bổ sung", ""))

	// The premises of the hand computation.
	for _, c := range []struct {
		code string
		due  time.Time
	}{
		{d2, at(2025, 5, 15, 9, 0)}, {d3, at(2025, 5, 19, 9, 0)}, {d4, at(2025, 5, 19, 14, 0)},
		{d5, at(2025, 5, 19, 9, 0)}, {d7, at(2025, 5, 20, 17, 0)}, {d8, at(2025, 6, 12, 9, 0)},
		{d9, at(2025, 6, 6, 9, 0)}, {d12, at(2025, 6, 17, 10, 0)}, {d13, at(2025, 6, 13, 17, 0)},
		{d14, at(2025, 5, 19, 16, 0)},
	} {
		if got := o.due(c.code); !got.Equal(c.due) {
			t.Fatalf("%s: StatsDue %v, want %v", c.code, got, c.due)
		}
	}
	o.at(at(2025, 6, 20, 15, 0)) // the report is made on Fri 20/6
	return o
}

// row is a report line written out by hand: carried, online, in person/post,
// early, on time, late, within, overdue, supplement, stopped, withdrawn.
type row [11]int

func rowOf(r app.ReportRow) row {
	return row{r.CarriedOver, r.NewOnline, r.NewOther, r.Early, r.OnTime, r.Late, r.OpenWithin, r.OpenOverdue,
		r.Supplement, r.Stopped, r.Withdrawn}
}

func checkReport(t *testing.T, rep *app.Report, want map[string]row, total row) {
	t.Helper()
	got := map[string]bool{}
	for _, r := range rep.Rows {
		got[r.Key] = true
		w := want[r.Key] // absent: all zero
		if rowOf(r) != w {
			t.Errorf("row %s (%s):\n got %v\nwant %v", r.Key, r.Name, rowOf(r), w)
		}
		if r.Received() != r.Resolved()+r.Stopped+r.Withdrawn+r.Open() {
			t.Errorf("row %s does not balance: %+v", r.Key, r)
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("no row %s", k)
		}
	}
	if rowOf(rep.Total) != total {
		t.Errorf("total:\n got %v\nwant %v", rowOf(rep.Total), total)
	}
}

func TestStatisticsHandComputed(t *testing.T) {
	o := handDataset(t)
	june := app.PeriodMonth(2025, 6, 15)
	if !june.From.Equal(at(2025, 5, 15, 0, 0)) || !june.To.Equal(at(2025, 6, 15, 0, 0)) {
		t.Fatalf("June 2025 with cut-off 15: %v – %v", june.From, june.To)
	}
	if june.Label() != "Tháng 6 năm 2025" || june.Range() != "Từ ngày 15/05/2025 đến ngày 14/06/2025" {
		t.Errorf("labels %q %q", june.Label(), june.Range())
	}

	t.Run("June by field", func(t *testing.T) {
		rep, err := o.svc.Report(june, app.ByField)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Provisional || !rep.AsOf.Equal(june.To) || rep.Agency.Name != "UBND xã Tân Lập" {
			t.Errorf("provisional %v as of %v agency %q", rep.Provisional, rep.AsOf, rep.Agency.Name)
		}
		//                        carried onl oth  ear on  late with over supp stop wdr
		checkReport(t, rep, map[string]row{
			"Hộ tịch":    {4, 1, 2, 0, 1, 2, 1, 1, 1, 0, 2},  // D2 D3 D5 D14 carried; D8 online; D11 D12
			"Chứng thực": {0, 1, 2, 1, 1, 0, 0, 1, 0, 0, 0},  // D7 online early; D6 on time; D13 overdue
			"Cư trú":     {1, 0, 2, 0, 0, 0, 1, 1, 1, 1, 0}}, // D4 carried, overdue; D9 waits for the citizen (5): not overdue (§5.4); D10 stopped
			row{5, 2, 6, 1, 2, 2, 2, 3, 2, 1, 2})
		if len(rep.Rows) != 3 || rep.Rows[0].Key != "Chứng thực" || rep.Rows[2].Key != "Hộ tịch" {
			t.Errorf("row order %v", rep.Rows)
		}
		if tot := rep.Total; tot.Received() != 13 || tot.Resolved() != 5 || tot.Open() != 5 || tot.New() != 8 {
			t.Errorf("totals %+v", tot)
		}
	})

	t.Run("June by procedure", func(t *testing.T) {
		rep, err := o.svc.Statistics(at(2025, 5, 15, 0, 0), at(2025, 6, 15, 0, 0), app.ByProcedure)
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, rep, map[string]row{
			procA: {4, 1, 2, 0, 1, 2, 1, 1, 1, 0, 2},
			procB: {0, 1, 2, 1, 1, 0, 0, 1, 0, 0, 0},
			procC: {1, 0, 2, 0, 0, 0, 1, 1, 1, 1, 0}},
			row{5, 2, 6, 1, 2, 2, 2, 3, 2, 1, 2})
		if len(rep.Rows) != 10 { // every active catalogue procedure, with or without dossiers
			t.Errorf("%d rows, want the 10 catalogue procedures", len(rep.Rows))
		}
		for _, r := range rep.Rows {
			if r.Key == procA && (r.Name != "Cấp Giấy xác nhận tình trạng hôn nhân" || r.Field != "Hộ tịch") {
				t.Errorf("row A named %q in %q", r.Name, r.Field)
			}
		}
	})

	t.Run("May by procedure", func(t *testing.T) {
		// 15/4 – 14/5: D1 D2 D3 D4 D5 D14 D17 received; D1 early; D3's supplement; D17 stopped;
		// at 15/5 00:00 D2 D3 D5 D14 (A) and D4 (C) are open and none is due yet (D5's delay is
		// irrelevant: its statistics due is 19/5).
		rep, err := o.svc.Report(app.PeriodMonth(2025, 5, 15), app.ByProcedure)
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, rep, map[string]row{
			procA: {0, 0, 5, 1, 0, 0, 4, 0, 1, 0, 0},
			procC: {0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0}},
			row{0, 0, 7, 1, 0, 0, 5, 0, 1, 1, 0})
	})

	t.Run("July is provisional", func(t *testing.T) {
		// 15/6 – 14/7, made on 20/6: measured at the end of 20/6. Carried: D4 D5 D9 D12 D13;
		// new: D15 (due Thu 19/6 09:00); D5 resolved late on 17/6; every open one is overdue but D9, which
		// waits for the citizen's supplement (§5.4).
		rep, err := o.svc.Report(app.PeriodMonth(2025, 7, 15), app.ByField)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Provisional || !rep.AsOf.Equal(at(2025, 6, 21, 0, 0)) {
			t.Errorf("provisional %v as of %v", rep.Provisional, rep.AsOf)
		}
		checkReport(t, rep, map[string]row{
			"Hộ tịch":    {2, 0, 1, 0, 0, 1, 0, 2, 0, 0, 0},
			"Chứng thực": {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0},
			"Cư trú":     {2, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}}, // D9 still waits for the citizen: within time
			row{5, 0, 1, 0, 0, 1, 1, 4, 0, 0, 0})
	})

	t.Run("weekly chart", func(t *testing.T) {
		ws, err := o.svc.Weekly(6)
		if err != nil {
			t.Fatal(err)
		}
		// Weeks from Mon 12/5 to Mon 16/6 (the current week).
		want := []struct {
			start                            time.Time
			received, resolved, onTime, late int
		}{
			{at(2025, 5, 12, 0, 0), 7, 2, 2, 0}, // D2 D3 D4 D5 D14 D17 D6; D2 D6 on time
			{at(2025, 5, 19, 0, 0), 1, 2, 1, 1}, // D7; D7 early, D3 late
			{at(2025, 5, 26, 0, 0), 0, 0, 0, 0},
			{at(2025, 6, 2, 0, 0), 2, 0, 0, 0},  // D8 D9 (D16 refused)
			{at(2025, 6, 9, 0, 0), 4, 1, 0, 1},  // D10 D11 D12 D13; D8 late
			{at(2025, 6, 16, 0, 0), 1, 1, 0, 1}, // D15; D5 late
		}
		if len(ws) != len(want) {
			t.Fatalf("%d weeks", len(ws))
		}
		for i, w := range want {
			g := ws[i]
			if !g.Start.Equal(w.start) || g.Received != w.received || g.Resolved != w.resolved || g.OnTime != w.onTime || g.Late != w.late {
				t.Errorf("week %d: got %+v, want %+v", i, g, w)
			}
		}
		if r := ws[1].OnTimeRate(); r != 50 {
			t.Errorf("on-time rate %v", r)
		}
	})

	t.Run("register rows", func(t *testing.T) {
		ds, err := o.svc.RegisterDossiers(june.From, june.To)
		if err != nil {
			t.Fatal(err)
		}
		// D6 16/5, D7 19/5, D8 2/6, D9 3/6, D16 (refused) 5/6, D10 10/6, D11 11/6, D12 12/6, D13 13/6.
		var got []string
		for _, d := range ds {
			got = append(got, d.ReceivedAt.Format("02/01")+" "+string(d.State))
		}
		want := []string{"16/05 returned", "19/05 resolved", "02/06 resolved", "03/06 supplement", "05/06 refused",
			"10/06 stopped", "11/06 withdrawn", "12/06 received", "13/06 received"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("register rows\n got %v\nwant %v", got, want)
		}
	})

	t.Run("rebuild gives the same counters", func(t *testing.T) {
		before, err := o.svc.Report(june, app.ByProcedure)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.db.RebuildStats(); err != nil {
			t.Fatal(err)
		}
		after, err := o.svc.Report(june, app.ByProcedure)
		if err != nil {
			t.Fatal(err)
		}
		for i := range before.Rows {
			if before.Rows[i] != after.Rows[i] {
				t.Errorf("row %d: %+v after rebuild, %+v before", i, after.Rows[i], before.Rows[i])
			}
		}
	})
}

func TestPeriods(t *testing.T) {
	d := func(p app.Period) string { return p.From.Format("2006-01-02") + ".." + p.Last().Format("2006-01-02") }
	cases := []struct {
		p           app.Period
		span, label string
	}{
		{app.PeriodMonth(2026, 1, 15), "2025-12-15..2026-01-14", "Tháng 01 năm 2026"},
		{app.PeriodMonth(2026, 3, 1), "2026-03-01..2026-03-31", "Tháng 3 năm 2026"},
		{app.PeriodQuarter(2026, 1, 15), "2025-12-15..2026-03-14", "Quý I năm 2026"},
		{app.PeriodQuarter(2026, 4, 15), "2026-09-15..2026-12-14", "Quý IV năm 2026"},
		{app.PeriodQuarter(2026, 2, 0), "2026-04-01..2026-06-30", "Quý II năm 2026"},
		{app.PeriodHalf(2026, 1, 15), "2025-12-15..2026-06-14", "6 tháng đầu năm 2026"},
		{app.PeriodHalf(2026, 2, 20), "2026-06-20..2026-12-19", "6 tháng cuối năm 2026"},
		{app.PeriodYear(2026, 15), "2025-12-15..2026-12-14", "Năm 2026"},
		{app.PeriodYear(2024, 1), "2024-01-01..2024-12-31", "Năm 2024"},
		{app.PeriodCustom(at(2026, 2, 3, 15, 0), at(2026, 2, 1, 8, 0)), "2026-02-01..2026-02-03", "Từ ngày 01/02/2026 đến ngày 03/02/2026"},
	}
	for _, c := range cases {
		if got := d(c.p); got != c.span || c.p.Label() != c.label {
			t.Errorf("%s %q, want %s %q", got, c.p.Label(), c.span, c.label)
		}
	}
	if day := app.DayOf(at(2025, 1, 1, 0, 0)); day.Time() != at(2025, 1, 1, 0, 0) || app.DayOf(at(2024, 12, 31, 23, 59)) != day-1 {
		t.Errorf("DayOf is not the Vietnam date")
	}
}

// naiveReport computes the report rows by looking at every dossier: the
// definition the counters must agree with.
//
// Viewed before the period ends (now non-zero), a dossier due later today
// is not yet overdue.
func naiveReport(ds []app.Dossier, from, to time.Time, by app.GroupBy, now ...time.Time) map[string]row {
	out := map[string]row{}
	for i := range ds {
		d := &ds[i]
		if d.State == app.StateSubmitted || d.State == app.StateRefused || d.Reference != "" {
			continue
		}
		key := d.Field
		if key == "" {
			key = app.OtherField
		}
		if by == app.ByProcedure {
			key = d.ProcedureCode
		}
		r := out[key]
		ended := d.State.Finished() || d.State == app.StateStopped || d.State == app.StateWithdrawn
		in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
		openAt := func(t time.Time) bool { return d.ReceivedAt.Before(t) && (!ended || !d.FinishedAt.Before(t)) }
		if openAt(from) {
			r[0]++
		}
		if in(d.ReceivedAt) {
			if d.Channel == app.ChannelOnline {
				r[1]++
			} else {
				r[2]++
			}
		}
		if ended && in(d.FinishedAt) {
			switch {
			case d.State == app.StateStopped:
				r[9]++
			case d.State == app.StateWithdrawn:
				r[10]++
			default:
				switch app.Classify(d.FinishedAt, d.StatsDue) {
				case app.OutcomeEarly:
					r[3]++
				case app.OutcomeOnTime:
					r[4]++
				case app.OutcomeLate:
					r[5]++
				}
			}
		}
		if openAt(to) {
			laterToday := len(now) > 0 && app.DayOf(d.StatsDue) == app.DayOf(now[0]) && d.StatsDue.After(now[0])
			if !d.StatsDue.IsZero() && d.StatsDue.Before(to) && !laterToday && !app.Waiting(d.State) {
				r[7]++
			} else {
				r[6]++
			}
		}
		for _, s := range d.Supplements {
			if in(s.RequestedAt) {
				r[8]++
			}
		}
		out[key] = r
	}
	return out
}

// TestStatisticsMatchFullScan checks the counters against naiveReport on
// generated dossiers, after a bulk load, after changes through PutDossier and
// after a rebuild, for many periods.
func TestStatisticsMatchFullScan(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 1500
	}
	const agency = "000.00.01.H56"
	ds := testgen.Dossiers(n, 7, agency)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range ds {
		d := &ds[i]
		switch x := r.IntN(100); {
		case x < 12: // supplement rounds between receipt and the end (or GenEnd)
			end := testgen.End
			if !d.FinishedAt.IsZero() {
				end = d.FinishedAt
			}
			for k := 0; k < 1+r.IntN(2); k++ {
				at := d.ReceivedAt.Add(time.Duration(r.Int64N(int64(end.Sub(d.ReceivedAt)) + 1)))
				d.Supplements = append(d.Supplements, app.SupplementRound{N: k + 1, RequestedAt: at})
			}
		case x < 15:
			d.Reference = "000.00.02.H56-250101-0001" // received by transfer: not counted here
		case x < 17:
			d.Field = ""
		case x < 22:
			d.Channel = app.ChannelPostal
		}
	}
	db, err := storage.Open(filepath.Join(t.TempDir(), "gen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.BulkLoad(ds, 500); err != nil {
		t.Fatal(err)
	}
	clk := &app.FixedClock{T: testgen.End.AddDate(1, 0, 0)}
	svc := app.NewService(db, clk)

	check := func(stage string) {
		t.Helper()
		var periods []app.Period
		for y := 2023; y <= 2026; y++ {
			periods = append(periods, app.PeriodYear(y, 15), app.PeriodHalf(y, 1+r.IntN(2), 1), app.PeriodQuarter(y, 1+r.IntN(4), 15))
		}
		for k := 0; k < 12; k++ {
			a := testgen.End.AddDate(-3, 0, r.IntN(3*365+30))
			periods = append(periods, app.PeriodCustom(a, a.AddDate(0, 0, r.IntN(120))), app.PeriodMonth(2022+r.IntN(4), time.Month(1+r.IntN(12)), 15))
		}
		for _, p := range periods {
			for _, by := range []app.GroupBy{app.ByField, app.ByProcedure} {
				rep, err := svc.Report(p, by)
				if err != nil {
					t.Fatal(err)
				}
				want := naiveReport(ds, p.From, p.To, by)
				var total row
				for _, w := range want {
					for i := range w {
						total[i] += w[i]
					}
				}
				for _, got := range rep.Rows {
					if rowOf(got) != want[got.Key] {
						t.Errorf("%s: %s %v by %d row %s:\n got %v\nwant %v", stage, p.Label(), p.From.Format("2006-01-02"), by, got.Key, rowOf(got), want[got.Key])
					}
					delete(want, got.Key)
				}
				for k, w := range want {
					if w != (row{}) {
						t.Errorf("%s: %s: no row %s, want %v", stage, p.Label(), k, w)
					}
				}
				if rowOf(rep.Total) != total {
					t.Errorf("%s: %s total %v, want %v", stage, p.Label(), rowOf(rep.Total), total)
				}
			}
		}
	}
	check("bulk load")

	// Changes through PutDossier: finish open ones, reopen the clock of others by a
	// supplement, move due dates, turn submissions into received dossiers.
	err = db.Update(func(tx app.Tx) error {
		for k := 0; k < n/10; k++ {
			i := r.IntN(len(ds))
			d := &ds[i]
			switch {
			case d.State.Open():
				d.FinishedAt = d.ReceivedAt.Add(time.Duration(r.IntN(40*24)) * time.Hour)
				d.State = []app.State{app.StateResolved, app.StateReturned, app.StateStopped, app.StateWithdrawn}[r.IntN(4)]
				if d.State.Finished() {
					d.Outcome = app.Classify(d.FinishedAt, d.StatsDue)
				}
			case d.State == app.StateSubmitted:
				d.State = app.StateReceived
				d.StatsDue = d.ReceivedAt.Add(72 * time.Hour)
			case d.State.Finished():
				d.StatsDue = d.StatsDue.Add(time.Duration(r.IntN(96)-48) * time.Hour)
				d.Outcome = app.Classify(d.FinishedAt, d.StatsDue)
				d.Supplements = append(d.Supplements, app.SupplementRound{N: len(d.Supplements) + 1, RequestedAt: d.ReceivedAt})
			default:
				d.ProcedureCode, d.Field = "1.004194", "Cư trú"
			}
			d.Status = d.State.Code()
			d.Version++
			if err := tx.PutDossier(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check("after updates")
	if err := db.RebuildStats(); err != nil {
		t.Fatal(err)
	}
	check("after rebuild")

	// A period that has not ended is measured at the end of today.
	clk.T = testgen.End.AddDate(0, 0, -20).Add(10 * time.Hour)
	rep, err := svc.Report(app.PeriodQuarter(2025, 4, 15), app.ByField)
	if err != nil {
		t.Fatal(err)
	}
	end := app.DayOf(clk.T).Time().AddDate(0, 0, 1)
	if !rep.Provisional || !rep.AsOf.Equal(end) {
		t.Fatalf("provisional %v as of %v", rep.Provisional, rep.AsOf)
	}
	want := naiveReport(ds, rep.Period.From, end, app.ByField, clk.T)
	for _, got := range rep.Rows {
		if rowOf(got) != want[got.Key] {
			t.Errorf("provisional row %s: got %v, want %v", got.Key, rowOf(got), want[got.Key])
		}
	}
}
