package storage

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
)

// queryFixture is a few hundred generated dossiers plus a handful written by
// hand for the text searches, stored through PutDossier.
func queryFixture(t *testing.T) (*DB, []app.Dossier) {
	t.Helper()
	db := openTemp(t)
	ds := testgen.Dossiers(400, 7, testAgency)
	at := testgen.End.Add(-10 * 24 * time.Hour)
	extra := []struct{ name, id, phone string }{
		{"Nguyễn Văn A", "038090001234", "0912 345 678"},
		{"Nguyễn Văn Anh", "038090001235", "+84912345679"},
		{"Đặng Thị Đào", "001185009999", "0387.654.321"},
		{"Nguyễn Thị Ánh", "C1234567", "0977-000-111"},
	}
	for i, e := range extra {
		d := dossier(app.DossierCode(testAgency, at, 900+i), e.name, app.StateProcessing, at.Add(time.Duration(i)*time.Minute))
		d.Applicant.IDNumber, d.Applicant.Phone = e.id, e.phone
		ds = append(ds, d)
	}
	putAll(t, db, ds)
	checkIndexes(t, db)
	return db, ds
}

// listAll walks every page of q and checks the pages join without duplicates.
func listAll(t *testing.T, db *DB, q app.Query) []app.DossierSummary {
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

// oracle answers q by brute force over the generated data, with the
// documented semantics and order.
func oracle(ds []app.Dossier, q app.Query) []string {
	text := app.NFC(q.Text)
	up := strings.ToUpper(text)
	digits := phoneKey(text)
	words := app.Words(text)
	ord := orderReceived
	switch {
	case text != "" && validCodeText(up):
		ord = orderCode
	case text == "" && (!q.DueBefore.IsZero() || !q.DueFrom.IsZero() || q.Sort == app.SortDueAsc):
		ord = orderDue
	}
	var got []app.Dossier
	for _, d := range ds {
		s := d.State
		if len(q.States) > 0 && !slices.Contains(q.States, s) || q.OpenOnly && !s.Open() ||
			q.ProcedureCode != "" && d.ProcedureCode != q.ProcedureCode ||
			!q.From.IsZero() && d.ReceivedAt.Before(q.From) || !q.To.IsZero() && !d.ReceivedAt.Before(q.To) ||
			!q.DueBefore.IsZero() && (!s.Open() || d.DueAt.IsZero() || !d.DueAt.Before(q.DueBefore)) ||
			!q.DueFrom.IsZero() && (!s.Open() || d.DueAt.IsZero() || d.DueAt.Before(q.DueFrom)) ||
			ord == orderDue && !s.Open() {
			continue
		}
		if text != "" {
			have := app.Words(d.Applicant.FullName)
			var ok bool
			switch {
			case ord == orderCode:
				ok = strings.HasPrefix(d.Code, up)
			case len(digits) >= 9 && isDigits(digits):
				ok = strings.HasPrefix(idKey(d.Applicant.IDNumber), digits) ||
					len(digits) <= 11 && strings.HasPrefix(phoneKey(d.Applicant.Phone), digits)
			case isIDToken(up):
				ok = strings.HasPrefix(idKey(d.Applicant.IDNumber), up)
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
		case orderCode:
			return strings.Compare(b.Code, a.Code)
		case orderDue:
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

func codes(items []app.DossierSummary) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}

func TestListDossiersPaths(t *testing.T) {
	db, ds := queryFixture(t)
	now := testgen.End.Add(-3 * 24 * time.Hour)
	year := time.Date(2024, 1, 1, 0, 0, 0, 0, app.Vietnam)
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
		{"from only", app.Query{From: testgen.End.AddDate(0, -1, 0)}, 5},
		{"empty range", app.Query{From: year, To: year}, 0},
		{"overdue queue", app.Query{OpenOnly: true, DueBefore: now, Sort: app.SortDueAsc}, 5},
		{"due before, no sort given", app.Query{DueBefore: now}, 5},
		{"due-soon window", app.Query{OpenOnly: true, DueFrom: now.AddDate(0, -6, 0), DueBefore: now, Sort: app.SortDueAsc}, 3},
		{"due from, no upper bound", app.Query{DueFrom: now.AddDate(0, -3, 0)}, 3},
		{"all open by due", app.Query{Sort: app.SortDueAsc}, 10},
		{"due + state", app.Query{Sort: app.SortDueAsc, States: []app.State{app.StateProcessing}}, 3},
		{"due + procedure + range", app.Query{DueBefore: testgen.End.AddDate(1, 0, 0), ProcedureCode: "1.004194", From: year}, 1},
		{"code", app.Query{Text: ds[10].Code}, 1},
		{"code prefix of a month", app.Query{Text: testAgency + "-2411"}, 5},
		{"code prefix lower case", app.Query{Text: strings.ToLower(testAgency + "-2501")}, 5},
		{"code prefix + state", app.Query{Text: testAgency + "-24", States: []app.State{app.StateReturned}}, 50},
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
		{"name + open + range", app.Query{Text: "nguyen", OpenOnly: true, From: testgen.End.AddDate(0, -2, 0)}, 2},
		{"name + due (text order wins)", app.Query{Text: "nguyen", DueBefore: testgen.End.AddDate(1, 0, 0)}, 3},
		{"unknown word", app.Query{Text: "nguyen xyzzy"}, 0},
		{"only punctuation", app.Query{Text: "---"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := oracle(ds, c.q)
			t.Logf("%d rows", len(want))
			if len(want) < c.atLeast {
				t.Fatalf("the fixture has only %d matches, want ≥ %d", len(want), c.atLeast)
			}
			for _, limit := range []int{0, 7, 500} {
				q := c.q
				q.Limit = limit
				got := codes(listAll(t, db, q))
				if !slices.Equal(got, want) {
					t.Fatalf("limit %d: got %d %v…, want %d %v…", limit, len(got), head(got), len(want), head(want))
				}
			}
		})
	}
}

func head(s []string) []string { return s[:min(len(s), 5)] }

func TestListDossiersLimitsAndCursor(t *testing.T) {
	db, _ := queryFixture(t)
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
		if !slices.IsSortedFunc(p.Items, func(a, b app.DossierSummary) int { return a.DueAt.Compare(b.DueAt) }) {
			t.Error("overdue queue not sorted by due date")
		}
		for _, it := range p.Items {
			if !it.State.Open() || !it.DueAt.Before(testgen.End) {
				t.Errorf("%s in the overdue queue: %s due %v", it.Code, it.State, it.DueAt)
			}
		}
		return nil
	})
}

// TestListDossiersPlanner checks that the planner picks the smaller index.
func TestListDossiersPlanner(t *testing.T) {
	db, _ := queryFixture(t)
	db.View(func(ax app.Tx) error {
		tx := ax.(*tx)
		for _, c := range []struct {
			q    app.Query
			want string // first source's index prefix
		}{
			{app.Query{ProcedureCode: "1.004884", States: []app.State{app.StateReturned}}, "1.004884\x00"},
			{app.Query{ProcedureCode: "2.000815", States: []app.State{app.StateStopped}}, "stopped\x00"},
			{app.Query{Text: "nguyen van anh"}, "van\x00"},
			{app.Query{Text: "van nguyen"}, "van\x00"},
		} {
			p, err := tx.plan(c.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(p.sources[0].prefix); got != c.want {
				t.Errorf("%+v: walks %q, want %q", c.q, got, c.want)
			}
		}
		return nil
	})
}

// TestIndexesFollowStateChanges moves dossiers through the workflow and checks
// that every index and counter follows, in the same transaction.
func TestIndexesFollowStateChanges(t *testing.T) {
	db, ds := queryFixture(t)
	var d app.Dossier
	for _, x := range ds {
		if x.State == app.StateProcessing && !x.DueAt.IsZero() {
			d = x
			break
		}
	}
	inList := func(q app.Query) bool {
		return slices.Contains(codes(listAll(t, db, q)), d.Code)
	}
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
	checkIndexes(t, db)

	// Concatenated pages still equal the oracle after the changes.
	for i := range ds {
		if ds[i].Code == d.Code {
			ds[i] = d
		}
	}
	for _, q := range []app.Query{{}, {Text: "nguyen"}, {Sort: app.SortDueAsc, Limit: 9}, {States: []app.State{app.StateResolved}, Limit: 3}} {
		if got, want := codes(listAll(t, db, q)), oracle(ds, q); !slices.Equal(got, want) {
			t.Errorf("%+v: %d rows, want %d", q, len(got), len(want))
		}
	}
}

func TestListDossiersEmptyStore(t *testing.T) {
	db := openTemp(t)
	for _, q := range []app.Query{{}, {Text: "nguyen"}, {Text: "038090001234"}, {Text: testAgency}, {Sort: app.SortDueAsc}, {ProcedureCode: "1.001193"}} {
		if got := listAll(t, db, q); len(got) != 0 {
			t.Errorf("%+v: %d rows", q, len(got))
		}
	}
}

func ExampleDB_Update() {
	dir, _ := osMkdirTemp()
	defer os.RemoveAll(dir)
	db, err := Open(dir + "/motcua.db")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	d := app.Dossier{Code: "000.00.01.H22-250115-0001", State: app.StateReceived, Status: app.StatusReceived, Version: 1,
		Applicant: app.Person{FullName: "Nguyễn Văn A"}, ReceivedAt: time.Date(2025, 1, 15, 8, 0, 0, 0, app.Vietnam)}
	db.Update(func(tx app.Tx) error { return tx.PutDossier(&d) })
	db.View(func(tx app.Tx) error {
		p, _ := tx.ListDossiers(app.Query{Text: "nguyen van"})
		fmt.Println(len(p.Items), p.Items[0].ApplicantName)
		return nil
	})
	// Output: 1 Nguyễn Văn A
}

func TestTextSearchSpotChecks(t *testing.T) {
	db, ds := queryFixture(t)
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
		got := codes(listAll(t, db, app.Query{Text: c.text}))
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
