package ui

import (
	"strings"
	"testing"

	"motcua/app"
)

func TestDossierListPagesFiltersAndMarksOverdue(t *testing.T) {
	e := newEnv(t)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := e.svc.Counts()
	total := 0
	for _, n := range counts {
		total += n
	}
	if total < 40 {
		t.Fatalf("demo data has %d dossiers", total)
	}
	old := pageSize
	pageSize = 15
	t.Cleanup(func() { pageSize = old })

	e.signIn(rcv)
	e.ui.shell.go_("dossiers")
	s := e.ui.shell.screens["dossiers"].(*dossiersScreen)
	if len(s.rows) < 15 {
		t.Fatalf("first page: %d rows", len(s.rows))
	}
	// Drawing rows near the end asks for more: pages arrive until the end.
	waitFor(t, "every page", func() bool {
		s.wantMore()
		return s.next == "" && !s.loading
	})
	if len(s.rows) != total {
		t.Errorf("rows = %d, want %d", len(s.rows), total)
	}
	seen := map[string]bool{}
	for _, c := range s.codes() {
		if seen[c] {
			t.Fatalf("duplicate row %s", c)
		}
		seen[c] = true
	}

	// Filter by state.
	s.filterState(app.StateProcessing)
	for _, r := range s.rows {
		if r.State != app.StateProcessing {
			t.Fatalf("state filter let %s through", r.State)
		}
	}
	// Sort by due, open only: overdue rows come first and are marked.
	s.clearFilters()
	s.openOnly.SetChecked(true)
	s.sort.SetSelectedIndex(1)
	overdue, _ := e.svc.Overdue(500)
	if len(overdue) == 0 {
		t.Fatal("demo data has no overdue dossier")
	}
	if !s.overdue(&s.rows[0]) || s.rows[0].Code != overdue[0].Code {
		t.Errorf("first row %s (overdue %v), want %s", s.rows[0].Code, s.overdue(&s.rows[0]), overdue[0].Code)
	}
	// A bad date is refused next to the field and does not query.
	s.from.entry.SetText("32/13/2025")
	s.reload()
	if s.from.message() == "" {
		t.Error("bad date shows no message")
	}
}

func TestSearchFindsPartialCodesAndIgnoresAStaleStateFilter(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	d := e.received(admin) // 000.00.31.H56-250429-0001
	ds := e.ui.shell.screens["dossiers"]
	if ds == nil {
		e.ui.shell.go_("dossiers")
		ds = e.ui.shell.screens["dossiers"]
	}
	s := ds.(*dossiersScreen)
	// A home tile left a state filter that excludes the dossier.
	s.filterState(app.StateReturned)
	for _, q := range []string{"250429-0001", "250429-1", d.Code} {
		e.ui.shell.search(q)
		if codes := s.codes(); len(codes) != 1 || codes[0] != d.Code {
			t.Errorf("search %q found %v", q, codes)
		}
	}
	s.filterState(app.StateReturned)
	if !strings.Contains(s.count.Text, "Xóa lọc") {
		t.Errorf("an empty filtered list says %q", s.count.Text)
	}
	for _, o := range s.state.Options {
		if strings.Contains(o, "(") {
			t.Errorf("state option %q reads like a count", o)
		}
	}
}

func TestEnterInTheSearchLeadsIntoTheTable(t *testing.T) {
	e := newEnv(t)
	admin := e.setUp()
	e.signIn(admin)
	e.received(admin)
	e.ui.shell.go_("dossiers")
	s := e.ui.shell.screens["dossiers"].(*dossiersScreen)
	s.search.SetText("Đỗ Thị Mai")
	s.search.OnSubmitted(s.search.Text)
	if e.ui.win.Canvas().Focused() != s.table {
		t.Errorf("after Enter the focus is on %T, not the dossier table", e.ui.win.Canvas().Focused())
	}
}
