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

func head(s []string) []string { return s[:min(len(s), 5)] }

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
