package postgres_test

import (
	"strings"
	"testing"
	"time"

	"motcua/app"
	"motcua/internal/testgen"
	"motcua/storage/storetest"
)

// TestEveryListIsAnsweredFromAnIndex explains the list query of every
// combination of filters, text kinds, orders and cursors: no plan scans the
// dossiers (or the name words) sequentially.
func TestEveryListIsAnsweredFromAnIndex(t *testing.T) {
	db := openDB(t)
	ds := testgen.Dossiers(2000, 9, storetest.Agency)
	if err := db.BulkLoad(ds); err != nil {
		t.Fatal(err)
	}
	end := testgen.End
	var page1 app.Page
	db.View(func(tx app.Tx) (err error) { page1, err = tx.ListDossiers(app.Query{Limit: 3}); return })
	texts := []string{"", ds[5].Code, storetest.Agency + "-2412", "0912345678", "038090001234", "C1234567",
		"nguyen", "nguyen van a", "ngu", "xyzzy qu", app.Fold(ds[7].Applicant.FullName)}
	filters := []app.Query{
		{}, {States: []app.State{app.StateReceived}}, {States: []app.State{app.StateProcessing, app.StateReturned}},
		{OpenOnly: true}, {ProcedureCode: "2.000815"}, {From: end.AddDate(-1, 0, 0), To: end},
		{OpenOnly: true, DueBefore: end}, {OpenOnly: true, DueFrom: end, DueBefore: end.AddDate(0, 0, 3)},
		{Sort: app.SortDueAsc}, {ProcedureCode: "1.004873", States: []app.State{app.StateReturned}, From: end.AddDate(0, -3, 0)},
	}
	n := 0
	for _, text := range texts {
		for _, f := range filters {
			q := f
			q.Text = text
			for _, after := range []string{"", page1.Next} {
				q.After = ""
				if after != "" {
					if text != "" || q.Sort == app.SortDueAsc || !q.DueBefore.IsZero() || !q.DueFrom.IsZero() {
						continue // a received-order cursor belongs to the received-order lists only
					}
					q.After = after
				}
				plan, err := db.ExplainList(q)
				if err != nil {
					t.Fatalf("%+v: %v", q, err)
				}
				n++
				if strings.Contains(plan, "Seq Scan") {
					t.Errorf("%+v scans a table:\n%s", q, plan)
				}
			}
		}
	}
	// "Hồ sơ của tôi" walks dossiers_handler, with its cursor too.
	var mine1 app.Page
	db.View(func(tx app.Tx) (err error) {
		mine1, err = tx.ListDossiers(app.Query{Handler: "tuphap1", Limit: 3})
		return
	})
	if mine1.Next == "" {
		t.Fatal("the fixture has fewer than 4 open dossiers of tuphap1")
	}
	for _, q := range []app.Query{{Handler: "tuphap1"}, {Handler: "tuphap1", After: mine1.Next},
		{Handler: "tuphap1", States: []app.State{app.StateProcessing}}} {
		plan, err := db.ExplainList(q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		n++
		if !strings.Contains(plan, "dossiers_handler") {
			t.Errorf("%+v does not walk dossiers_handler:\n%s", q, plan)
		}
	}
	t.Logf("%d list queries explained at %v", n, time.Now().Format(time.TimeOnly))
}
