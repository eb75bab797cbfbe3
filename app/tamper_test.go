package app_test

import (
	"crypto/sha256"
	"encoding/hex"
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

// printedCopy is the digests as printed on an earlier register: the check
// compares with it the way it compares with the hub's copy.
type printedCopy []app.DailyDigest

func (p printedCopy) HubDigests(from, to string) ([]app.DailyDigest, error) { return p, nil }

// TestRewrittenChainFoundByTheCopyOffThePC: a forger who rewrites a chain
// from some day on and makes everything on the PC agree (the record, the
// seal, the chain-heads index, the counters, the digests from that day) is
// not found by the local check, but the copy of the digests kept off the PC
// names the first day that no longer matches.
func TestRewrittenChainFoundByTheCopyOffThePC(t *testing.T) {
	o, raw := tamperOffice(t)
	a, b := o.receive(), o.receive()
	o.clk.Advance(24 * time.Hour) // 29/04
	o.ok(o.svc.Handover(o.rec, a.Code, app.HandoverInput{ToUser: "chuyenvien", Note: "Chuyển thẩm định"}))
	o.ok(o.svc.Handover(o.rec, b.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	o.clk.Advance(24 * time.Hour) // 30/04
	a = o.ok(o.svc.AddNote(o.spec, a.Code, "Đã xác minh"))
	o.clk.Advance(24 * time.Hour) // 01/05
	if n, err := o.svc.SealDigests(); err != nil || n != 3 {
		t.Fatalf("sealed %d days: %v", n, err)
	}
	printed, err := o.svc.Digests("", "")
	if err != nil || len(printed) != 3 || printed[0].Date != "2025-04-28" || printed[2].Previous != printed[1].Digest {
		t.Fatalf("digests %+v %v", printed, err)
	}
	// The digest of 28/04 by hand, as docs/integrity.md describes it.
	lines := ""
	for _, code := range []string{a.Code, b.Code} {
		d, _ := o.svc.Dossier(code)
		lines += code + " " + d.History[0].Hash + "\n" // one entry each that day
	}
	heads := sha256Hex(lines)
	if want := sha256Hex("motcua-digest-v1\n2025-04-28\n\n2\n" + heads + "\n"); printed[0].Digest != want || printed[0].HeadsSHA != heads {
		t.Errorf("digest of 28/04: %s, by hand %s", printed[0].Digest, want)
	}

	// The forgery: a's appointment moved a week later, from 29/04 on.
	forged := *a
	forged.DueAt, forged.StatsDue = a.DueAt.AddDate(0, 0, 7), a.StatsDue.AddDate(0, 0, 7)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(raw.EditDossier(a.Code, func(d *app.Dossier) { d.DueAt, d.StatsDue = forged.DueAt, forged.StatsDue }))
	must(raw.RewriteHistory(a.Code, func(e *app.HistoryEntry) bool {
		if app.DayOf(e.At) < app.DayOf(vn(2025, 4, 29, 0, 0)) {
			return false
		}
		e.Seal = app.SealState(&forged)
		return true
	}))
	must(raw.RewriteHeads(a.Code))
	must(raw.RebuildStats())
	must(raw.DeleteDigestsFrom("2025-04-29"))
	if _, err := o.svc.SealDigests(); err != nil {
		t.Fatal(err)
	}
	rep, found := checkLines(t, o.svc)
	if !rep.OK() {
		t.Fatalf("the forger left a trace on the PC after all (then this test should be stricter):\n%s", strings.Join(found, "\n"))
	}
	o.svc.SetDigestSource(printedCopy(printed))
	rep, found = checkLines(t, o.svc)
	t.Logf("full check against the printed digests:\n%s", strings.Join(found, "\n"))
	if len(rep.Breaks) != 1 || rep.Breaks[0].Kind != app.BreakHubDigest || rep.Breaks[0].Day != "2025-04-29" || rep.HubDigests != 2 ||
		found[0] != "digest: dấu tổng hợp ngày 29/04/2025 ở bản lưu ngoài máy khác với dữ liệu hiện tại (dữ liệu từ ngày này đã bị sửa ngoài chương trình)" {
		t.Errorf("findings %+v", rep.Breaks)
	}
	// The same with the digests typed in from the printed footers.
	o.svc.SetDigestSource(nil)
	rep, err = o.svc.CheckIntegrityWith(app.CheckOptions{Full: true, Printed: []app.DailyDigest{
		{Date: printed[0].Date, Digest: strings.ToUpper(printed[0].Digest[:16]) + " " + printed[0].Digest[16:]},
		{Date: printed[2].Date, Digest: printed[2].Digest}}})
	if err != nil || len(rep.Breaks) != 1 || rep.Breaks[0].Kind != app.BreakPrintedDigest || rep.Breaks[0].Day != "2025-04-30" ||
		rep.Breaks[0].String() != "digest: dấu tổng hợp ngày 30/04/2025 trên bản in khác với dữ liệu hiện tại (dữ liệu từ ngày này đã bị sửa ngoài chương trình)" {
		t.Errorf("against the printed copies: %+v %v", rep.Breaks, err)
	}
	// Without the forger's care for the digests, the local check already names the day.
	must(raw.RewriteHistory(b.Code, func(e *app.HistoryEntry) bool {
		if e.Seq != 2 {
			return false
		}
		e.Note += " (đã sửa)"
		return true
	}))
	must(raw.RewriteHeads(b.Code))
	o.svc.SetDigestSource(nil)
	rep, found = checkLines(t, o.svc)
	if len(rep.Breaks) != 1 || rep.Breaks[0].Kind != app.BreakDigest || rep.Breaks[0].Day != "2025-04-29" {
		t.Errorf("findings %s", strings.Join(found, "\n"))
	}
	t.Logf("full check after a rewrite with the heads index patched:\n%s", strings.Join(found, "\n"))
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestMigrationSealsExistingDossiersOnce opens a file written before seals
// existed (schema 3, history entries without seals): the migration appends
// one sealing entry per dossier and one audit entry, and the full check is
// clean; opening again changes nothing.
func TestMigrationSealsExistingDossiersOnce(t *testing.T) {
	o, raw := tamperOffice(t)
	a, b := o.receive(), o.receive()
	o.ok(o.svc.Handover(o.rec, a.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	for _, code := range []string{a.Code, b.Code} {
		if err := raw.RewriteHistory(code, func(e *app.HistoryEntry) bool { e.Seal = ""; return true }); err != nil {
			t.Fatal(err)
		}
	}
	var v3 [8]byte
	v3[7] = 3
	if err := o.db.RawPut([]byte("meta"), []byte("schema"), v3[:]); err != nil {
		t.Fatal(err)
	}
	path := o.db.Path()
	o.db.Close()
	for round := 1; round <= 2; round++ {
		db, err := storage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		svc := app.NewService(db, o.clk)
		for _, code := range []string{a.Code, b.Code} {
			d, err := svc.Dossier(code)
			if err != nil {
				t.Fatal(err)
			}
			last := d.History[len(d.History)-1]
			if last.Action != app.ActSeal || last.Seal != app.SealState(d) || last.From != d.State || last.User.Username != storage.SealActor.Username {
				t.Errorf("round %d, %s: last entry %+v", round, code, last)
			}
		}
		var seals []app.AuditEntry
		db.View(func(tx app.Tx) error {
			es, _ := tx.Audit(0, 0)
			for _, e := range es {
				if e.Action == "integrity.seal" {
					seals = append(seals, e)
				}
			}
			return nil
		})
		if len(seals) != 1 || !strings.Contains(seals[0].Note, "2 hồ sơ") {
			t.Errorf("round %d: audit %+v", round, seals)
		}
		rep, found := checkLines(t, svc)
		if !rep.OK() {
			t.Errorf("round %d: %s", round, strings.Join(found, "\n"))
		}
		db.Close()
	}
}

func TestFooterLineReadsBack(t *testing.T) {
	d := &app.DailyDigest{Date: "2026-03-09", Digest: "9c2f5e81d04b7a36e5c1f09d8b2a47e6c3d5f7a9b1e2c4d6f8a0b2c4d6e8f0a1"}
	line := d.FooterLine()
	if line != "Dấu tổng hợp dữ liệu đến ngày 09/03/2026: "+d.Digest {
		t.Fatalf("footer line %q", line)
	}
	for _, typed := range []string{line, "09/03/2026: " + strings.ToUpper(d.Digest[:32]) + " " + d.Digest[32:]} {
		got, ok := app.ParseFooterLine(typed)
		if !ok || got.Date != d.Date || got.Digest != d.Digest {
			t.Errorf("%q → %+v %v", typed, got, ok)
		}
	}
	for _, bad := range []string{"", "09/03/2026", "09/03/2026: 12ab", "32/13/2026: " + d.Digest} {
		if _, ok := app.ParseFooterLine(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
