package postgres_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
	"motcua/storage"
	"motcua/storage/storetest"
)

// movedScans are two scans of the office moved up (keyed by a made-up
// digest: the stores take the caller's).
var movedScans = map[string][]byte{
	"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90": bytes.Repeat([]byte("%PDF-1.4 trang "), 60000), // ~900 KB: two chunks
	"0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0": []byte("\xff\xd8\xff ảnh chụp"),
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMoveUpFromBbolt builds an office on a bbolt file through the use
// cases (receipts, hand-overs, guidance, users, audit), adds sync records,
// moves it into an empty PostgreSQL database and compares every record;
// the full integrity check passes and the next receipt continues the day's
// numbering. A second move into the now used database is refused.
func TestMoveUpFromBbolt(t *testing.T) {
	src, err := storage.Open(filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	setUpOffice(t, src)
	clk := &app.FixedClock{T: testgen.End.AddDate(0, 1, 0)} // after the generated dossiers below
	svc := app.NewService(src, clk)
	rec, spec := user(t, svc, "tiepnhan"), user(t, svc, "chuyenvien")
	var codes []string
	for i := range 12 {
		d, err := svc.Receive(rec, receiptInput(fmt.Sprintf("Phạm Thị Dời %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.Code)
		clk.Advance(time.Minute)
		if i%3 == 0 {
			if _, err := svc.Handover(rec, d.Code, app.HandoverInput{ToUser: "chuyenvien"}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SubmitForApproval(spec, d.Code, "Đủ điều kiện"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := svc.GuideAtIntake(rec, app.GuideInput{ProcedureCode: "1.004873", Applicant: app.Person{FullName: "Lý Văn Hướng"},
		Items: []string{"Bản sao giấy khai sinh"}, Reason: "Thiếu giấy tờ"}); err != nil {
		t.Fatal(err)
	}
	// More generated dossiers (all states, years of history) through BulkLoad.
	if err := src.BulkLoad(testgen.Dossiers(300, 4, storetest.Agency), 100); err != nil {
		t.Fatal(err)
	}
	err = src.Update(func(tx app.Tx) error {
		for i, id := range []string{"0001", "0002", "0003"} {
			it := &app.OutboxItem{ID: id, Queue: codes[i%2], Kind: app.OutboxStatus, IdempotencyKey: "k" + id,
				Payload: json.RawMessage(`{"status": 4, "note":"chờ gửi"}`), CreatedAt: deskDay, Parked: i == 2}
			if err := tx.Enqueue(it); err != nil {
				return err
			}
		}
		if err := tx.PutIncoming(&app.IncomingTransfer{ID: "tr-1", FromAgency: "000.00.02.H22", State: "pending", ArrivedAt: deskDay,
			Dossier: app.Dossier{Code: "000.00.02.H22-250428-0007"}}); err != nil {
			return err
		}
		if err := tx.MarkEvent("ev-9"); err != nil {
			return err
		}
		// Two scans, one larger than a bbolt chunk.
		for sha, data := range movedScans {
			if err := tx.PutScan(sha, data); err != nil {
				return err
			}
		}
		return tx.SetInboxCursor("cur-77")
	})
	if err != nil {
		t.Fatal(err)
	}

	dst := openDB(t)
	rep, err := dst.MoveUp(src)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("moved: %s", rep)
	if rep.Dossiers != 312 || rep.Users != 7 || rep.Outbox != 3 || rep.Guidance != 1 || rep.Audit < 7 || rep.Scans != 2 {
		t.Errorf("report %+v", rep)
	}
	for sha, want := range movedScans {
		var got []byte
		if err := dst.View(func(tx app.Tx) (err error) { got, err = tx.Scan(sha); return }); err != nil || !bytes.Equal(got, want) {
			t.Errorf("scan %s on the server: %d bytes, %v; want %d bytes", sha, len(got), err, len(want))
		}
	}

	// Every record equal.
	var srcDossiers []app.Dossier
	src.ForEachDossier(1000, func(ds []app.Dossier) error { srcDossiers = append(srcDossiers, ds...); return nil })
	snapshot := func(s app.Store) map[string]string {
		out := map[string]string{}
		err := s.View(func(tx app.Tx) error {
			ag, _ := tx.Agency()
			st, _ := tx.Settings()
			us, _ := tx.Users()
			ps, _ := tx.Procedures()
			cs, _ := tx.CalendarEntries()
			au, _ := tx.Audit(0, 0)
			ob, _ := tx.OutboxItems(0)
			hd, _ := tx.OutboxHeads(0)
			p, k, _ := tx.OutboxCount()
			cur, _ := tx.InboxCursor()
			seen, _ := tx.SeenEvent("ev-9")
			in, _ := tx.ListIncoming(false)
			cnt, _ := tx.CountByState()
			out["office"] = jsonOf(t, []any{ag, st, us, ps, cs, au, ob, hd, p, k, cur, seen, in, cnt})
			for _, d := range srcDossiers {
				got, err := tx.Dossier(d.Code)
				if err != nil {
					return err
				}
				out[d.Code] = jsonOf(t, got)
			}
			var rows []app.DayStats
			tx.(app.StatsTx).DailyStats(0, 1<<30, func(r app.DayStats) error { rows = append(rows, r); return nil })
			out["stats"] = jsonOf(t, rows)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := snapshot(src), snapshot(dst)
	if len(a) != len(srcDossiers)+2 {
		t.Fatalf("snapshot of %d records", len(a))
	}
	for k := range a {
		if a[k] != b[k] {
			t.Errorf("%s differs:\nbbolt %.300s\npg    %.300s", k, a[k], b[k])
		}
	}
	for _, q := range []app.Query{{}, {Text: "pham thi doi"}, {Sort: app.SortDueAsc}, {States: []app.State{app.StateAwaitingApproval}}} {
		if x, y := storetest.Codes(storetest.ListAll(t, src, q)), storetest.Codes(storetest.ListAll(t, dst, q)); !reflect.DeepEqual(x, y) {
			t.Errorf("%+v: bbolt %d rows, pg %d", q, len(x), len(y))
		}
	}

	// The moved office works: integrity, and the day's numbering continues.
	// The full check finds on the server exactly what it finds in the file
	// (the generated dossiers have no history: the same findings on both).
	psvc := app.NewService(dst, clk)
	ir, err := psvc.CheckIntegrity(true)
	if err != nil {
		t.Fatalf("integrity after the move: %v", err)
	}
	br, err := app.NewService(src, clk).CheckIntegrity(true)
	if err != nil {
		t.Fatal(err)
	}
	if ir.Dossiers != br.Dossiers || len(ir.Breaks) != len(br.Breaks) {
		t.Fatalf("integrity after the move: %d chains, %d findings; in the file: %d chains, %d findings",
			ir.Dossiers, len(ir.Breaks), br.Dossiers, len(br.Breaks))
	}
	for i := range ir.Breaks {
		if ir.Breaks[i].String() != br.Breaks[i].String() {
			t.Errorf("finding %d: server %q, file %q", i, ir.Breaks[i], br.Breaks[i])
			break
		}
	}
	d, err := psvc.Receive(user(t, psvc, "tiepnhan"), receiptInput("Người đầu tiên trên máy chủ"))
	if err != nil {
		t.Fatal(err)
	}
	if want := app.DossierCode(storetest.Agency, clk.T, 13); d.Code != want {
		t.Errorf("next code %s, want %s", d.Code, want)
	}
	if _, err := dst.MoveUp(src); !app.Is(err, app.KindConflict) {
		t.Errorf("a second move: %v", err)
	}
}
