package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/pgtest"
)

// TestTamperingOnTheServerIsNamed edits records behind the app's back the
// way anyone holding the database password could, with one SQL statement
// each, and the full check names every one: a late dossier made on time
// (appointment, statistics date, outcome), a finished time, a status, a
// deleted dossier (its history goes with it: a foreign key), a deleted
// history entry and a rewritten one. Before the edits the check is clean.
func TestTamperingOnTheServerIsNamed(t *testing.T) {
	db := openDSN(t, pgtest.DSN(t))
	setUpOffice(t, db)
	clk := &app.FixedClock{T: deskDay}
	svc := app.NewService(db, clk)
	rec, spec, lead := user(t, svc, "tiepnhan"), user(t, svc, "chuyenvien"), user(t, svc, "lanhdao")
	must := func(d *app.Dossier, err error) *app.Dossier {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	resolve := func(code string) *app.Dossier {
		must(svc.Handover(rec, code, app.HandoverInput{ToUser: "chuyenvien"}))
		must(svc.SubmitForApproval(spec, code, "Đủ điều kiện"))
		must(svc.Approve(lead, code, "Đồng ý"))
		return must(svc.RecordResult(spec, code, app.ResultInput{Kind: "Giấy xác nhận tình trạng hôn nhân",
			Number: "1/2025", Date: svc.Now().Format("2006-01-02"), Signer: "Phạm Quốc Việt"}))
	}
	var ds []*app.Dossier
	for _, n := range []string{"Nguyễn Thị Ánh Hằng", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Đức Dũng", "Hoàng Thị Én", "Vũ Văn Phúc"} {
		clk.Advance(time.Minute)
		ds = append(ds, must(svc.Receive(rec, receiptInput(n))))
	}
	a, b, c, d, e, g := ds[0], ds[1], ds[2], ds[3], ds[4], ds[5]
	b = resolve(b.Code)
	must(svc.Handover(rec, c.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	must(svc.Handover(rec, e.Code, app.HandoverInput{ToUser: "chuyenvien"}))
	must(svc.AddNote(rec, e.Code, "Công dân gọi điện hỏi"))
	must(svc.Handover(rec, g.Code, app.HandoverInput{ToUser: "chuyenvien", Note: "Chuyển thẩm định"}))
	clk.T = a.DueAt.Add(48 * time.Hour)
	a = resolve(a.Code)
	if a.Outcome != app.OutcomeLate {
		t.Fatalf("outcome %s", a.Outcome)
	}
	clk.Advance(24 * time.Hour)
	check := func() []string {
		t.Helper()
		rep, err := svc.CheckIntegrityWith(app.CheckOptions{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, br := range rep.Breaks {
			out = append(out, br.String())
		}
		return out
	}
	if lines := check(); len(lines) != 0 {
		t.Fatalf("a clean office on the server:\n%s", strings.Join(lines, "\n"))
	}

	// One statement each, as a forger with the database password would.
	sql := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(context.Background(), q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	late := a.FinishedAt.Add(24 * time.Hour).Format(time.RFC3339Nano)
	sql(`UPDATE dossiers SET doc = jsonb_set(jsonb_set(jsonb_set(doc, '{due_at}', to_jsonb($2::text)), '{stats_due_at}', to_jsonb($2::text)), '{outcome}', to_jsonb($3::text)) WHERE code = $1`,
		a.Code, late, string(app.OutcomeOnTime))
	sql(`UPDATE dossiers SET doc = jsonb_set(doc, '{finished_at}', to_jsonb($2::text)) WHERE code = $1`,
		b.Code, b.FinishedAt.Add(-3*time.Hour).Format(time.RFC3339Nano))
	sql(`UPDATE dossiers SET doc = jsonb_set(doc, '{state}', to_jsonb($2::text)) WHERE code = $1`, c.Code, string(app.StateReturned))
	sql(`DELETE FROM history WHERE code = $1`, d.Code)
	sql(`DELETE FROM dossiers WHERE code = $1`, d.Code)
	sql(`DELETE FROM history WHERE code = $1 AND seq = 2`, e.Code)
	sql(`UPDATE history SET doc = jsonb_set(doc, '{note}', '"Chuyển thẩm định (đã sửa)"') WHERE code = $1 AND seq = 2`, g.Code)

	lines := check()
	all := strings.Join(lines, "\n")
	t.Logf("full check after tampering on the server:\n%s", all)
	day0 := "28/04/2025"
	for _, w := range []string{
		a.Code + ": hẹn trả đã bị sửa ngoài chương trình",
		a.Code + ": hạn tính thống kê đã bị sửa ngoài chương trình",
		a.Code + ": kết quả đúng hạn/quá hạn đã bị sửa ngoài chương trình",
		b.Code + ": thời điểm giải quyết xong đã bị sửa ngoài chương trình",
		c.Code + ": trạng thái xử lý đã bị sửa ngoài chương trình",
		e.Code + " #3: số thứ tự 3, cần 2 (mục bị xóa hoặc chèn)",
	} {
		if !slices.Contains(lines, w) {
			t.Errorf("missing %q", w)
		}
	}
	for _, w := range []string{
		d.Code + ": hồ sơ và lịch sử đã bị xóa ngoài chương trình",          // the heads of its day remain
		g.Code + " #2: nội dung đã bị sửa",                                  // the entry no longer hashes to itself
		"stats: số liệu thống kê ngày " + a.FinishedAt.Format("02/01/2006"), // a still counts late in the day's counters
		"stats: số liệu thống kê ngày " + day0,                              // the deleted dossier's day
	} {
		if !strings.Contains(all, w) {
			t.Errorf("missing a finding starting %q", w)
		}
	}
}
