// Package storetest is the conformance suite of app.Store: one set of tests
// that every store (the embedded bbolt store of package storage, the
// PostgreSQL store of storage/postgres) must pass, so that both give the same
// answers to every Tx method — dossiers and their history, every list with
// its paging, diacritic-insensitive name search, counters, sequences, the
// outbox order, the inbox, the audit log, the calendar, the catalogue, users,
// settings and the statistics counters.
//
// A store's tests call Run with a function that opens a fresh, empty store.
package storetest

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
	"motcua/storage"
)

// Backend is a store under test.
type Backend struct {
	// Open returns a fresh, empty store, closed when t ends.
	Open func(t *testing.T) app.Store
	// Check, when set, verifies the store's own invariants (indexes, counters)
	// against its records after the tests that write many dossiers.
	Check func(t *testing.T, s app.Store)
	// Load, when set, is the store's bulk loader (moving an office, imports):
	// it must leave the store as PutDossier and AppendHistory would.
	Load func(s app.Store, ds []app.Dossier) error
}

// Run runs the whole suite against b.
func Run(t *testing.T, b Backend) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"PutDossierVersions", testPutDossierVersions},
		{"HistoryChain", testHistoryChain},
		{"NextSeqConcurrent", testNextSeqConcurrent},
		{"UpdateRollsBackOnError", testUpdateRollsBack},
		{"ViewCannotWrite", testViewCannotWrite},
		{"ListDossiersPaths", testListDossiersPaths},
		{"ListDossiersLimitsAndCursor", testListDossiersLimitsAndCursor},
		{"IndexesFollowStateChanges", testIndexesFollowStateChanges},
		{"ListDossiersEmptyStore", testListDossiersEmptyStore},
		{"TextSearchSpotChecks", testTextSearchSpotChecks},
		{"OfficeRecords", testOfficeRecords},
		{"AuditChain", testAuditChain},
		{"RecordOfProcessing", testRecordOfProcessing},
		{"Outbox", testOutbox},
		{"Inbox", testInbox},
		{"Statistics", testStatistics},
		{"BulkLoadMatchesPutDossier", testBulkLoad},
		{"Scans", testScans},
		{"Submissions", testSubmissions},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, b) })
	}
}

// Agency is the agency code of the suite's dossiers.
const Agency = "000.00.01.H22"

var day0 = time.Date(2025, 1, 15, 8, 0, 0, 0, app.Vietnam)

func update(t testing.TB, s app.Store, fn func(app.Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func putAll(t testing.TB, s app.Store, ds []app.Dossier) {
	t.Helper()
	for i := 0; i < len(ds); i += 500 {
		update(t, s, func(tx app.Tx) error {
			for j := i; j < min(i+500, len(ds)); j++ {
				if err := tx.PutDossier(&ds[j]); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// Dossier is a minimal valid dossier for the suite.
func Dossier(code, name string, st app.State, recv time.Time) app.Dossier {
	d := app.Dossier{Code: code, AgencyCode: Agency, ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh",
		Applicant: app.Person{Kind: app.ApplicantCitizen, FullName: app.NFC(name)},
		State:     st, Status: st.Code(), ReceivedAt: recv, Version: 1, UpdatedAt: recv}
	if st.Open() {
		d.DueAt = recv.Add(72 * time.Hour)
	}
	return d
}

func kindIs(t testing.TB, err error, k app.Kind) {
	t.Helper()
	if !app.Is(err, k) {
		t.Fatalf("error %v: want kind %v, got %v", err, k, app.KindOf(err))
	}
}

// sameJSON compares values as stored (time zones decode as equal offsets).
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func entry(prev *app.HistoryEntry, a app.Action, to app.State) app.HistoryEntry {
	e := app.HistoryEntry{Seq: 1, At: day0, User: app.UserRef{Username: "motcua", FullName: "Lê Thị Hồng"}, Action: a, To: to}
	if prev != nil {
		e.Seq, e.PrevHash, e.From = prev.Seq+1, prev.Hash, prev.To
	}
	e.Hash = app.HashEntry(e)
	return e
}

func check(t *testing.T, b Backend, s app.Store) {
	t.Helper()
	if b.Check != nil {
		b.Check(t, s)
	}
}

func testPutDossierVersions(t *testing.T, b Backend) {
	db := b.Open(t)
	code := app.DossierCode(Agency, day0, 1)
	d := Dossier(code, "Nguyễn Văn A", app.StateReceived, day0)
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })

	// A second insert with the same code.
	dup := d
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&dup) }), app.KindConflict)

	// Replace needs stored version + 1.
	d.Version, d.State, d.Status = 2, app.StateProcessing, app.StatusProcessing
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	stale := d // someone who loaded version 1
	stale.Version = 2
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&stale) }), app.KindConflict)
	skip := d
	skip.Version = 4
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&skip) }), app.KindConflict)

	// Replacing a dossier that does not exist.
	ghost := Dossier(app.DossierCode(Agency, day0, 2), "Trần Thị B", app.StateProcessing, day0)
	ghost.Version = 3
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&ghost) }), app.KindNotFound)

	// Bad input.
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&app.Dossier{Version: 1}) }), app.KindInvalid)
	bad := Dossier(app.DossierCode(Agency, day0, 3), "X", "nonsense", day0)
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.PutDossier(&bad) }), app.KindInvalid)

	db.View(func(tx app.Tx) error {
		got, err := tx.Dossier(code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.State != app.StateProcessing || got.Applicant.FullName != "Nguyễn Văn A" {
			t.Errorf("stored %+v", got)
		}
		_, err = tx.Dossier("000.00.01.H22-250115-9999")
		kindIs(t, err, app.KindNotFound)
		c, _ := tx.CountByState()
		if len(c) != 1 || c[app.StateProcessing] != 1 {
			t.Errorf("CountByState = %v", c)
		}
		return nil
	})
	check(t, b, db)
}

func testHistoryChain(t *testing.T, b Backend) {
	db := b.Open(t)
	code := app.DossierCode(Agency, day0, 1)
	d := Dossier(code, "Nguyễn Văn A", app.StateReceived, day0)
	e1 := entry(nil, app.ActReceive, app.StateReceived)
	e2 := entry(&e1, app.ActHandover, app.StateProcessing)

	// No dossier, no history.
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendHistory(code, e1) }), app.KindNotFound)

	update(t, db, func(tx app.Tx) error {
		if err := tx.PutDossier(&d); err != nil {
			return err
		}
		return tx.AppendHistory(code, e1)
	})
	for name, e := range map[string]app.HistoryEntry{
		"seq gap":       func() app.HistoryEntry { e := e2; e.Seq = 3; return e }(),
		"seq repeat":    e1,
		"wrong prev":    func() app.HistoryEntry { e := e2; e.PrevHash = "00"; return e }(),
		"no prev":       func() app.HistoryEntry { e := e2; e.PrevHash = ""; return e }(),
		"first again":   entry(nil, app.ActNote, app.StateReceived),
		"seq zero":      func() app.HistoryEntry { e := e2; e.Seq = 0; return e }(),
		"negative seq":  func() app.HistoryEntry { e := e2; e.Seq = -1; return e }(),
		"rewrite entry": func() app.HistoryEntry { e := e1; e.Note = "sửa"; return e }(),
	} {
		if err := db.Update(func(tx app.Tx) error { return tx.AppendHistory(code, e) }); !app.Is(err, app.KindConflict) {
			t.Errorf("%s: %v", name, err)
		}
	}
	noHash := e2
	noHash.Hash = ""
	kindIs(t, db.Update(func(tx app.Tx) error { return tx.AppendHistory(code, noHash) }), app.KindInvalid)
	update(t, db, func(tx app.Tx) error { return tx.AppendHistory(code, e2) })

	// A second dossier whose code extends the first one's must not mix chains.
	other := code + "0"
	od := Dossier(other, "Lê Văn C", app.StateReceived, day0)
	o1 := entry(nil, app.ActReceive, app.StateReceived)
	update(t, db, func(tx app.Tx) error {
		if err := tx.PutDossier(&od); err != nil {
			return err
		}
		return tx.AppendHistory(other, o1)
	})

	// PutDossier ignores History: the chain stays as appended.
	got := d
	got.Version = 2
	got.History = []app.HistoryEntry{entry(nil, app.ActNote, app.StateReceived)}
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&got) })

	db.View(func(tx app.Tx) error {
		got, err := tx.Dossier(code)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.History) != 2 || !sameJSON(got.History[0], e1) || !sameJSON(got.History[1], e2) {
			t.Errorf("history = %+v", got.History)
		}
		if br := app.VerifyHistory(code, got.History); br != nil {
			t.Errorf("chain: %v", br)
		}
		h, _ := tx.History(other)
		if len(h) != 1 || !sameJSON(h[0], o1) {
			t.Errorf("other history = %+v", h)
		}
		_, err = tx.History("000.00.01.H22-250115-7777")
		kindIs(t, err, app.KindNotFound)
		return nil
	})

	// The integrity check's full scan sees every chain.
	sc, ok := db.(app.HistoryScanner)
	if !ok {
		t.Fatal("the store does not implement app.HistoryScanner")
	}
	seen := map[string]int{}
	err := sc.ForEachHistory(func(c string, es []app.HistoryEntry) error {
		seen[c] = len(es)
		if br := app.VerifyHistory(c, es); br != nil {
			t.Error(br)
		}
		return nil
	})
	if err != nil || len(seen) != 2 || seen[code] != 2 || seen[other] != 1 {
		t.Errorf("ForEachHistory saw %v, %v", seen, err)
	}
	stop := errors.New("stop")
	if err := sc.ForEachHistory(func(string, []app.HistoryEntry) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("ForEachHistory does not return fn's error: %v", err)
	}
}

// testNextSeqConcurrent: 8 goroutines × 150 transactions each take a number
// and insert the dossier with that code: 1,200 distinct, gapless codes.
func testNextSeqConcurrent(t *testing.T, b Backend) {
	db := b.Open(t)
	const workers, each = 8, 150
	name := "dossier/" + Agency + "/250115"
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := db.Update(func(tx app.Tx) error {
					n, err := tx.NextSeq(name)
					if err != nil {
						return err
					}
					d := Dossier(app.DossierCode(Agency, day0, n), fmt.Sprintf("Nguyễn Văn %d", n), app.StateReceived, day0.Add(time.Duration(n)*time.Second))
					return tx.PutDossier(&d)
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db.View(func(tx app.Tx) error {
		for n := 1; n <= workers*each; n++ {
			if _, err := tx.Dossier(app.DossierCode(Agency, day0, n)); err != nil {
				t.Fatalf("code %d: %v", n, err)
			}
		}
		c, _ := tx.CountByState()
		if c[app.StateReceived] != workers*each {
			t.Errorf("count = %v", c)
		}
		_, err := tx.NextSeq(name) // a read-only transaction cannot take a number
		kindIs(t, err, app.KindPermission)
		return nil
	})
	update(t, db, func(tx app.Tx) error {
		n, err := tx.NextSeq(name)
		if n != workers*each+1 {
			t.Errorf("next = %d", n)
		}
		if m, _ := tx.NextSeq(name + "x"); m != 1 {
			t.Errorf("first number of a new counter = %d", m)
		}
		return err
	})
	check(t, b, db)
}

func testUpdateRollsBack(t *testing.T, b Backend) {
	db := b.Open(t)
	boom := errors.New("boom")
	err := db.Update(func(tx app.Tx) error {
		d := Dossier(Agency+"-250115-0001", "Nguyễn Văn A", app.StateReceived, day0)
		if err := tx.PutDossier(&d); err != nil {
			return err
		}
		if err := tx.Enqueue(item("01", d.Code)); err != nil {
			return err
		}
		if _, err := tx.NextSeq("x"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v", err)
	}
	db.View(func(tx app.Tx) error {
		_, err := tx.Dossier(Agency + "-250115-0001")
		kindIs(t, err, app.KindNotFound)
		if c, _ := tx.CountByState(); len(c) != 0 {
			t.Errorf("counters after rollback: %v", c)
		}
		if p, k, _ := tx.OutboxCount(); p != 0 || k != 0 {
			t.Errorf("outbox after rollback: %d/%d", p, k)
		}
		return nil
	})
	update(t, db, func(tx app.Tx) error {
		n, err := tx.NextSeq("x")
		if n != 1 {
			t.Errorf("NextSeq after rollback = %d, want 1", n)
		}
		return err
	})
	check(t, b, db)
}

func testViewCannotWrite(t *testing.T, b Backend) {
	db := b.Open(t)
	kindIs(t, db.View(func(tx app.Tx) error { return tx.PutSettings(app.DefaultSettings()) }), app.KindPermission)
}

// Lists.

// queryFixture is a few hundred generated dossiers plus a handful written by
// hand for the text searches, stored through PutDossier.
func queryFixture(t *testing.T, b Backend) (app.Store, []app.Dossier) {
	t.Helper()
	db := b.Open(t)
	ds := testgen.Dossiers(400, 7, Agency)
	at := testgen.End.Add(-10 * 24 * time.Hour)
	extra := []struct{ name, id, phone string }{
		{"Nguyễn Văn A", "038090001234", "0912 345 678"},
		{"Nguyễn Văn Anh", "038090001235", "+84912345679"},
		{"Đặng Thị Đào", "001185009999", "0387.654.321"},
		{"Nguyễn Thị Ánh", "C1234567", "0977-000-111"},
	}
	for i, e := range extra {
		d := Dossier(app.DossierCode(Agency, at, 900+i), e.name, app.StateProcessing, at.Add(time.Duration(i)*time.Minute))
		d.Applicant.IDNumber, d.Applicant.Phone = e.id, e.phone
		ds = append(ds, d)
	}
	putAll(t, db, ds)
	check(t, b, db)
	return db, ds
}

// ListAll walks every page of q and checks that the pages join without
// duplicates and respect the limit.
func ListAll(t testing.TB, db app.Store, q app.Query) []app.DossierSummary {
	t.Helper()
	var out []app.DossierSummary
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("pagination does not end")
		}
		var p app.Page
		if err := db.View(func(tx app.Tx) (err error) { p, err = tx.ListDossiers(q); return }); err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		lim := q.Limit
		if lim <= 0 {
			lim = 50
		}
		if len(p.Items) > min(lim, 500) || (p.Next != "" && len(p.Items) != min(lim, 500)) {
			t.Fatalf("page of %d items, limit %d, next %q", len(p.Items), lim, p.Next)
		}
		for _, it := range p.Items {
			if seen[it.Code] {
				t.Fatalf("%s twice", it.Code)
			}
			seen[it.Code] = true
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		q.After = p.Next
	}
}

func timeKey(t time.Time) []byte {
	var b [8]byte
	if !t.IsZero() && !t.Before(time.Unix(0, 0)) {
		binary.BigEndian.PutUint64(b[:], uint64(t.UnixNano()))
	}
	return b[:]
}

func dueKey(t time.Time) []byte {
	if t.IsZero() {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], math.MaxUint64)
		return b[:]
	}
	return timeKey(t)
}

// Oracle answers q by brute force over ds, with the documented semantics and
// order (app.Query, storage/query.go).
func Oracle(ds []app.Dossier, q app.Query) []string {
	text := app.NFC(q.Text)
	if q.Handler != "" { // "Hồ sơ của tôi": open dossiers of the handler, newest received first
		text, q.Sort, q.OpenOnly = "", app.SortReceivedDesc, true
	}
	up := strings.ToUpper(text)
	digits := storage.PhoneKey(text)
	words := app.Words(text)
	const (
		received = iota
		code
		due
	)
	ord := received
	switch {
	case text != "" && storage.LooksLikeCode(up):
		ord = code
	case text == "" && q.Handler == "" && (!q.DueBefore.IsZero() || !q.DueFrom.IsZero() || q.Sort == app.SortDueAsc):
		ord = due
	}
	var got []app.Dossier
	for _, d := range ds {
		s := d.State
		if len(q.States) > 0 && !slices.Contains(q.States, s) || q.OpenOnly && !s.Open() ||
			q.ProcedureCode != "" && d.ProcedureCode != q.ProcedureCode ||
			!q.From.IsZero() && d.ReceivedAt.Before(q.From) || !q.To.IsZero() && !d.ReceivedAt.Before(q.To) ||
			!q.DueBefore.IsZero() && (!s.Open() || d.DueAt.IsZero() || !d.DueAt.Before(q.DueBefore)) ||
			!q.DueFrom.IsZero() && (!s.Open() || d.DueAt.IsZero() || d.DueAt.Before(q.DueFrom)) ||
			ord == due && !s.Open() || q.Handler != "" && d.Handler.Username != q.Handler {
			continue
		}
		if text != "" {
			have := app.Words(d.Applicant.FullName)
			var ok bool
			switch {
			case ord == code:
				ok = strings.HasPrefix(d.Code, up)
			case len(digits) >= 9 && storage.IsDigits(digits):
				ok = strings.HasPrefix(storage.IDKey(d.Applicant.IDNumber), digits) ||
					len(digits) <= 11 && strings.HasPrefix(storage.PhoneKey(d.Applicant.Phone), digits)
			case storage.IsIDToken(up):
				ok = strings.HasPrefix(storage.IDKey(d.Applicant.IDNumber), up)
			default:
				ok = len(words) > 0
				for i, w := range words {
					if i < len(words)-1 {
						ok = ok && slices.Contains(have, w)
					} else {
						ok = ok && slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) })
					}
				}
			}
			if !ok {
				continue
			}
		}
		got = append(got, d)
	}
	slices.SortFunc(got, func(a, b app.Dossier) int {
		switch ord {
		case code:
			return strings.Compare(b.Code, a.Code)
		case due:
			return cmp.Or(bytes.Compare(dueKey(a.DueAt), dueKey(b.DueAt)), strings.Compare(a.Code, b.Code))
		}
		return cmp.Or(bytes.Compare(timeKey(b.ReceivedAt), timeKey(a.ReceivedAt)), strings.Compare(b.Code, a.Code))
	})
	out := make([]string, len(got))
	for i, d := range got {
		out[i] = d.Code
	}
	return out
}

// Codes returns the codes of a list's rows.
func Codes(items []app.DossierSummary) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}

func head(s []string) []string { return s[:min(len(s), 5)] }

func testListDossiersPaths(t *testing.T, b Backend) {
	db, ds := queryFixture(t, b)
	now := testgen.End.Add(-3 * 24 * time.Hour)
	year := time.Date(2024, 1, 1, 0, 0, 0, 0, app.Vietnam)
	end := testgen.End
	cases := []struct {
		name    string
		q       app.Query
		atLeast int // the query must find at least this many (a test that finds nothing proves nothing)
	}{
		{"everything, newest first", app.Query{}, 404},
		{"one state", app.Query{States: []app.State{app.StateReturned}}, 100},
		{"several states", app.Query{States: []app.State{app.StateProcessing, app.StateSupplement, app.StateRefused}}, 5},
		{"open only", app.Query{OpenOnly: true}, 10},
		{"open only ∩ states", app.Query{OpenOnly: true, States: []app.State{app.StateProcessing, app.StateReturned}}, 4},
		{"closed states with open only", app.Query{OpenOnly: true, States: []app.State{app.StateReturned}}, 0},
		{"procedure", app.Query{ProcedureCode: "2.000815"}, 50},
		{"procedure + state", app.Query{ProcedureCode: "2.000815", States: []app.State{app.StateReturned}}, 30},
		{"rare state + common procedure", app.Query{ProcedureCode: "2.000815", States: []app.State{app.StateStopped}}, 0},
		{"receipt range", app.Query{From: year, To: year.AddDate(1, 0, 0)}, 100},
		{"receipt range + state", app.Query{From: year, To: year.AddDate(0, 6, 0), States: []app.State{app.StateReturned}}, 20},
		{"receipt range + procedure", app.Query{From: year, ProcedureCode: "1.001193"}, 20},
		{"from only", app.Query{From: end.AddDate(0, -1, 0)}, 5},
		{"empty range", app.Query{From: year, To: year}, 0},
		{"overdue queue", app.Query{OpenOnly: true, DueBefore: now, Sort: app.SortDueAsc}, 5},
		// What app.Overdue asks: waiting for the citizen or for fees is not late (§5.4).
		{"overdue queue, running clocks", app.Query{OpenOnly: true, States: app.Running(), DueBefore: now, Sort: app.SortDueAsc}, 3},
		{"due-soon window, running clocks", app.Query{OpenOnly: true, States: app.Running(), DueFrom: now.AddDate(0, -6, 0), DueBefore: now, Sort: app.SortDueAsc}, 2},
		{"due before, no sort given", app.Query{DueBefore: now}, 5},
		{"due-soon window", app.Query{OpenOnly: true, DueFrom: now.AddDate(0, -6, 0), DueBefore: now, Sort: app.SortDueAsc}, 3},
		{"due from, no upper bound", app.Query{DueFrom: now.AddDate(0, -3, 0)}, 3},
		{"all open by due", app.Query{Sort: app.SortDueAsc}, 10},
		{"due + state", app.Query{Sort: app.SortDueAsc, States: []app.State{app.StateProcessing}}, 3},
		{"due + procedure + range", app.Query{DueBefore: end.AddDate(1, 0, 0), ProcedureCode: "1.004194", From: year}, 1},
		{"code", app.Query{Text: ds[10].Code}, 1},
		{"code prefix of a month", app.Query{Text: Agency + "-2411"}, 5},
		{"code prefix lower case", app.Query{Text: strings.ToLower(Agency + "-2501")}, 5},
		{"code prefix + state", app.Query{Text: Agency + "-24", States: []app.State{app.StateReturned}}, 50},
		{"ID number exact", app.Query{Text: "038090001234"}, 1},
		{"ID number prefix", app.Query{Text: "03809000123"}, 2},
		{"ID of a generated dossier", app.Query{Text: ds[200].Applicant.IDNumber}, 1},
		{"passport", app.Query{Text: "c1234567"}, 1},
		{"phone with spaces", app.Query{Text: "0912 345 678"}, 1},
		{"phone +84 stored, 0 typed", app.Query{Text: "0912345679"}, 1},
		{"phone typed +84", app.Query{Text: "+84 912 345 678"}, 1},
		{"phone prefix", app.Query{Text: "091234567"}, 2},
		{"phone of a generated dossier", app.Query{Text: ds[123].Applicant.Phone}, 1},
		{"name without diacritics", app.Query{Text: "nguyen van a"}, 2},
		{"name upper case", app.Query{Text: "NGUYEN"}, 100},
		{"name with diacritics", app.Query{Text: "nguyễn"}, 100},
		{"name in NFD", app.Query{Text: "Nguye\u0302\u0303n Va\u0306n A"}, 2},
		{"đ folds to d", app.Query{Text: "dang thi dao"}, 1},
		{"đ typed", app.Query{Text: "Đặng Thị Đ"}, 1},
		{"given name prefix only", app.Query{Text: "th"}, 50},
		{"family + given prefix", app.Query{Text: "tran t"}, 3},
		{"name + state", app.Query{Text: "nguyen thi", States: []app.State{app.StateReturned}}, 3},
		{"name + open + range", app.Query{Text: "nguyen", OpenOnly: true, From: end.AddDate(0, -2, 0)}, 2},
		{"name + due (text order wins)", app.Query{Text: "nguyen", DueBefore: end.AddDate(1, 0, 0)}, 3},
		{"unknown word", app.Query{Text: "nguyen xyzzy"}, 0},
		{"mine (handler)", app.Query{Handler: "tuphap1"}, 3},
		{"mine + state", app.Query{Handler: "tuphap1", States: []app.State{app.StateProcessing, app.StateReturned}}, 1},
		{"mine + receipt range", app.Query{Handler: "tuphap1", From: year, To: end}, 1},
		{"mine ignores text and sort", app.Query{Handler: "tuphap1", Text: "nguyen", Sort: app.SortDueAsc}, 3},
		{"mine + due before", app.Query{Handler: "tuphap1", DueBefore: now}, 1},
		{"mine, nobody", app.Query{Handler: "khongco"}, 0},
		{"only punctuation", app.Query{Text: "---"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := Oracle(ds, c.q)
			if len(want) < c.atLeast {
				t.Fatalf("the fixture has only %d matches, want ≥ %d", len(want), c.atLeast)
			}
			for _, limit := range []int{0, 7, 500} {
				q := c.q
				q.Limit = limit
				got := Codes(ListAll(t, db, q))
				if !slices.Equal(got, want) {
					t.Fatalf("limit %d: got %d %v…, want %d %v…", limit, len(got), head(got), len(want), head(want))
				}
			}
		})
	}
}

func testListDossiersLimitsAndCursor(t *testing.T, b Backend) {
	db, _ := queryFixture(t, b)
	db.View(func(tx app.Tx) error {
		p, err := tx.ListDossiers(app.Query{Limit: 10000})
		if err != nil || len(p.Items) != 404 || p.Next != "" {
			t.Errorf("limit capped at 500: %d items, next %q, %v", len(p.Items), p.Next, err)
		}
		p, _ = tx.ListDossiers(app.Query{})
		if len(p.Items) != 50 || p.Next == "" {
			t.Errorf("default limit: %d items", len(p.Items))
		}
		// A cursor of one order used with another.
		_, err = tx.ListDossiers(app.Query{Sort: app.SortDueAsc, After: p.Next})
		kindIs(t, err, app.KindInvalid)
		_, err = tx.ListDossiers(app.Query{After: "r!!!"})
		kindIs(t, err, app.KindInvalid)
		// The first page of the overdue queue is sorted by due date.
		p, _ = tx.ListDossiers(app.Query{OpenOnly: true, DueBefore: testgen.End, Limit: 20})
		if len(p.Items) == 0 || !slices.IsSortedFunc(p.Items, func(a, b app.DossierSummary) int { return a.DueAt.Compare(b.DueAt) }) {
			t.Errorf("overdue queue empty or not sorted by due date (%d rows)", len(p.Items))
		}
		for _, it := range p.Items {
			if !it.State.Open() || !it.DueAt.Before(testgen.End) {
				t.Errorf("%s in the overdue queue: %s due %v", it.Code, it.State, it.DueAt)
			}
		}
		// Rows carry the whole summary.
		p, _ = tx.ListDossiers(app.Query{Text: "038090001235"})
		if len(p.Items) != 1 || p.Items[0].ApplicantName != "Nguyễn Văn Anh" || p.Items[0].Phone != "+84912345679" ||
			p.Items[0].State != app.StateProcessing || p.Items[0].ProcedureName != "Đăng ký khai sinh" || p.Items[0].DueAt.IsZero() {
			t.Errorf("row = %+v", p.Items)
		}
		return nil
	})
}

// testIndexesFollowStateChanges moves a dossier through the workflow and
// checks that every list and counter follows, in the same transaction.
func testIndexesFollowStateChanges(t *testing.T, b Backend) {
	db, ds := queryFixture(t, b)
	var d app.Dossier
	for _, x := range ds {
		if x.State == app.StateProcessing && !x.DueAt.IsZero() {
			d = x
			break
		}
	}
	inList := func(q app.Query) bool { return slices.Contains(Codes(ListAll(t, db, q)), d.Code) }
	overdue := app.Query{OpenOnly: true, DueBefore: d.DueAt.Add(time.Second)}
	processing := app.Query{States: []app.State{app.StateProcessing}}
	resolved := app.Query{States: []app.State{app.StateResolved}}
	var before map[app.State]int
	db.View(func(tx app.Tx) error { before, _ = tx.CountByState(); return nil })
	if !inList(overdue) || !inList(processing) || inList(resolved) {
		t.Fatal("fixture: the dossier is not where it starts")
	}

	d.Version++
	d.State, d.Status, d.FinishedAt = app.StateResolved, app.StatusResolved, d.DueAt.Add(-time.Hour)
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	if inList(overdue) || inList(processing) || !inList(resolved) || inList(app.Query{Sort: app.SortDueAsc}) {
		t.Error("after resolve: still in the open-due or processing index, or not in resolved")
	}
	db.View(func(tx app.Tx) error {
		after, _ := tx.CountByState()
		if after[app.StateProcessing] != before[app.StateProcessing]-1 || after[app.StateResolved] != before[app.StateResolved]+1 {
			t.Errorf("counts %v → %v", before, after)
		}
		return nil
	})

	// "Hồ sơ của tôi" follows the hand-over and leaves with the closing.
	mine := func(user string) bool { return inList(app.Query{Handler: user}) }
	d.Version++
	d.State, d.Status, d.FinishedAt = app.StateProcessing, app.StatusProcessing, time.Time{}
	d.Handler = app.UserRef{Username: "nguoimoi", FullName: "Người Mới"}
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	if !mine("nguoimoi") {
		t.Error("handed over: not in the new handler's list")
	}
	d.Version++
	d.Handler = app.UserRef{Username: "nguoikhac", FullName: "Người Khác"}
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	if mine("nguoimoi") || !mine("nguoikhac") {
		t.Error("handed on: still in the first handler's list, or not in the second's")
	}
	d.Version++
	d.State, d.Status, d.FinishedAt = app.StateResolved, app.StatusResolved, d.DueAt.Add(-time.Hour)
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	if mine("nguoikhac") {
		t.Error("resolved: still in the handler's list")
	}

	// A corrected name, ID, phone and procedure move the other indexes too.
	oldName := app.Fold(d.Applicant.FullName)
	d.Version++
	d.Applicant.FullName, d.Applicant.IDNumber, d.Applicant.Phone = "Võ Thị Sáu", "036190000001", "0388888888"
	d.ProcedureCode = "1.004884"
	update(t, db, func(tx app.Tx) error { return tx.PutDossier(&d) })
	if !inList(app.Query{Text: "vo thi sau"}) || inList(app.Query{Text: oldName}) ||
		!inList(app.Query{Text: "036190000001"}) || !inList(app.Query{Text: "0388888888"}) ||
		!inList(app.Query{ProcedureCode: "1.004884"}) {
		t.Error("after correction: name, ID, phone or procedure index not updated")
	}
	check(t, b, db)

	// Concatenated pages still equal the oracle after the changes.
	for i := range ds {
		if ds[i].Code == d.Code {
			ds[i] = d
		}
	}
	for _, q := range []app.Query{{}, {Text: "nguyen"}, {Sort: app.SortDueAsc, Limit: 9}, {States: []app.State{app.StateResolved}, Limit: 3}} {
		if got, want := Codes(ListAll(t, db, q)), Oracle(ds, q); !slices.Equal(got, want) {
			t.Errorf("%+v: %d rows, want %d", q, len(got), len(want))
		}
	}
	// Counters equal the records.
	want := map[app.State]int{}
	for _, x := range ds {
		want[x.State]++
	}
	db.View(func(tx app.Tx) error {
		got, _ := tx.CountByState()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("CountByState = %v, want %v", got, want)
		}
		return nil
	})
}

func testListDossiersEmptyStore(t *testing.T, b Backend) {
	db := b.Open(t)
	for _, q := range []app.Query{{}, {Text: "nguyen"}, {Text: "038090001234"}, {Text: Agency}, {Sort: app.SortDueAsc}, {ProcedureCode: "1.001193"}} {
		if got := ListAll(t, db, q); len(got) != 0 {
			t.Errorf("%+v: %d rows", q, len(got))
		}
	}
	db.View(func(tx app.Tx) error {
		if c, err := tx.CountByState(); err != nil || len(c) != 0 {
			t.Errorf("CountByState of an empty store = %v, %v", c, err)
		}
		return nil
	})
}

func testTextSearchSpotChecks(t *testing.T, b Backend) {
	db, ds := queryFixture(t, b)
	x := ds[len(ds)-4:] // Nguyễn Văn A, Nguyễn Văn Anh, Đặng Thị Đào, Nguyễn Thị Ánh
	for _, c := range []struct {
		text string
		want []int // indexes into x that must be found
		only bool  // and nothing else
	}{
		{"nguyen van a", []int{0, 1}, false},
		{"Nguyễn Văn A", []int{0, 1}, false},
		{"nguyen van anh", []int{1}, false},
		{"NGUYEN", []int{0, 1, 3}, false},
		{"nguyễn", []int{0, 1, 3}, false},
		{"dao", []int{2}, false},
		{"đào đặng", []int{2}, true},
		{"anh nguyen thi", []int{3}, false},
		{"0912 345 678", []int{0}, true},
		{"0912345679", []int{1}, true},
		{"038090001235", []int{1}, true},
		{"c1234567", []int{3}, true},
		{x[2].Code, []int{2}, true},
	} {
		got := Codes(ListAll(t, db, app.Query{Text: c.text}))
		for _, i := range c.want {
			if !slices.Contains(got, x[i].Code) {
				t.Errorf("%q does not find %s", c.text, x[i].Applicant.FullName)
			}
		}
		if c.only && len(got) != len(c.want) {
			t.Errorf("%q finds %d dossiers, want %d", c.text, len(got), len(c.want))
		}
	}
}
