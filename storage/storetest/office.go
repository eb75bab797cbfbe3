package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
)

func testOfficeRecords(t *testing.T, b Backend) {
	db := b.Open(t)
	db.View(func(tx app.Tx) error {
		_, err := tx.Agency()
		kindIs(t, err, app.KindNotFound)
		s, err := tx.Settings()
		if err != nil || !sameJSON(s, app.DefaultSettings()) {
			t.Errorf("Settings before saving = %+v, %v", s, err)
		}
		_, err = tx.User("admin")
		kindIs(t, err, app.KindNotFound)
		_, err = tx.Procedure("1.001193")
		kindIs(t, err, app.KindNotFound)
		_, err = tx.Guidance("x")
		kindIs(t, err, app.KindNotFound)
		if us, err := tx.Users(); err != nil || len(us) != 0 {
			t.Errorf("Users of an empty store = %v, %v", us, err)
		}
		return nil
	})
	ag := &app.Agency{Code: Agency, Name: "UBND xã Tân Lập", GoverningBody: "UBND TỈNH THANH HÓA", Hours: app.DefaultOfficeHours()}
	st := app.DefaultSettings()
	st.BackupKeep, st.HubURL = 30, "https://hub.example.vn"
	update(t, db, func(tx app.Tx) error {
		if err := tx.PutAgency(ag); err != nil {
			return err
		}
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		for _, u := range []string{"tuphap", "admin", "motcua"} {
			if err := tx.PutUser(&app.User{Username: u, FullName: "Lê Thị Hồng", Roles: []app.Role{app.RoleReceiver}}); err != nil {
				return err
			}
		}
		for _, c := range []string{"2.000815", "1.001193", "1.004194"} {
			if err := tx.PutProcedure(&app.Procedure{Code: c, Name: "Thủ tục " + c, Time: app.WorkingDays(3), Active: true}); err != nil {
				return err
			}
		}
		for _, d := range []string{"2026-02-17", "2025-09-02", "2026-01-01"} {
			if err := tx.PutCalendarEntry(app.CalendarEntry{Date: d, Kind: app.DayOff, Note: "Nghỉ lễ"}); err != nil {
				return err
			}
		}
		for _, id := range []string{"-250116-G0001", "-250115-G0001", "-250115-G0002"} {
			if err := tx.PutGuidance(&app.IntakeGuidance{ID: Agency + id, Items: []string{"Giấy chứng sinh"}}); err != nil {
				return err
			}
		}
		return nil
	})
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutUser(&app.User{}) }), app.KindInvalid)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.DeleteProcedure("9.999999") }), app.KindNotFound)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.DeleteCalendarEntry("2020-01-01") }), app.KindNotFound)
	update(t, db, func(tx app.Tx) error {
		if err := tx.DeleteProcedure("1.004194"); err != nil {
			return err
		}
		// A user saved again replaces the record (a disabled account).
		u, err := tx.User("motcua")
		if err != nil {
			return err
		}
		u.Disabled = true
		if err := tx.PutUser(u); err != nil {
			return err
		}
		return tx.DeleteCalendarEntry("2026-01-01")
	})
	db.View(func(tx app.Tx) error {
		a, err := tx.Agency()
		if err != nil || !sameJSON(a, ag) {
			t.Errorf("Agency = %+v, %v", a, err)
		}
		s, _ := tx.Settings()
		if !sameJSON(s, st) {
			t.Errorf("Settings = %+v", s)
		}
		us, _ := tx.Users()
		var names []string
		for _, u := range us {
			names = append(names, u.Username)
		}
		if !slices.Equal(names, []string{"admin", "motcua", "tuphap"}) {
			t.Errorf("Users = %v", names)
		}
		if u, err := tx.User("motcua"); err != nil || !u.Disabled || u.FullName != "Lê Thị Hồng" {
			t.Errorf("User = %+v, %v", u, err)
		}
		ps, _ := tx.Procedures()
		if len(ps) != 2 || ps[0].Code != "1.001193" || ps[1].Code != "2.000815" {
			t.Errorf("Procedures = %+v", ps)
		}
		if p, err := tx.Procedure("2.000815"); err != nil || p.Name != "Thủ tục 2.000815" || !p.Active {
			t.Errorf("Procedure = %+v, %v", p, err)
		}
		cs, _ := tx.CalendarEntries()
		if len(cs) != 2 || cs[0].Date != "2025-09-02" || cs[1].Date != "2026-02-17" || cs[0].Note != "Nghỉ lễ" {
			t.Errorf("CalendarEntries = %+v", cs)
		}
		g, err := tx.Guidance(Agency + "-250115-G0001")
		if err != nil || g.Items[0] != "Giấy chứng sinh" {
			t.Errorf("Guidance = %+v, %v", g, err)
		}
		gs, err := tx.Guidances()
		if err != nil || len(gs) != 3 || gs[0].ID != Agency+"-250115-G0001" || gs[2].ID != Agency+"-250116-G0001" {
			t.Errorf("Guidances (by ID) = %+v, %v", gs, err)
		}
		return nil
	})
}

func auditEntry(seq int, prev string) app.AuditEntry {
	e := app.AuditEntry{Seq: seq, At: time.Date(2025, 1, 15, 8, seq, 0, 0, app.Vietnam), Action: "user.create", Target: "u", PrevHash: prev}
	e.Hash = app.HashAudit(e)
	return e
}

func testAuditChain(t *testing.T, b Backend) {
	db := b.Open(t)
	db.View(func(tx app.Tx) error {
		if es, err := tx.Audit(-1, 1); err != nil || len(es) != 0 {
			t.Errorf("tail of an empty log: %v, %v", es, err)
		}
		return nil
	})
	prev := ""
	for i := 1; i <= 5; i++ {
		e := auditEntry(i, prev)
		update(t, db, func(tx app.Tx) error { return tx.AppendAudit(e) })
		prev = e.Hash
	}
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendAudit(auditEntry(7, prev)) }), app.KindConflict)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendAudit(auditEntry(6, "bad")) }), app.KindConflict)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendAudit(auditEntry(3, prev)) }), app.KindConflict)
	seqs := func(es []app.AuditEntry) []int {
		var out []int
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	db.View(func(tx app.Tx) error {
		for _, c := range []struct {
			after, limit int
			want         []int
		}{
			{0, 0, []int{1, 2, 3, 4, 5}},
			{0, 2, []int{1, 2}},
			{3, 10, []int{4, 5}},
			{5, 10, nil},
			{-1, 1, []int{5}},
			{-1, 3, []int{3, 4, 5}},
			{-1, 9, []int{1, 2, 3, 4, 5}},
			{-1, 0, []int{1, 2, 3, 4, 5}},
		} {
			es, err := tx.Audit(c.after, c.limit)
			if err != nil || !slices.Equal(seqs(es), c.want) {
				t.Errorf("Audit(%d, %d) = %v, %v; want %v", c.after, c.limit, seqs(es), err, c.want)
			}
		}
		all, _ := tx.Audit(0, 0)
		if br := app.VerifyAudit(all); br != nil {
			t.Error(br)
		}
		return nil
	})
}

func item(id, queue string) *app.OutboxItem {
	return &app.OutboxItem{ID: id, Queue: queue, Kind: app.OutboxStatus, IdempotencyKey: "k-" + id,
		Payload: json.RawMessage(`{"status":4}`), CreatedAt: day0}
}

func ids(items []app.OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func testOutbox(t *testing.T, b Backend) {
	db := b.Open(t)
	qa, qb, qc := Agency+"-250115-0001", Agency+"-250115-0002", Agency+"-250115-0003"
	update(t, db, func(tx app.Tx) error {
		for _, it := range []*app.OutboxItem{item("01", qb), item("02", qa), item("03", qb), item("04", qc), item("05", qa)} {
			if err := tx.Enqueue(it); err != nil {
				return err
			}
		}
		return nil
	})
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.Enqueue(item("03", qa)) }), app.KindConflict)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.Enqueue(item("", qa)) }), app.KindInvalid)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.Enqueue(item("09", "")) }), app.KindInvalid)

	check := func(heads, all []string, pending, parked int) {
		t.Helper()
		db.View(func(tx app.Tx) error {
			h, _ := tx.OutboxHeads(0)
			a, _ := tx.OutboxItems(0)
			p, k, _ := tx.OutboxCount()
			if !slices.Equal(ids(h), heads) || !slices.Equal(ids(a), all) || p != pending || k != parked {
				t.Errorf("heads %v items %v count %d/%d; want %v %v %d/%d", ids(h), ids(a), p, k, heads, all, pending, parked)
			}
			return nil
		})
	}
	check([]string{"01", "02", "04"}, []string{"01", "02", "03", "04", "05"}, 5, 0)
	db.View(func(tx app.Tx) error {
		h, _ := tx.OutboxHeads(2)
		if !slices.Equal(ids(h), []string{"01", "02"}) {
			t.Errorf("OutboxHeads(2) = %v", ids(h))
		}
		a, _ := tx.OutboxItems(3)
		if len(a) != 3 {
			t.Errorf("OutboxItems(3) = %v", ids(a))
		}
		it, err := tx.OutboxItem("03")
		if err != nil || it.Queue != qb || string(it.Payload) != `{"status":4}` || it.IdempotencyKey != "k-03" {
			t.Errorf("OutboxItem = %+v, %v", it, err)
		}
		return nil
	})

	// A failed attempt, then parking: counters move, the head stays.
	update(t, db, func(tx app.Tx) error {
		it, _ := tx.OutboxItem("02")
		it.Attempts, it.NextAttempt, it.LastError = 1, day0.Add(time.Minute), "503"
		if err := tx.PutOutboxItem(it); err != nil {
			return err
		}
		it.Parked, it.Problem = true, "Hồ sơ không hợp lệ"
		return tx.PutOutboxItem(it)
	})
	check([]string{"01", "02", "04"}, []string{"01", "02", "03", "04", "05"}, 4, 1)
	db.View(func(tx app.Tx) error {
		it, _ := tx.OutboxItem("02")
		if it == nil || it.Attempts != 1 || !it.Parked || it.Problem != "Hồ sơ không hợp lệ" || !it.NextAttempt.Equal(day0.Add(time.Minute)) {
			t.Errorf("item after attempts: %+v", it)
		}
		return nil
	})
	kindIs(t, db.Update(func(tx app.Tx) error { it := item("02", qc); return tx.PutOutboxItem(it) }), app.KindInvalid)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutOutboxItem(item("77", qa)) }), app.KindNotFound)

	// Sent: the next item of the queue becomes its head, ordered among heads by ID.
	update(t, db, func(tx app.Tx) error { return tx.DeleteOutboxItem("01") })
	check([]string{"02", "03", "04"}, []string{"02", "03", "04", "05"}, 3, 1)
	update(t, db, func(tx app.Tx) error { return tx.DeleteOutboxItem("02") }) // a person discarded the parked item
	check([]string{"03", "04", "05"}, []string{"03", "04", "05"}, 3, 0)
	update(t, db, func(tx app.Tx) error { return tx.DeleteOutboxItem("04") })
	check([]string{"03", "05"}, []string{"03", "05"}, 2, 0)
	db.View(func(tx app.Tx) error {
		_, err := tx.OutboxItem("04")
		kindIs(t, err, app.KindNotFound)
		return nil
	})
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.DeleteOutboxItem("04") }), app.KindNotFound)
	// An item enqueued with an ID before its queue's head becomes the head.
	update(t, db, func(tx app.Tx) error { return tx.Enqueue(item("00", qa)) })
	check([]string{"00", "03"}, []string{"00", "03", "05"}, 3, 0)
	update(t, db, func(tx app.Tx) error {
		for _, id := range []string{"00", "03", "05"} {
			if err := tx.DeleteOutboxItem(id); err != nil {
				return err
			}
		}
		return nil
	})
	check(nil, nil, 0, 0)
}

func testInbox(t *testing.T, b Backend) {
	db := b.Open(t)
	db.View(func(tx app.Tx) error {
		c, err := tx.InboxCursor()
		if err != nil || c != "" {
			t.Errorf("cursor of a new database = %q, %v", c, err)
		}
		seen, _ := tx.SeenEvent("ev1")
		if seen {
			t.Error("ev1 seen before marking")
		}
		_, err = tx.Incoming("t1")
		kindIs(t, err, app.KindNotFound)
		return nil
	})
	update(t, db, func(tx app.Tx) error {
		if err := tx.SetInboxCursor("c-42"); err != nil {
			return err
		}
		if err := tx.MarkEvent("ev1"); err != nil {
			return err
		}
		if err := tx.MarkEvent("ev1"); err != nil { // marking twice is harmless
			return err
		}
		for i, st := range []app.TransferState{app.TransferPending, app.TransferAccepted, app.TransferPending, app.TransferRejected} {
			in := &app.IncomingTransfer{ID: fmt.Sprintf("t%d", i+1), FromAgency: "000.00.02.H22", State: st,
				ArrivedAt: day0.Add(time.Duration(i) * time.Hour), Dossier: app.Dossier{Code: "000.00.02.H22-250115-0001"}}
			if err := tx.PutIncoming(in); err != nil {
				return err
			}
		}
		return nil
	})
	// t1 is decided later: it leaves the pending list, keeps its arrival.
	update(t, db, func(tx app.Tx) error {
		in, _ := tx.Incoming("t1")
		in.State, in.LocalCode = "accepted", Agency+"-250115-0009"
		return tx.PutIncoming(in)
	})
	// t2 is re-sent with a later arrival: it moves to the top.
	update(t, db, func(tx app.Tx) error {
		in, _ := tx.Incoming("t2")
		in.ArrivedAt = day0.Add(10 * time.Hour)
		return tx.PutIncoming(in)
	})
	update(t, db, func(tx app.Tx) error { return tx.SetInboxCursor("c-43") })
	db.View(func(tx app.Tx) error {
		c, _ := tx.InboxCursor()
		seen1, _ := tx.SeenEvent("ev1")
		seen2, _ := tx.SeenEvent("ev2")
		if c != "c-43" || !seen1 || seen2 {
			t.Errorf("cursor %q, seen %v %v", c, seen1, seen2)
		}
		all, _ := tx.ListIncoming(false)
		pending, _ := tx.ListIncoming(true)
		var a, p []string
		for _, in := range all {
			a = append(a, in.ID)
		}
		for _, in := range pending {
			p = append(p, in.ID)
		}
		if !slices.Equal(a, []string{"t2", "t4", "t3", "t1"}) || !slices.Equal(p, []string{"t3"}) {
			t.Errorf("ListIncoming = %v, pending %v", a, p)
		}
		in, _ := tx.Incoming("t1")
		if in.LocalCode != Agency+"-250115-0009" || in.Dossier.Code != "000.00.02.H22-250115-0001" {
			t.Errorf("t1 = %+v", in)
		}
		_, err := tx.SeenEvent("")
		kindIs(t, err, app.KindInvalid)
		return nil
	})
}

// expectedStats is what the statistics counters must hold for ds: the sum of
// every counted dossier's marks (app.DossierStats).
func expectedStats(ds []app.Dossier) ([]app.DayStats, map[string]string) {
	type key struct {
		day         app.Day
		field, proc string
	}
	sum := map[key]*app.DayStats{}
	names := map[string]string{}
	for i := range ds {
		f, ok := app.DossierStats(&ds[i])
		if !ok {
			continue
		}
		if f.Procedure != "" && f.ProcedureName != "" {
			names[f.Procedure] = f.ProcedureName
		}
		for _, m := range f.Marks {
			k := key{max(m.Day, 0), f.Field, f.Procedure}
			if sum[k] == nil {
				sum[k] = &app.DayStats{Day: k.day, Field: k.field, Procedure: k.proc}
			}
			sum[k].N[m.Counter]++
		}
	}
	var out []app.DayStats
	for _, r := range sum {
		if r.N != ([app.NumStatCounters]int64{}) {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b app.DayStats) int {
		if a.Day != b.Day {
			return int(a.Day - b.Day)
		}
		if a.Field != b.Field {
			return stringsCompare(a.Field, b.Field)
		}
		return stringsCompare(a.Procedure, b.Procedure)
	})
	return out, names
}

func stringsCompare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func statsSnapshot(t *testing.T, db app.Store, from, to app.Day) ([]app.DayStats, map[string]string) {
	t.Helper()
	var rows []app.DayStats
	var names map[string]string
	err := db.View(func(tx app.Tx) error {
		st, ok := tx.(app.StatsTx)
		if !ok {
			t.Fatal("the store's transactions do not implement app.StatsTx")
		}
		if err := st.DailyStats(from, to, func(r app.DayStats) error { rows = append(rows, r); return nil }); err != nil {
			return err
		}
		var err error
		names, err = st.StatsProcedureNames()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows, names
}

// testStatistics: the per-day counters follow every dossier write.
func testStatistics(t *testing.T, b Backend) {
	db := b.Open(t)
	ds := testgen.Dossiers(600, 3, Agency)
	putAll(t, db, ds)
	compare := func(when string) {
		t.Helper()
		want, wantNames := expectedStats(ds)
		got, names := statsSnapshot(t, db, 0, 1<<30)
		if len(want) < 100 {
			t.Fatalf("fixture: only %d counter rows", len(want))
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(names, wantNames) {
			t.Errorf("%s: %d counter rows, want %d; names %v, want %v", when, len(got), len(want), names, wantNames)
		}
	}
	compare("after the inserts")

	// Resolve the open dossiers, stop others: marks move.
	n := 0
	for i := range ds {
		if ds[i].State.Open() && n < 40 {
			ds[i].Version++
			ds[i].State, ds[i].Status, ds[i].FinishedAt = app.StateResolved, app.StatusResolved, ds[i].ReceivedAt.Add(48*time.Hour)
			d := ds[i]
			update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
			n++
		}
	}
	if n < 10 {
		t.Fatalf("fixture: only %d open dossiers", n)
	}
	compare("after resolving")

	// A window of days: only its rows, in day order.
	all, _ := statsSnapshot(t, db, 0, 1<<30)
	mid := all[len(all)/2].Day
	part, _ := statsSnapshot(t, db, mid, mid+30)
	var want []app.DayStats
	for _, r := range all {
		if r.Day >= mid && r.Day < mid+30 {
			want = append(want, r)
		}
	}
	if len(want) == 0 || !reflect.DeepEqual(part, want) {
		t.Errorf("DailyStats(%d, %d): %d rows, want %d", mid, mid+30, len(part), len(want))
	}
	if rows, _ := statsSnapshot(t, db, mid, mid); len(rows) != 0 {
		t.Errorf("an empty window gives %d rows", len(rows))
	}
}

// testBulkLoad: a store filled by its bulk loader answers every list, count,
// history and statistics question as one filled dossier by dossier.
func testBulkLoad(t *testing.T, b Backend) {
	if b.Load == nil {
		t.Skip("the store has no bulk loader")
	}
	ds := testgen.Dossiers(500, 5, Agency)
	// Give a few dossiers a history chain, as moved dossiers have.
	for i := 0; i < len(ds); i += 50 {
		e1 := entry(nil, app.ActReceive, app.StateReceived)
		e2 := entry(&e1, app.ActHandover, app.StateProcessing)
		ds[i].History = []app.HistoryEntry{e1, e2}
	}
	bulk, one := b.Open(t), b.Open(t)
	if err := b.Load(bulk, ds); err != nil {
		t.Fatal(err)
	}
	for i := range ds {
		d := ds[i]
		update(t, one, func(tx app.Tx) error {
			h := d.History
			if err := tx.PutDossier(&d); err != nil {
				return err
			}
			for _, e := range h {
				if err := tx.AppendHistory(d.Code, e); err != nil {
					return err
				}
			}
			return nil
		})
	}
	check(t, b, bulk)
	for _, q := range []app.Query{{}, {Text: "nguyen th"}, {Sort: app.SortDueAsc}, {OpenOnly: true, Limit: 7},
		{States: []app.State{app.StateReturned}, ProcedureCode: "2.000815"}, {Text: ds[17].Applicant.Phone}} {
		got, want := Codes(ListAll(t, bulk, q)), Codes(ListAll(t, one, q))
		if !slices.Equal(got, want) || !slices.Equal(want, Oracle(ds, q)) {
			t.Errorf("%+v: bulk %d rows, one by one %d", q, len(got), len(want))
		}
	}
	var c1, c2 map[app.State]int
	bulk.View(func(tx app.Tx) error { c1, _ = tx.CountByState(); return nil })
	one.View(func(tx app.Tx) error { c2, _ = tx.CountByState(); return nil })
	if !reflect.DeepEqual(c1, c2) {
		t.Errorf("CountByState: bulk %v, one by one %v", c1, c2)
	}
	s1, n1 := statsSnapshot(t, bulk, 0, 1<<30)
	s2, n2 := statsSnapshot(t, one, 0, 1<<30)
	if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(n1, n2) || len(s1) < 100 {
		t.Errorf("statistics: bulk %d rows, one by one %d", len(s1), len(s2))
	}
	bulk.View(func(tx app.Tx) error {
		d, err := tx.Dossier(ds[50].Code)
		if err != nil || len(d.History) != 2 || !sameJSON(d.History, ds[50].History) {
			t.Errorf("history after bulk load: %v, %v", d, err)
		}
		return nil
	})
	// A second load of a used code fails and changes nothing.
	if err := b.Load(bulk, ds[:3]); !app.Is(err, app.KindConflict) {
		t.Errorf("loading used codes: %v", err)
	}
	var after map[app.State]int
	bulk.View(func(tx app.Tx) error { after, _ = tx.CountByState(); return nil })
	if !reflect.DeepEqual(after, c1) {
		t.Errorf("a failed load changed the counters: %v → %v", c1, after)
	}
}
