package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/app"
	"motcua/storage"
)

// officeHook, when set, sees the service of every office the tests of this
// package create, before its database is closed (TestNoUseCaseTripsTheCheck).
var officeHook func(t *testing.T, s *app.Service)

// rawEditor edits records behind the app's back, as someone holding the
// database could. storage.Tamper implements it on bbolt; a PostgreSQL store
// adds its own implementation and runs the same tests through tamperOffice.
type rawEditor interface {
	EditDossier(code string, fn func(d *app.Dossier)) error
	DeleteDossier(code string) error
	DeleteHistory(code string) error
	DeleteHistoryEntry(code string, seq int) error
	RewriteHistory(code string, fn func(e *app.HistoryEntry) bool) error
	RewriteHeads(code string) error
	DeleteDigestsFrom(date string) error
	RebuildStats() error
}

// bboltEditor adds the counters' rebuild (a forger's tool) to storage.Tamper.
type bboltEditor struct {
	*storage.Tamper
	db *storage.DB
}

func (e bboltEditor) RebuildStats() error { return e.db.RebuildStats() }

// tamperOffice is an office on a real store and its raw editor.
func tamperOffice(t *testing.T) (*office, rawEditor) {
	o := newOffice(t)
	return o, bboltEditor{o.db.Tamper(), o.db}
}

// checkLines runs the full check and returns its findings as text.
func checkLines(t *testing.T, svc *app.Service) (*app.IntegrityReport, []string) {
	t.Helper()
	rep, err := svc.CheckIntegrityWith(app.CheckOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range rep.Breaks {
		out = append(out, b.String())
	}
	return rep, out
}

// TestNoUseCaseTripsTheCheck runs every use-case test of the package (every
// use case of app.Service, transfers between two offices, the demo data)
// and then the full check on every office they made: nothing is found.
func TestNoUseCaseTripsTheCheck(t *testing.T) {
	offices, dossiers := 0, 0
	officeHook = func(st *testing.T, s *app.Service) {
		offices++
		st.Cleanup(func() { // runs before the database is closed
			rep, lines := checkLines(st, s)
			if !rep.OK() {
				t.Errorf("%s: the check found:\n%s", st.Name(), strings.Join(lines, "\n"))
			}
			dossiers += rep.Dossiers
		})
	}
	defer func() { officeHook = nil }()
	tests := map[string]func(*testing.T){
		"Receive": TestReceiveGivesCodeDueDateAndRegisterRow, "ReceiveRefuses": TestReceiveRefusesBadInputAndStoresNothing,
		"CMND": TestCMNDAcceptedWithWarning, "FullWorkflow": TestFullWorkflowToReturn,
		"Supplement": TestSupplementClockPolicies, "Delay": TestDelayKeepsStatisticsDate,
		"RefuseGuide": TestRefuseAndGuideAtIntake, "PaymentStopWithdraw": TestPaymentStopWithdraw,
		"Roles": TestEveryUseCaseChecksRoles, "Demo": TestSeedDemoCoversEveryState,
		"TransferValidation": TestTransferValidation, "TransferRoundTrip": TestTransferRoundTripBetweenTwoOffices,
		"StaleEvents": TestApplyEventIgnoresStaleAndAsksForSnapshotOnGap, "Rejected": TestRejectedTransferComesBackToProcessing,
		"Recall": TestRecallMarksIncoming, "Snapshot": TestResyncSnapshotCreatesIncomingOnce,
		"ImportCatalogue": TestImportCatalogue, "ConcurrentReceipts": TestConcurrentReceiptsGiveDistinctGaplessCodes,
	}
	names := make([]string, 0, len(tests))
	for n := range tests {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if !t.Run(n, tests[n]) {
			t.Fatalf("%s failed", n)
		}
	}
	if offices < len(tests) || dossiers < 60 {
		t.Fatalf("only %d offices, %d dossiers checked", offices, dossiers)
	}
	t.Logf("%d offices, %d dossiers checked clean", offices, dossiers)
}

// ok fails the test on an error and returns the dossier.
func (o *office) ok(d *app.Dossier, err error) *app.Dossier {
	o.t.Helper()
	if err != nil {
		o.t.Fatal(err)
	}
	return d
}

func (o *office) resolve(code string) *app.Dossier {
	o.t.Helper()
	o.ok(o.svc.Handover(o.rec, code, app.HandoverInput{ToUser: "chuyenvien"}))
	o.ok(o.svc.SubmitForApproval(o.spec, code, "Đủ điều kiện"))
	o.ok(o.svc.Approve(o.lead, code, "Đồng ý"))
	return o.ok(o.svc.RecordResult(o.spec, code, app.ResultInput{Kind: "Giấy xác nhận tình trạng hôn nhân",
		Number: "1/2025", Date: o.svc.Now().Format("2006-01-02"), Signer: "Phạm Quốc Việt"}))
}

// TestTamperingIsNamed edits records behind the app's back — due date,
// statistics date, outcome, finished time, status; a deleted dossier; a
// deleted history entry; a deleted dossier with its history; a rewritten
// chain — and expects the full check to name each, with the field, and the
// days whose statistics counters no longer follow the records.
func TestTamperingIsNamed(t *testing.T) {
	o, raw := tamperOffice(t)
	rcv := func() *app.Dossier { o.clk.Advance(time.Minute); return o.receive() }
	a, b, c, d, e, f, g, h := rcv(), rcv(), rcv(), rcv(), rcv(), rcv(), rcv(), rcv()
	b = o.resolve(b.Code) // early, the day it was received
	o.ok(o.svc.Handover(o.rec, c.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	o.ok(o.svc.Handover(o.rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	o.ok(o.svc.Handover(o.rec, e.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	o.ok(o.svc.AddNote(o.rec, e.Code, "Công dân gọi điện hỏi"))
	o.ok(o.svc.Handover(o.rec, g.Code, app.HandoverInput{ToUser: "chuyenvien", Note: "Chuyển thẩm định"}))
	o.ok(o.svc.AddNote(o.spec, g.Code, "Đã xác minh"))
	// a is resolved two days after its appointment: late.
	o.clk.T = a.DueAt.Add(48 * time.Hour)
	a = o.resolve(a.Code)
	if a.Outcome != app.OutcomeLate || b.Outcome != app.OutcomeEarly {
		t.Fatalf("outcomes %s %s", a.Outcome, b.Outcome)
	}
	o.clk.Advance(24 * time.Hour)
	if rep, lines := checkLines(t, o.svc); !rep.OK() || rep.Digests < 2 || rep.StatsDays < 3 {
		t.Fatalf("clean office: %+v\n%s", rep, strings.Join(lines, "\n"))
	}

	// The edit of the issue: a late dossier made on time.
	edit := func(code string, fn func(d *app.Dossier)) {
		if err := raw.EditDossier(code, fn); err != nil {
			t.Fatal(err)
		}
	}
	edit(a.Code, func(d *app.Dossier) {
		d.DueAt, d.StatsDue, d.Outcome = d.FinishedAt.Add(24*time.Hour), d.FinishedAt.Add(24*time.Hour), app.OutcomeOnTime
	})
	edit(b.Code, func(d *app.Dossier) { d.FinishedAt = d.FinishedAt.Add(-3 * time.Hour) })
	edit(c.Code, func(d *app.Dossier) { d.State, d.Status = app.StateReturned, app.StatusReturned })
	edit(h.Code, func(d *app.Dossier) { d.StatsDue = d.StatsDue.AddDate(0, 0, 7) })
	if err := raw.DeleteDossier(d.Code); err != nil {
		t.Fatal(err)
	}
	if err := raw.DeleteHistoryEntry(e.Code, 2); err != nil {
		t.Fatal(err)
	}
	if err := raw.DeleteDossier(f.Code); err != nil {
		t.Fatal(err)
	}
	if err := raw.DeleteHistory(f.Code); err != nil {
		t.Fatal(err)
	}
	if err := raw.RewriteHistory(g.Code, func(e *app.HistoryEntry) bool {
		if e.Seq == 2 {
			e.Note = "Chuyển thẩm định (đã sửa)"
			return true
		}
		return false
	}); err != nil {
		t.Fatal(err)
	}

	rep, lines := checkLines(t, o.svc)
	all := strings.Join(lines, "\n")
	t.Logf("full check after tampering (%d dossiers, %d statistics days, %d digests):\n%s", rep.Dossiers, rep.StatsDays, rep.Digests, all)
	day0 := "28/04/2025"
	want := []string{
		a.Code + ": hẹn trả đã bị sửa ngoài chương trình",
		a.Code + ": hạn tính thống kê đã bị sửa ngoài chương trình",
		a.Code + ": kết quả đúng hạn/quá hạn đã bị sửa ngoài chương trình",
		b.Code + ": thời điểm giải quyết xong đã bị sửa ngoài chương trình",
		c.Code + ": mã trạng thái đã bị sửa ngoài chương trình",
		c.Code + ": trạng thái xử lý đã bị sửa ngoài chương trình",
		d.Code + ": hồ sơ đã bị xóa ngoài chương trình (lịch sử còn 2 mục)",
		e.Code + " #3: số thứ tự 3, cần 2 (mục bị xóa hoặc chèn)",
		f.Code + ": hồ sơ và lịch sử đã bị xóa ngoài chương trình (đầu chuỗi ngày " + day0 + " vẫn còn ghi)",
		g.Code + ": lịch sử ngày " + day0 + " khác với đầu chuỗi đã ghi của ngày đó (lịch sử bị viết lại ngoài chương trình)",
		h.Code + ": hạn tính thống kê đã bị sửa ngoài chương trình",
	}
	for _, w := range want {
		if !slices.Contains(lines, w) {
			t.Errorf("missing %q", w)
		}
	}
	// The counters: a's day of resolution still counts it late, the records now say on time.
	aDay := a.FinishedAt.Format("02/01/2006")
	if !strings.Contains(all, "stats: số liệu thống kê ngày "+aDay+" khác với hồ sơ (thủ tục 1.004873, giải quyết đúng hạn: sổ thống kê ghi 0, theo hồ sơ là 1; giải quyết quá hạn: sổ thống kê ghi 1, theo hồ sơ là 0") {
		t.Errorf("the day a was resolved is not named")
	}
	if !strings.Contains(all, "stats: số liệu thống kê ngày "+day0+" khác với hồ sơ") {
		t.Errorf("the day of the deleted dossiers is not named")
	}
	for _, br := range rep.Breaks {
		switch br.Kind {
		case app.BreakState:
			if br.Field == "" || app.SealFieldLabel(br.Field) == br.Field {
				t.Errorf("state break without a known field: %+v", br)
			}
		case app.BreakCounter:
			if _, ok := app.ParseDay(br.Day); !ok {
				t.Errorf("counter break without a day: %+v", br)
			}
		}
	}
	if len(rep.Breaks) != len(want)+countKind(rep, app.BreakCounter) {
		t.Errorf("%d findings, want %d + counters", len(rep.Breaks), len(want))
	}
	quick, err := o.svc.CheckIntegrity(false)
	if err != nil || quick.OK() {
		t.Errorf("the start-up check missed the tampered recent dossiers: %v", err)
	}
}

func countKind(rep *app.IntegrityReport, k app.BreakKind) int {
	n := 0
	for _, b := range rep.Breaks {
		if b.Kind == k {
			n++
		}
	}
	return n
}
